import type { Metadata } from "next";
import { formatDateTime } from "@/components/groups/format";
import { PolicyForm } from "@/components/groups/policy-form";
import { Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { CLASSIFICATION_ORDER } from "@/lib/groups/membership";
import { loadPolicy, toPolicy } from "@/lib/groups/policy";
import { policyHistory } from "@/lib/groups/queries";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("groups.settings.title") };
}

export default async function NamingRulePage() {
  await requirePagePermission("naming.configure");
  const { t, locale } = await getI18n();
  const client = db();
  const [policy, history] = await Promise.all([loadPolicy(client), policyHistory(client)]);
  const [listSep, partSep] = locale.startsWith("zh") ? ["、", "；"] : [", ", "; "];

  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <PageHeader title={t("groups.settings.title")} description={`${t("groups.settings.description")} ${t("groups.settings.current", { version: policy.version })}`} />
      <PolicyForm
        initial={{
          version: policy.version,
          template: policy.template,
          maxLength: policy.maxLength,
          blockedWords: policy.blockedWords,
          blockedWordExemptions: policy.blockedWordExemptions,
          archiveWindowDays: policy.archiveWindowDays,
          reviewDays: policy.reviewDays,
          membership: policy.membership,
        }}
      />
      <Card title={t("groups.settings.history")}>
        <DataList caption={t("groups.settings.history")}>
          <ListHead>
              <Th>{t("groups.settings.historyColumns.version")}</Th>
              <Th>{t("groups.settings.historyColumns.createdAt")}</Th>
              <Th>{t("groups.settings.historyColumns.createdBy")}</Th>
              <Th>{t("groups.settings.historyColumns.template")}</Th>
              <Th>{t("groups.settings.historyColumns.maxLength")}</Th>
              <Th>{t("groups.settings.historyColumns.blockedWords")}</Th>
              <Th>{t("groups.settings.historyColumns.blockedWordExemptions")}</Th>
              <Th>{t("groups.settings.historyColumns.archiveWindowDays")}</Th>
              <Th>{t("groups.settings.historyColumns.reviewDays")}</Th>
              <Th>{t("groups.settings.historyColumns.membership")}</Th>
        </ListHead>
          <ListBody data-testid="policy-history">
            {history.map((row) => {
              const p = toPolicy(row);
              return (
                <ListRow key={p.id}>
                  <Cell kind="title" className="tabular-nums">{p.version}</Cell>
                  <Cell label={t("groups.settings.historyColumns.createdAt")} className="whitespace-nowrap">{formatDateTime(p.createdAt, locale)}</Cell>
                  <Cell label={t("groups.settings.historyColumns.createdBy")} className="whitespace-nowrap">{row.createdBy?.name ?? t("groups.settings.system")}</Cell>
                  <Cell label={t("groups.settings.historyColumns.template")} className="whitespace-nowrap">{p.template}</Cell>
                  <Cell label={t("groups.settings.historyColumns.maxLength")} className="tabular-nums">{p.maxLength}</Cell>
                  <Cell label={t("groups.settings.historyColumns.blockedWords")} className="sm:min-w-48">{p.blockedWords.join(listSep)}</Cell>
                  <Cell label={t("groups.settings.historyColumns.blockedWordExemptions")} className="sm:min-w-48">{p.blockedWordExemptions.join(listSep)}</Cell>
                  <Cell label={t("groups.settings.historyColumns.archiveWindowDays")} className="tabular-nums">{p.archiveWindowDays}</Cell>
                  <Cell label={t("groups.settings.historyColumns.reviewDays")} className="whitespace-nowrap tabular-nums">
                    {p.reviewDays.PUBLIC}/{p.reviewDays.INTERNAL}/{p.reviewDays.CONFIDENTIAL}/{p.reviewDays.SECRET}
                  </Cell>
                  <Cell label={t("groups.settings.historyColumns.membership")} className="sm:min-w-48 tabular-nums">
                    {[
                      CLASSIFICATION_ORDER.map((c) => p.membership[c].maxMembers).join("/"),
                      CLASSIFICATION_ORDER.filter((c) => p.membership[c].externalAllowed).map((c) => t(`groups.classification.${c}`)).join(listSep) || "—",
                      CLASSIFICATION_ORDER.filter((c) => p.membership[c].departedMayStay).map((c) => t(`groups.classification.${c}`)).join(listSep) || "—",
                    ].join(partSep)}
                  </Cell>
                </ListRow>
              );
            })}
          </ListBody>
        </DataList>
      </Card>
    </div>
  );
}
