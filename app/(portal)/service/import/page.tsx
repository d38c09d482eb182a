import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDateTime } from "@/components/groups/format";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { CASE_HEADER_ALIASES, CASE_IMPORT_FIELDS, CASE_IMPORT_REQUIRED } from "@/lib/service/import-parse";
import { recentCaseImports } from "@/lib/service/queries";
import { ImportUploadForm } from "../_components/import-forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("service.import.title") };
}

const tone = { READY: "amber", CONFIRMED: "green", DISCARDED: "slate" } as const;

export default async function ServiceImportPage() {
  await requirePagePermission("service.manage");
  const { t, locale } = await getI18n();
  const imports = await recentCaseImports(db());
  return (
    <div className="space-y-6">
      <PageHeader title={t("service.import.title")} description={t("service.import.intro")} />
      <Card>
        <ImportUploadForm />
      </Card>
      <Card title={t("service.import.columnsTitle")}>
        <p className="mb-3 text-sm text-slate-700">{t("service.import.columnsIntro")}</p>
        <dl className="grid gap-2 text-sm sm:grid-cols-[12rem_1fr]">
          {CASE_IMPORT_FIELDS.map((field) => (
            <div key={field} className="contents">
              <dt className="font-medium text-slate-800">
                {t(`service.import.fields.${field}`)}
                {CASE_IMPORT_REQUIRED.includes(field) ? <span className="ml-0.5 text-red-700">*</span> : null}
              </dt>
              <dd className="text-slate-700">
                {CASE_HEADER_ALIASES[field].map((alias) => (
                  <code key={alias} className="mr-2 inline-block rounded bg-slate-100 px-1.5 py-0.5 text-xs">
                    {alias}
                  </code>
                ))}
              </dd>
            </div>
          ))}
        </dl>
      </Card>
      <section className="space-y-2">
        <h2 className="text-base font-semibold text-slate-900">{t("service.import.recent")}</h2>
        <DataList caption={t("service.import.recent")}>
          <ListHead>
              <Th>{t("service.import.fileName")}</Th>
              <Th>{t("service.import.createdAt")}</Th>
              <Th>{t("service.import.statusLabel")}</Th>
              <Th className="text-right">{t("service.import.total")}</Th>
              <Th className="text-right">{t("service.import.valid")}</Th>
              <Th className="text-right">{t("service.import.invalid")}</Th>
        </ListHead>
          <ListBody>
            {imports.length === 0 ? <ListEmpty colSpan={6}>{t("service.import.none")}</ListEmpty> : null}
            {imports.map((i) => (
              <ListRow key={i.id}>
                <Cell kind="title" className="break-all sm:max-w-xs">
                  <Link className="text-blue-700 underline" href={`/service/import/${i.id}`}>
                    {i.fileName}
                  </Link>
                </Cell>
                <Cell label={t("service.import.createdAt")} className="whitespace-nowrap">{formatDateTime(i.createdAt, locale)}</Cell>
                <Cell kind="status">
                  <Badge tone={tone[i.status]}>{t(`service.import.status.${i.status}`)}</Badge>
                </Cell>
                <Cell label={t("service.import.total")} className="text-right tabular-nums">{i.totalRows}</Cell>
                <Cell label={t("service.import.valid")} className="text-right tabular-nums">{i.validCount}</Cell>
                <Cell label={t("service.import.invalid")} className="text-right tabular-nums">{i.invalidCount}</Cell>
              </ListRow>
            ))}
          </ListBody>
        </DataList>
      </section>
    </div>
  );
}
