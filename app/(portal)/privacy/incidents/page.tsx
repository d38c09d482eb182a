import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDateTime } from "@/components/groups/format";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
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
      <DataList caption={t("privacy.incidents.title")}>
        <ListHead>
            <Th>{t("privacy.incident.title")}</Th>
            <Th>{t("privacy.incident.severity")}</Th>
            <Th>{t("privacy.incident.detectedAt")}</Th>
            <Th>{t("privacy.incident.affectedSubjects")}</Th>
            <Th>{t("privacy.incident.regulatorNotifiedAt")}</Th>
            <Th>{t("privacy.incident.status")}</Th>
        </ListHead>
        <ListBody data-testid="incident-table">
          {incidents.length === 0 ? <ListEmpty colSpan={6}>{t("privacy.incidents.empty")}</ListEmpty> : null}
          {incidents.map((i) => (
            <ListRow key={i.id}>
              <Cell kind="title" className="sm:min-w-40">
                <Link href={`/privacy/incidents/${i.id}`} className="font-medium text-blue-800 hover:underline">
                  {i.title}
                </Link>
              </Cell>
              <Cell label={t("privacy.incident.severity")}>{t(`privacy.severity.${i.severity}`)}</Cell>
              <Cell label={t("privacy.incident.detectedAt")} className="whitespace-nowrap">{formatDateTime(i.detectedAt, locale)}</Cell>
              <Cell label={t("privacy.incident.affectedSubjects")}>{i.affectedSubjects}</Cell>
              <Cell kind="deadline" label={t("privacy.incident.regulatorNotifiedAt")} className="whitespace-nowrap">
                {i.regulatorNotifiedAt ? formatDateTime(i.regulatorNotifiedAt, locale) : reportable(i.severity) ? <Badge tone={reportDeadline(i.detectedAt) < now ? "red" : "amber"}>{t("privacy.incident.reportBy", { at: formatDateTime(reportDeadline(i.detectedAt), locale) })}</Badge> : "—"}
              </Cell>
              <Cell kind="status">{t(`privacy.incidentStatus.${i.status}`)}</Cell>
            </ListRow>
          ))}
        </ListBody>
      </DataList>
      {actor.permissions.has("privacy.manage") ? (
        <Card title={t("privacy.incident.new")}>
          <IncidentForm />
        </Card>
      ) : null}
    </div>
  );
}
