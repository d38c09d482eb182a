import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDateTime } from "@/components/groups/format";
import { LinkButton } from "@/components/ui/button";
import { Badge, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { listNotices } from "@/lib/privacy/queries";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.notices.title") };
}

const TONE = { DRAFT: "amber", PUBLISHED: "green", RETIRED: "slate" } as const;

export default async function NoticesPage() {
  const actor = await requirePagePermission("privacy.manage", "privacy.read:all");
  const { t, locale } = await getI18n();
  const notices = await listNotices(db());
  return (
    <>
      <PageHeader
        title={t("privacy.notices.title")}
        description={t("privacy.notices.description")}
        actions={
          actor.permissions.has("privacy.manage") ? (
            <LinkButton href="/privacy/notices/new" variant="primary" data-testid="notice-new">
              {t("privacy.notice.new")}
            </LinkButton>
          ) : null
        }
      />
      <DataList caption={t("privacy.notices.title")}>
        <ListHead>
            <Th>{t("privacy.notice.title")}</Th>
            <Th>{t("privacy.notice.noticeKey")}</Th>
            <Th>{t("privacy.notice.version")}</Th>
            <Th>{t("privacy.notice.status")}</Th>
            <Th>{t("privacy.notice.retentionDays")}</Th>
            <Th>{t("privacy.notice.publishedAt")}</Th>
        </ListHead>
        <ListBody data-testid="notice-table">
          {notices.length === 0 ? <ListEmpty colSpan={6}>{t("privacy.notices.empty")}</ListEmpty> : null}
          {notices.map((n) => (
            <ListRow key={n.id}>
              <Cell kind="title" className="sm:min-w-40">
                <Link href={`/privacy/notices/${n.id}`} className="font-medium text-blue-800 hover:underline">
                  {n.title}
                </Link>
              </Cell>
              <Cell label={t("privacy.notice.noticeKey")} className="font-mono">{n.noticeKey}</Cell>
              <Cell label={t("privacy.notice.version")}>v{n.noticeVersion}</Cell>
              <Cell kind="status">
                <Badge tone={TONE[n.status]}>{t(`privacy.noticeStatus.${n.status}`)}</Badge>
              </Cell>
              <Cell label={t("privacy.notice.retentionDays")}>{n.retentionDays ?? "—"}</Cell>
              <Cell label={t("privacy.notice.publishedAt")} className="whitespace-nowrap">{formatDateTime(n.publishedAt, locale)}</Cell>
            </ListRow>
          ))}
        </ListBody>
      </DataList>
    </>
  );
}
