import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/groups/format";
import { Alert } from "@/components/ui/alert";
import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { reportable, reportDeadline } from "@/lib/privacy/incidents";
import { getIncident } from "@/lib/privacy/queries";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { isId, Row } from "../../_components/bits";
import { IncidentUpdateForm } from "../../_components/forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.incidents.title") };
}

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("privacy.manage", "privacy.read:all");
  const { id } = await params;
  if (!isId(id)) notFound();
  const { t, locale } = await getI18n();
  const i = await getIncident(db(), id);
  if (!i) notFound();
  const overdue = reportable(i.severity) && !i.regulatorNotifiedAt && reportDeadline(i.detectedAt) < new Date();
  return (
    <div className="mx-auto max-w-4xl min-w-0 space-y-4">
      <p className="text-sm">
        <Link href="/privacy/incidents" className="text-blue-800 hover:underline">
          ← {t("privacy.incidents.title")}
        </Link>
      </p>
      <PageHeader title={i.title} description={`${t(`privacy.severity.${i.severity}`)} · ${t(`privacy.incidentStatus.${i.status}`)}`} />
      {overdue ? <Alert tone="error">{t("privacy.incident.reportOverdue", { at: formatDateTime(reportDeadline(i.detectedAt), locale) })}</Alert> : null}
      <Card>
        <dl className="divide-y divide-slate-100">
          <Row label={t("privacy.incident.description")}>{i.description}</Row>
          <Row label={t("privacy.incident.detectedAt")}>{formatDateTime(i.detectedAt, locale)}</Row>
          <Row label={t("privacy.incident.dataCategories")}>{i.dataCategories}</Row>
          <Row label={t("privacy.incident.affectedSubjects")}>{i.affectedSubjects}</Row>
          <Row label={t("privacy.incident.cause")}>{i.cause ?? "—"}</Row>
          <Row label={t("privacy.incident.remedialActions")}>{i.remedialActions ?? "—"}</Row>
          <Row label={t("privacy.incident.regulatorNotifiedAt")}>{formatDateTime(i.regulatorNotifiedAt, locale)}</Row>
          <Row label={t("privacy.incident.individualsNotifiedAt")}>{formatDateTime(i.individualsNotifiedAt, locale)}</Row>
          <Row label={t("privacy.incident.individualsNotice")}>{i.individualsNotice ?? "—"}</Row>
        </dl>
      </Card>
      {i.status === "OPEN" && actor.permissions.has("privacy.manage") ? (
        <Card title={t("privacy.incident.update")}>
          <IncidentUpdateForm id={i.id} version={i.version} remedialActions={i.remedialActions ?? ""} individualsNotice={i.individualsNotice ?? ""} />
        </Card>
      ) : null}
    </div>
  );
}
