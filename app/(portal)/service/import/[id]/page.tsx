import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { LinkButton } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { getCaseImport } from "@/lib/service/queries";
import { id as idSchema } from "@/lib/validation";
import { ImportDecisionForms } from "../../_components/import-forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("service.import.preview") };
}

const PREVIEW_FIELDS = ["title", "customerName", "channel", "caseType", "priority", "team", "assignee", "receivedAt", "resolvedAt"] as const;

export default async function ServiceImportPreviewPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePagePermission("service.manage");
  const { t } = await getI18n();
  const { id } = await params;
  if (!idSchema.safeParse(id).success) notFound();
  const imp = await getCaseImport(db(), id);
  if (!imp) notFound();
  return (
    <div className="space-y-6">
      <PageHeader
        title={`${t("service.import.preview")} · ${imp.fileName}`}
        description={`${t("service.import.total")} ${imp.totalRows} · ${t("service.import.valid")} ${imp.validCount} · ${t("service.import.invalid")} ${imp.invalidCount}`}
        actions={<LinkButton href="/service/import">{t("service.import.title")}</LinkButton>}
      />
      <Card>
        <div className="space-y-3" data-testid="import-status">
          <Badge tone={imp.status === "CONFIRMED" ? "green" : imp.status === "READY" ? "amber" : "slate"}>{t(`service.import.status.${imp.status}`)}</Badge>
          {imp.status === "CONFIRMED" ? <Alert tone="success">{t("service.import.confirmed", { count: imp.created })}</Alert> : null}
          {imp.status === "READY" && imp.invalidCount > 0 ? <Alert tone="error">{t("service.import.fixAndRetry", { count: imp.invalidCount })}</Alert> : null}
          {imp.status === "READY" ? <ImportDecisionForms importId={imp.id} valid={imp.validCount} canConfirm={imp.invalidCount === 0} /> : null}
        </div>
      </Card>
      {/* The file's rows as cards on a phone: whether the row is usable (or its problems) first. */}
      <DataList caption={t("service.import.preview")}>
        <ListHead>
          <Th>{t("service.import.line")}</Th>
          <Th>{t("service.import.problemsLabel")}</Th>
          {PREVIEW_FIELDS.map((f) => (
            <Th key={f}>{t(`service.import.fields.${f}`)}</Th>
          ))}
        </ListHead>
        <ListBody data-testid="import-rows">
          {imp.rows.map((r) => (
            <ListRow key={r.line} data-testid="import-row" data-valid={r.parsed ? "1" : "0"}>
              <Cell label={t("service.import.line")} className="tabular-nums">{r.line}</Cell>
              <Cell kind="status" className="sm:min-w-48">
                {r.problems.length === 0 ? (
                  <Badge tone="green">{t("service.import.ok")}</Badge>
                ) : (
                  <ul className="space-y-0.5 text-red-800">
                    {r.problems.map((p, i) => (
                      <li key={i}>
                        {t("common.labelled", { label: t(`service.import.fields.${p.field}`), value: t(p.key, p.params) })}
                      </li>
                    ))}
                  </ul>
                )}
              </Cell>
              {PREVIEW_FIELDS.map((f) => (
                <Cell key={f} kind={f === "title" ? "title" : "field"} label={t(`service.import.fields.${f}`)} className="sm:whitespace-nowrap">
                  {r.raw[f] ?? ""}
                </Cell>
              ))}
            </ListRow>
          ))}
        </ListBody>
      </DataList>
    </div>
  );
}
