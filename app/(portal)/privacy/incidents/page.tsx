import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime } from "@/components/groups/format";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { reportable, reportDeadline } from "@/lib/privacy/incidents";
import { listIncidents } from "@/lib/privacy/queries";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { IncidentForm } from "../_components/forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.incidents.title") };
}

export default async function IncidentsPage() {
  const actor = await requirePagePermission("privacy.manage", "privacy.read:all");
  const { t, locale } = await getI18n();
  const incidents = await listIncidents(db());
  const now = new Date();
  return (
    <div className="min-w-0 space-y-4">
      <PageHeader title={t("privacy.incidents.title")} description={t("privacy.incidents.description")} />
      <Table caption={t("privacy.incidents.title")}>
        <thead>
          <tr>
            <Th>{t("privacy.incident.title")}</Th>
            <Th>{t("privacy.incident.severity")}</Th>
            <Th>{t("privacy.incident.detectedAt")}</Th>
            <Th>{t("privacy.incident.affectedSubjects")}</Th>
            <Th>{t("privacy.incident.regulatorNotifiedAt")}</Th>
            <Th>{t("privacy.incident.status")}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100" data-testid="incident-table">
          {incidents.length === 0 ? <EmptyRow colSpan={6}>{t("privacy.incidents.empty")}</EmptyRow> : null}
          {incidents.map((i) => (
            <tr key={i.id}>
              <Td className="min-w-40">
                <Link href={`/privacy/incidents/${i.id}`} className="font-medium text-blue-800 hover:underline">
                  {i.title}
                </Link>
              </Td>
              <Td>{t(`privacy.severity.${i.severity}`)}</Td>
              <Td className="whitespace-nowrap">{formatDateTime(i.detectedAt, locale)}</Td>
              <Td>{i.affectedSubjects}</Td>
              <Td className="whitespace-nowrap">
                {i.regulatorNotifiedAt ? formatDateTime(i.regulatorNotifiedAt, locale) : reportable(i.severity) ? <Badge tone={reportDeadline(i.detectedAt) < now ? "red" : "amber"}>{t("privacy.incident.reportBy", { at: formatDateTime(reportDeadline(i.detectedAt), locale) })}</Badge> : "—"}
              </Td>
              <Td>{t(`privacy.incidentStatus.${i.status}`)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {actor.permissions.has("privacy.manage") ? (
        <Card title={t("privacy.incident.new")}>
          <IncidentForm />
        </Card>
      ) : null}
    </div>
  );
}
