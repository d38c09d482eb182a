import type { Metadata } from "next";
import { BATCH_FORM_ID, BatchApproveForm } from "@/components/approvals/batch-approve";
import { InboxList } from "@/components/approvals/inbox-list";
import { InboxSearch } from "@/components/approvals/inbox-search";
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
  const { tab, page, q } = inboxParamsSchema.parse(raw);
  const now = new Date();
  const [list, pending] = await Promise.all([listInbox(db(), actor, tab, page, now, undefined, q), countPendingOn(db(), actor, now)]);
  const kept: Record<string, string> = q ? { tab, q } : { tab };
  const batchable = list.items.some((i) => i.batchable);

  return (
    <>
      <PageHeader title={t("approvals.inbox.title")} description={t("approvals.inbox.description")} />
      <InboxTabs
        current={tab}
        label={t("approvals.inbox.tabsLabel")}
        tabs={INBOX_TABS.map((x) => ({
          tab: x,
          label: t(`approvals.inbox.tabs.${x}`),
          href: hrefWith("/approvals", {}, { tab: x === "pending" ? undefined : x, q }),
          count: x === "pending" ? pending.count : undefined,
        }))}
      />
      <InboxSearch tab={tab} q={q} total={list.total} t={t} />
      <BatchApproveForm available={Boolean(batchable)} />
      <InboxList batchFormId={batchable ? BATCH_FORM_ID : undefined} items={list.items} tab={tab} t={t} locale={locale} timeZone={DEFAULT_TIME_ZONE} emptyText={t(`approvals.inbox.empty.${tab}`)} />
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
