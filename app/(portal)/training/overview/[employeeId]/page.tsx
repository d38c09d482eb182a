import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { formatDate, formatDateTime } from "@/components/groups/format";
import { LinkButton } from "@/components/ui/button";
import { Badge, PageHeader } from "@/components/ui/card";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
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
      <Table caption={t("training.mine.coursesCaption")}>
        <thead>
          <tr>
            <Th>{t("training.fields.course")}</Th>
            <Th>{t("training.fields.status")}</Th>
            <Th>{t("training.fields.due")}</Th>
            <Th>{t("training.fields.completedAt")}</Th>
            <Th>{t("training.fields.score")}</Th>
            <Th>{t("training.fields.attempts")}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100" data-testid="person-course-rows">
          {data.courses.length === 0 ? (
            <EmptyRow colSpan={6}>{t("training.mine.noCourses")}</EmptyRow>
          ) : (
            data.courses.map((c) => (
              <tr key={c.assignmentId} data-testid="person-course">
                <Td className="min-w-40">{title(c)}</Td>
                <Td className="whitespace-nowrap">{c.overdue ? <Badge tone="red">{t("training.status.overdue")}</Badge> : <Badge tone={c.status === "COMPLETED" ? "green" : "amber"}>{t(`training.status.${c.status}`)}</Badge>}</Td>
                <Td className="whitespace-nowrap">
                  {formatDate(c.dueAt, locale)}
                  <ProvisionalBadge year={coverage.provisionalYear(c.dueAt)} t={t} />
                </Td>
                <Td className="whitespace-nowrap">{formatDateTime(c.completedAt, locale)}</Td>
                <Td className="tabular-nums">{c.score ?? "—"}</Td>
                <Td className="tabular-nums">{c.attempts}</Td>
              </tr>
            ))
          )}
        </tbody>
      </Table>
      <div className="mt-6" />
      <Table caption={t("training.mine.policiesCaption")}>
        <thead>
          <tr>
            <Th>{t("training.fields.policy")}</Th>
            <Th>{t("training.fields.version")}</Th>
            <Th>{t("training.fields.status")}</Th>
            <Th>{t("training.fields.due")}</Th>
            <Th>{t("training.fields.acknowledgedAt")}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {data.policies.length === 0 ? (
            <EmptyRow colSpan={5}>{t("training.mine.noPolicies")}</EmptyRow>
          ) : (
            data.policies.map((p) => (
              <tr key={p.ackId}>
                <Td className="min-w-40">{title(p)}</Td>
                <Td>v{p.versionNo}</Td>
                <Td className="whitespace-nowrap">{p.overdue ? <Badge tone="red">{t("training.status.overdue")}</Badge> : <Badge tone={p.acknowledgedAt ? "green" : "amber"}>{t(p.acknowledgedAt ? "training.status.ACKNOWLEDGED" : "training.status.PENDING")}</Badge>}</Td>
                <Td className="whitespace-nowrap">
                  {formatDate(p.dueAt, locale)}
                  <ProvisionalBadge year={coverage.provisionalYear(p.dueAt)} t={t} />
                </Td>
                <Td className="whitespace-nowrap">{formatDateTime(p.acknowledgedAt, locale)}</Td>
              </tr>
            ))
          )}
        </tbody>
      </Table>
    </>
  );
}
