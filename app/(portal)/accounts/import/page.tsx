import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { UploadForm } from "@/components/accounts/import/upload-form";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { recentImports } from "@/lib/accounts/import/queries";
import { HEADER_ALIASES, IMPORT_FIELDS } from "@/lib/accounts/import/parse";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { formatImportTime, statusTone } from "@/components/accounts/import/format";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("contactImport.title") };
}

export default async function ContactImportPage() {
  await requirePagePermission("accounts.manage");
  const { t, locale } = await getI18n();
  const imports = await recentImports(db());
  return (
    <div className="space-y-6">
      <PageHeader title={t("contactImport.title")} description={t("contactImport.intro")} />
      <Card>
        <UploadForm />
      </Card>
      <Card title={t("contactImport.columnsTitle")}>
        <p className="mb-3 text-sm text-slate-700">{t("contactImport.columnsIntro")}</p>
        <dl className="grid gap-2 text-sm sm:grid-cols-[12rem_1fr]">
          {IMPORT_FIELDS.map((field) => (
            <div key={field} className="contents">
              <dt className="font-medium text-slate-800">{t(`contactImport.fields.${field}`)}</dt>
              <dd className="text-slate-700">
                {HEADER_ALIASES[field].map((alias) => (
                  <code key={alias} className="mr-2 inline-block rounded bg-slate-100 px-1.5 py-0.5 text-xs">
                    {alias}
                  </code>
                ))}
              </dd>
            </div>
          ))}
        </dl>
        <p className="mt-3 text-sm text-slate-700">{t("contactImport.addedAtHint")}</p>
        <p className="mt-1 text-sm text-slate-700">{t("contactImport.accountHint")}</p>
      </Card>
      <section className="space-y-2">
        <h2 className="text-base font-semibold text-slate-900">{t("contactImport.recent")}</h2>
        <DataList caption={t("contactImport.recent")}>
          <ListHead>
              <Th>{t("contactImport.fileName")}</Th>
              <Th>{t("contactImport.createdAt")}</Th>
              <Th>{t("contactImport.statusLabel")}</Th>
              <Th className="text-right">{t("contactImport.counts.total")}</Th>
              <Th className="text-right">{t("contactImport.counts.ADD")}</Th>
              <Th className="text-right">{t("contactImport.counts.DUPLICATE")}</Th>
              <Th className="text-right">{t("contactImport.counts.INVALID")}</Th>
        </ListHead>
          <ListBody>
            {imports.length === 0 ? <ListEmpty colSpan={7}>{t("contactImport.none")}</ListEmpty> : null}
            {imports.map((i) => (
              <ListRow key={i.id}>
                <Cell kind="title" className="break-all sm:max-w-xs">
                  <Link className="text-blue-700 underline" href={`/accounts/import/${i.id}`}>
                    {i.fileName}
                  </Link>
                </Cell>
                <Cell label={t("contactImport.createdAt")} className="whitespace-nowrap">{formatImportTime(i.createdAt, locale)}</Cell>
                <Cell kind="status">
                  <Badge tone={statusTone(i.status)}>{t(`contactImport.status.${i.status}`)}</Badge>
                </Cell>
                <Cell label={t("contactImport.counts.total")} className="text-right tabular-nums">{i.totalRows.toLocaleString(locale)}</Cell>
                <Cell label={t("contactImport.counts.ADD")} className="text-right tabular-nums">{i.addCount.toLocaleString(locale)}</Cell>
                <Cell label={t("contactImport.counts.DUPLICATE")} className="text-right tabular-nums">{i.duplicateCount.toLocaleString(locale)}</Cell>
                <Cell label={t("contactImport.counts.INVALID")} className="text-right tabular-nums">{i.invalidCount.toLocaleString(locale)}</Cell>
              </ListRow>
            ))}
          </ListBody>
        </DataList>
      </section>
    </div>
  );
}
