import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { formatDate, formatDateTime } from "@/components/groups/format";
import { LinkButton } from "@/components/ui/button";
import { Badge, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { ProvisionalBadge } from "@/components/ui/provisional-badge";
import { loadHolidayCoverage } from "@/lib/calendar/coverage";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { personTraining } from "@/lib/training/queries";
import { id as idSchema } from "@/lib/validation";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("training.overview.title") };
}

// One person's courses and policy acknowledgements, for a reader whose scope includes them.
export default async function PersonTrainingPage({ params }: { params: Promise<{ employeeId: string }> }) {
  const actor = await requirePagePermission("training.read:department", "training.read:all");
  const { t, locale } = await getI18n();
  const { employeeId } = await params;
  if (!idSchema.safeParse(employeeId).success) notFound();
  const [data, coverage] = await Promise.all([personTraining(actor, db(), employeeId), loadHolidayCoverage(db())]);
  if (!data) notFound();
  const title = (x: { titleZh: string; titleEn: string }) => (locale === "en" ? x.titleEn : x.titleZh);
  return (
    <>
      <PageHeader
        title={t("training.person.title", { name: data.person.name })}
        description={`${data.person.employee_no} · ${data.person.department_name}`}
        actions={<LinkButton href="/training/overview">{t("training.person.back")}</LinkButton>}
      />
      <DataList caption={t("training.mine.coursesCaption")}>
        <ListHead>
            <Th>{t("training.fields.course")}</Th>
            <Th>{t("training.fields.status")}</Th>
            <Th>{t("training.fields.due")}</Th>
            <Th>{t("training.fields.completedAt")}</Th>
            <Th>{t("training.fields.score")}</Th>
            <Th>{t("training.fields.attempts")}</Th>
        </ListHead>
        <ListBody data-testid="person-course-rows">
          {data.courses.length === 0 ? (
            <ListEmpty colSpan={6}>{t("training.mine.noCourses")}</ListEmpty>
          ) : (
            data.courses.map((c) => (
              <ListRow key={c.assignmentId} data-testid="person-course">
                <Cell kind="title" className="sm:min-w-40">{title(c)}</Cell>
                <Cell kind="status" className="whitespace-nowrap">{c.overdue ? <Badge tone="red">{t("training.status.overdue")}</Badge> : <Badge tone={c.status === "COMPLETED" ? "green" : "amber"}>{t(`training.status.${c.status}`)}</Badge>}</Cell>
                <Cell kind="deadline" label={t("training.fields.due")} className="whitespace-nowrap">
                  {formatDate(c.dueAt, locale)}
                  <ProvisionalBadge year={coverage.provisionalYear(c.dueAt)} t={t} />
                </Cell>
                <Cell label={t("training.fields.completedAt")} className="whitespace-nowrap">{formatDateTime(c.completedAt, locale)}</Cell>
                <Cell label={t("training.fields.score")} className="tabular-nums">{c.score ?? "—"}</Cell>
                <Cell label={t("training.fields.attempts")} className="tabular-nums">{c.attempts}</Cell>
              </ListRow>
            ))
          )}
        </ListBody>
      </DataList>
      <div className="mt-6" />
      <DataList caption={t("training.mine.policiesCaption")}>
        <ListHead>
            <Th>{t("training.fields.policy")}</Th>
            <Th>{t("training.fields.version")}</Th>
            <Th>{t("training.fields.status")}</Th>
            <Th>{t("training.fields.due")}</Th>
            <Th>{t("training.fields.acknowledgedAt")}</Th>
        </ListHead>
        <ListBody>
          {data.policies.length === 0 ? (
            <ListEmpty colSpan={5}>{t("training.mine.noPolicies")}</ListEmpty>
          ) : (
            data.policies.map((p) => (
              <ListRow key={p.ackId}>
                <Cell kind="title" className="sm:min-w-40">{title(p)}</Cell>
                <Cell label={t("training.fields.version")}>v{p.versionNo}</Cell>
                <Cell kind="status" className="whitespace-nowrap">{p.overdue ? <Badge tone="red">{t("training.status.overdue")}</Badge> : <Badge tone={p.acknowledgedAt ? "green" : "amber"}>{t(p.acknowledgedAt ? "training.status.ACKNOWLEDGED" : "training.status.PENDING")}</Badge>}</Cell>
                <Cell kind="deadline" label={t("training.fields.due")} className="whitespace-nowrap">
                  {formatDate(p.dueAt, locale)}
                  <ProvisionalBadge year={coverage.provisionalYear(p.dueAt)} t={t} />
                </Cell>
                <Cell label={t("training.fields.acknowledgedAt")} className="whitespace-nowrap">{formatDateTime(p.acknowledgedAt, locale)}</Cell>
              </ListRow>
            ))
          )}
        </ListBody>
      </DataList>
    </>
  );
}
