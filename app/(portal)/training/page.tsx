import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDate, formatDateTime } from "@/components/groups/format";
import { Badge, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { ProvisionalBadge } from "@/components/ui/provisional-badge";
import { loadHolidayCoverage } from "@/lib/calendar/coverage";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { myTraining } from "@/lib/training/queries";
import { TrainingTabs } from "./_components/tabs";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("training.title") };
}

// The employee's view: their current courses and the policy versions they are asked to
// acknowledge, overdue first.
export default async function MyTrainingPage() {
  const actor = await requirePagePermission("training.take", "training.read:department", "training.read:all", "training.manage");
  const { t, locale } = await getI18n();
  const now = new Date();
  const [{ courses, policies }, coverage] = await Promise.all([myTraining(actor, db(), now), loadHolidayCoverage(db())]);
  const title = (x: { titleZh: string; titleEn: string }) => (locale === "en" ? x.titleEn : x.titleZh);
  const open = courses.filter((c) => c.status === "ASSIGNED");
  const pending = policies.filter((p) => !p.acknowledgedAt);

  return (
    <>
      <PageHeader title={t("training.title")} description={t("training.description")} />
      <TrainingTabs actor={actor} current="mine" t={t} />
      <p className="mb-4 text-sm text-slate-700" data-testid="training-summary">
        {t("training.mine.summary", { open: open.length, overdue: open.filter((c) => c.overdue).length, policies: pending.length })}
      </p>

      <h2 className="mb-2 text-base font-semibold text-slate-900">{t("training.mine.coursesCaption")}</h2>
      <DataList caption={t("training.mine.coursesCaption")}>
        <ListHead>
            <Th>{t("training.fields.course")}</Th>
            <Th>{t("training.fields.status")}</Th>
            <Th>{t("training.fields.due")}</Th>
            <Th>{t("training.fields.score")}</Th>
        </ListHead>
        <ListBody data-testid="my-courses">
          {courses.length === 0 ? (
            <ListEmpty colSpan={4}>{t("training.mine.noCourses")}</ListEmpty>
          ) : (
            courses.map((c) => (
              <ListRow key={c.assignmentId} data-testid="my-course" data-course={c.courseId}>
                <Cell kind="title" className="sm:min-w-44">
                  <Link href={`/training/courses/${c.courseId}`} className="font-medium text-blue-800 hover:underline">
                    {title(c)}
                  </Link>
                  <div className="text-xs text-slate-500">{t(`training.category.${c.category}`)}</div>
                </Cell>
                <Cell kind="status" className="whitespace-nowrap">
                  {c.overdue ? <Badge tone="red">{t("training.status.overdue")}</Badge> : <Badge tone={c.status === "COMPLETED" ? "green" : "amber"}>{t(`training.status.${c.status}`)}</Badge>}
                </Cell>
                <Cell kind="deadline" label={t("training.fields.due")} className="whitespace-nowrap">
                  {c.status === "COMPLETED" ? formatDateTime(c.completedAt, locale) : formatDate(c.dueAt, locale)}
                  {c.status === "COMPLETED" ? null : <ProvisionalBadge year={coverage.provisionalYear(c.dueAt)} t={t} />}
                </Cell>
                <Cell label={t("training.fields.score")} className="whitespace-nowrap tabular-nums">{c.score ?? "—"}</Cell>
              </ListRow>
            ))
          )}
        </ListBody>
      </DataList>

      <h2 className="mb-2 mt-6 text-base font-semibold text-slate-900">{t("training.mine.policiesCaption")}</h2>
      <DataList caption={t("training.mine.policiesCaption")}>
        <ListHead>
            <Th>{t("training.fields.policy")}</Th>
            <Th>{t("training.fields.version")}</Th>
            <Th>{t("training.fields.status")}</Th>
            <Th>{t("training.fields.due")}</Th>
        </ListHead>
        <ListBody data-testid="my-policies">
          {policies.length === 0 ? (
            <ListEmpty colSpan={4}>{t("training.mine.noPolicies")}</ListEmpty>
          ) : (
            policies.map((p) => (
              <ListRow key={p.ackId} data-testid="my-policy">
                <Cell kind="title" className="sm:min-w-44">
                  <Link href={`/training/policies/${p.versionId}`} className="font-medium text-blue-800 hover:underline">
                    {title(p)}
                  </Link>
                </Cell>
                <Cell label={t("training.fields.version")} className="whitespace-nowrap">v{p.versionNo}</Cell>
                <Cell kind="status" className="whitespace-nowrap">
                  {p.overdue ? <Badge tone="red">{t("training.status.overdue")}</Badge> : <Badge tone={p.acknowledgedAt ? "green" : "amber"}>{t(p.acknowledgedAt ? "training.status.ACKNOWLEDGED" : "training.status.PENDING")}</Badge>}
                </Cell>
                <Cell kind="deadline" label={t("training.fields.due")} className="whitespace-nowrap">
                  {p.acknowledgedAt ? formatDateTime(p.acknowledgedAt, locale) : formatDate(p.dueAt, locale)}
                  {p.acknowledgedAt ? null : <ProvisionalBadge year={coverage.provisionalYear(p.dueAt)} t={t} />}
                </Cell>
              </ListRow>
            ))
          )}
        </ListBody>
      </DataList>
    </>
  );
}
