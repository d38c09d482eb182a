import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDateTime } from "@/components/groups/format";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { ARCHIVE_PURPOSE, archiveAgreements } from "@/lib/privacy/wecom-archive";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, type SearchParams } from "@/lib/url";
import { ReadNowButton } from "./read-now";

// Customers' chat-archive agreement as WeCom reported it (lib/privacy/wecom-archive.ts): who
// agreed, who refused and when; "read now" for the privacy officer.

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.wecomArchive.title") };
}

export default async function WeComArchivePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("privacy.read:all");
  const { t, locale } = await getI18n();
  const raw = firstValues(await searchParams).status;
  const status = raw === "AGREE" || raw === "DISAGREE" ? raw : undefined;
  const view = await archiveAgreements(db(), { status, take: 200 });
  const filterLink = (value: string | undefined, label: string) => (
    <Link href={value ? `/privacy/wecom-archive?status=${value}` : "/privacy/wecom-archive"} aria-current={status === value ? "page" : undefined} className={`rounded border px-2 py-1 text-sm ${status === value ? "border-blue-700 bg-blue-50 text-blue-900" : "border-slate-300 text-blue-800 hover:bg-slate-50"}`}>
      {label}
    </Link>
  );
  return (
    <div className="space-y-4">
      <PageHeader title={t("privacy.wecomArchive.title")} description={t("privacy.wecomArchive.description")} actions={actor.permissions.has("privacy.manage") ? <ReadNowButton /> : null} />
      <Card>
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
          <span>{t("privacy.wecomArchive.agreed", { count: view.agreed })}</span>
          <span>{t("privacy.wecomArchive.refused", { count: view.refused })}</span>
          <span>{view.lastReadAt ? t("privacy.wecomArchive.lastRead", { at: formatDateTime(view.lastReadAt, locale) }) : t("privacy.wecomArchive.never")}</span>
          <Link href={`/privacy/consents?purpose=${ARCHIVE_PURPOSE}`} className="text-blue-800 hover:underline">
            {t("privacy.wecomArchive.consentsLink")}
          </Link>
        </p>
        <nav aria-label={t("privacy.wecomArchive.filter")} className="mt-3 flex flex-wrap gap-2">
          {filterLink(undefined, t("privacy.wecomArchive.all"))}
          {filterLink("AGREE", t("privacy.wecomArchive.status.AGREE"))}
          {filterLink("DISAGREE", t("privacy.wecomArchive.status.DISAGREE"))}
        </nav>
      </Card>
      <div className="overflow-x-auto">
        <DataList caption={t("privacy.wecomArchive.title")}>
          <ListHead>
              <Th>{t("privacy.wecomArchive.customer")}</Th>
              <Th>{t("privacy.wecomArchive.scope")}</Th>
              <Th>{t("privacy.wecomArchive.context")}</Th>
              <Th>{t("privacy.wecomArchive.answer")}</Th>
              <Th>{t("privacy.wecomArchive.changedAt")}</Th>
        </ListHead>
          <ListBody>
            {view.rows.length === 0 ? <ListEmpty colSpan={5}>{t("privacy.wecomArchive.empty")}</ListEmpty> : null}
            {view.rows.map((r) => (
              <ListRow key={r.id}>
                <Cell kind="title">
                  <Link href={`/privacy/subjects/${r.subjectId}`} className="font-medium text-blue-800 hover:underline">
                    {r.subjectName}
                  </Link>
                </Cell>
                <Cell label={t("privacy.wecomArchive.scope")}>{t(`privacy.wecomArchive.scopes.${r.scope}`)}</Cell>
                <Cell label={t("privacy.wecomArchive.context")} className="break-all font-mono text-xs">{r.context}</Cell>
                <Cell kind="status">
                  <Badge tone={r.status === "AGREE" ? "green" : "red"}>{t(`privacy.wecomArchive.status.${r.status}`)}</Badge>
                </Cell>
                <Cell label={t("privacy.wecomArchive.changedAt")}>{formatDateTime(r.changedAt, locale)}</Cell>
              </ListRow>
            ))}
          </ListBody>
        </DataList>
      </div>
    </div>
  );
}
