import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ConfirmForm } from "@/components/accounts/import/confirm-form";
import { formatImportTime, statusTone } from "@/components/accounts/import/format";
import { RowTable } from "@/components/accounts/import/row-table";
import { Alert } from "@/components/ui/alert";
import { LinkButton } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { CATEGORIES, getImport, PREVIEW_ROWS, previewRows } from "@/lib/accounts/import/queries";
import { refusalText } from "@/lib/accounts/import/report";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { id as idSchema } from "@/lib/validation";

type Props = { params: Promise<{ id: string }> };

const load = cache(async (id: string) => {
  await requirePagePermission("accounts.manage");
  if (!idSchema.safeParse(id).success) notFound();
  const found = await getImport(db(), id);
  if (!found) notFound();
  return found;
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { t } = await getI18n();
  const { id } = await params;
  if (!idSchema.safeParse(id).success) return { title: t("contactImport.preview") };
  const found = await load(id);
  return { title: `${found.fileName} · ${t("contactImport.preview")}` };
}

export default async function ContactImportPreviewPage({ params }: Props) {
  const { id } = await params;
  const imp = await load(id);
  const { t, locale } = await getI18n();
  const showRows = imp.status === "READY" || imp.status === "CONFIRMED";
  const rows = showRows ? await Promise.all(CATEGORIES.map((c) => previewRows(db(), imp.id, c))) : [[], [], []];
  const countOf = { ADD: imp.addCount, DUPLICATE: imp.duplicateCount, INVALID: imp.invalidCount };
  const num = (n: number) => n.toLocaleString(locale);

  return (
    <div className="space-y-6">
      <PageHeader
        title={t("contactImport.preview")}
        description={imp.fileName}
        actions={
          <LinkButton href="/accounts/import" variant="secondary">
            {t("contactImport.backToUpload")}
          </LinkButton>
        }
      />
      <Card>
        <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-xs font-medium text-slate-500">{t("contactImport.statusLabel")}</dt>
            <dd className="mt-0.5">
              <Badge tone={statusTone(imp.status)}>{t(`contactImport.status.${imp.status}`)}</Badge>
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">{t("contactImport.encoding")}</dt>
            <dd className="mt-0.5 text-slate-900">{imp.encoding}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">{t("contactImport.createdAt")}</dt>
            <dd className="mt-0.5 text-slate-900">{formatImportTime(imp.createdAt, locale)}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">{t("contactImport.counts.total")}</dt>
            <dd className="mt-0.5 tabular-nums text-slate-900">{num(imp.totalRows)}</dd>
          </div>
        </dl>
        {showRows ? (
          <dl className="mt-4 grid grid-cols-3 gap-4 text-center">
            {CATEGORIES.map((c) => (
              <div key={c} className="rounded-md border border-slate-200 p-3">
                <dt className="text-xs font-medium text-slate-500">{t(`contactImport.counts.${c}`)}</dt>
                <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{num(countOf[c])}</dd>
              </div>
            ))}
          </dl>
        ) : null}
      </Card>

      {imp.status === "FAILED" && imp.errorKey ? <Alert tone="error">{refusalText(t, imp.errorKey, imp.errorDetail)}</Alert> : null}
      {imp.status === "EXPIRED" ? <Alert tone="warning">{t("contactImport.expired")}</Alert> : null}
      {imp.status === "STAGING" ? <Alert tone="info">{t("contactImport.processing")}</Alert> : null}
      {imp.status === "CONFIRMED" ? <Alert tone="success">{t("contactImport.confirmed", { count: num(imp.insertedCount ?? 0) })}</Alert> : null}

      {showRows ? (
        <div className="flex flex-wrap items-start gap-4">
          <LinkButton href={`/api/accounts/import/report?id=${imp.id}`} variant="secondary">
            {t("contactImport.report")}
          </LinkButton>
        </div>
      ) : null}

      {imp.status === "READY" ? (
        <Card>{imp.addCount > 0 ? <ConfirmForm importId={imp.id} count={imp.addCount} /> : <p className="text-sm text-slate-700">{t("contactImport.nothingToAdd")}</p>}</Card>
      ) : null}

      {showRows
        ? CATEGORIES.map((c, index) => (
            <section key={c} className="space-y-2">
              <h2 className="text-base font-semibold text-slate-900">
                {t(`contactImport.categories.${c}`)}
                {locale === "en" ? ` (${num(countOf[c])})` : `（${num(countOf[c])}）`}
              </h2>
              {countOf[c] > PREVIEW_ROWS ? <p className="text-sm text-slate-600">{t("contactImport.firstRows", { shown: PREVIEW_ROWS, total: num(countOf[c]) })}</p> : null}
              <RowTable t={t} caption={t(`contactImport.categories.${c}`)} rows={rows[index]} showReason={c !== "ADD"} />
            </section>
          ))
        : null}
    </div>
  );
}
