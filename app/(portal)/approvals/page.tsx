import type { Metadata } from "next";
import { InboxList } from "@/components/approvals/inbox-list";
import { InboxTabs } from "@/components/approvals/inbox-tabs";
import { PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { countPendingOn, listInbox } from "@/lib/approvals/queries";
import { INBOX_TABS, inboxParamsSchema } from "@/lib/approvals/schemas";
import { DEFAULT_TIME_ZONE } from "@/lib/calendar";
import { getI18n } from "@/lib/i18n/server";
import { requireActor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("approvals.inbox.title") };
}

export default async function ApprovalInboxPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireActor();
  const { t, locale } = await getI18n();
  const raw = firstValues(await searchParams);
  const { tab, page } = inboxParamsSchema.parse(raw);
  const now = new Date();
  const [list, pending] = await Promise.all([listInbox(db(), actor, tab, page, now), countPendingOn(db(), actor, now)]);
  const kept = { tab };

  return (
    <>
      <PageHeader title={t("approvals.inbox.title")} description={t("approvals.inbox.description")} />
      <InboxTabs
        current={tab}
        label={t("approvals.inbox.tabsLabel")}
        tabs={INBOX_TABS.map((x) => ({
          tab: x,
          label: t(`approvals.inbox.tabs.${x}`),
          href: hrefWith("/approvals", {}, { tab: x === "pending" ? undefined : x }),
          count: x === "pending" ? pending.count : undefined,
        }))}
      />
      <InboxList items={list.items} tab={tab} t={t} locale={locale} timeZone={DEFAULT_TIME_ZONE} emptyText={t(`approvals.inbox.empty.${tab}`)} />
      {list.total > list.pageSize ? (
        <Pagination
          page={list.page}
          pageSize={list.pageSize}
          total={list.total}
          href={(p) => hrefWith("/approvals", kept, { page: p > 1 ? p : undefined, tab: tab === "pending" ? undefined : tab })}
        />
      ) : null}
    </>
  );
}
