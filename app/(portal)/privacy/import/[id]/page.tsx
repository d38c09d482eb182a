import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { getImport } from "@/lib/privacy/import";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { isId } from "../../_components/bits";
import { ConfirmImportForm } from "../../_components/forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.import.title") };
}

export default async function ImportPreviewPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("privacy.manage");
  const { id } = await params;
  if (!isId(id)) notFound();
  const { t } = await getI18n();
  const imp = await getImport(db(), id, actor.id);
  if (!imp) notFound();
  return (
    <div className="mx-auto max-w-5xl min-w-0 space-y-4">
      <p className="text-sm">
        <Link href="/privacy/import" className="text-blue-800 hover:underline">
          ← {t("privacy.import.title")}
        </Link>
      </p>
      <PageHeader title={t("privacy.import.previewTitle", { file: imp.fileName })} description={t("privacy.import.summary", { total: imp.totalRows, valid: imp.validRows, invalid: imp.invalidRows })} />
      {imp.status === "READY" && imp.validRows > 0 ? (
        <Card>
          <p className="mb-3 text-sm text-slate-600">{t("privacy.import.confirmHint", { valid: imp.validRows })}</p>
          <ConfirmImportForm importId={imp.id} />
        </Card>
      ) : null}
      {imp.status === "CONFIRMED" ? <p className="text-sm text-green-800">{t("privacy.import.done", { count: imp.insertedCount ?? 0 })}</p> : null}
      <DataList caption={t("privacy.import.rows")}>
        <ListHead>
            <Th>{t("privacy.import.line")}</Th>
            <Th>{t("privacy.import.result")}</Th>
            <Th>{t("privacy.import.row")}</Th>
        </ListHead>
        <ListBody>
          {imp.rows.length === 0 ? <ListEmpty colSpan={3}>—</ListEmpty> : null}
          {imp.rows.map((r) => (
            <ListRow key={r.rowNumber}>
              <Cell label={t("privacy.import.line")}>{r.rowNumber}</Cell>
              <Cell kind="status">
                {r.valid ? (
                  <Badge tone="green">{t("privacy.import.valid")}</Badge>
                ) : (
                  <Badge tone="red">{r.reasons.split(",").map((k) => t(`privacy.import.reasons.${k}`)).join("；")}</Badge>
                )}
              </Cell>
              <Cell label={t("privacy.import.row")} className="text-xs break-all">{r.summary}</Cell>
            </ListRow>
          ))}
        </ListBody>
      </DataList>
    </div>
  );
}
