import { formatDateTime, formatDay } from "@/components/groups/format";
import { Badge, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { Pagination } from "@/components/ui/pagination";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { markNotificationsReadAction } from "@/lib/notifications/actions";
import { myHandoverItems } from "@/lib/offboarding/mine";
import { requireActor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";
import { listParams } from "@/lib/validation";
import type { Metadata } from "next";

const params = listParams(["label"] as const, "label");

// Anyone may be a successor: this page lists only what is handed to the signed-in person.
export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: `${t("offboarding.mine.title")} · ${t("nav.offboarding")}` };
}

export default async function MyHandoverPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireActor();
  const { t, locale } = await getI18n();
  const current = firstValues(await searchParams);
  const p = params.parse(current);
  const [{ items, total }, unread] = await Promise.all([
    myHandoverItems(actor, db(), p.page, 50),
    db().notification.count({ where: { recipientId: actor.id, readAt: null, kind: "offboarding.reminder" } }),
  ]);
  return (
    <>
      <PageHeader title={t("offboarding.mine.title")} description={t("offboarding.mine.description")} />
      {unread > 0 ? (
        <div className="mb-4">
          <ActionForm action={markNotificationsReadAction} className="inline">
            <SubmitButton variant="secondary">{t("offboarding.mine.markRead")}</SubmitButton>
          </ActionForm>
        </div>
      ) : null}
      <DataList caption={t("offboarding.mine.title")}>
        <ListHead>
            <Th>{t("offboarding.mine.leaver")}</Th>
            <Th>{t("offboarding.mine.item")}</Th>
            <Th>{t("offboarding.fields.status")}</Th>
        </ListHead>
        <ListBody data-testid="my-handover-items">
          {items.length === 0 ? (
            <ListEmpty colSpan={3}>{t("offboarding.mine.empty")}</ListEmpty>
          ) : (
            items.map((it) => (
              <ListRow key={it.id}>
                <Cell kind="deadline" label={t("offboarding.mine.leaver")}>
                  {it.leaverName}
                  <span className="block text-xs text-slate-500">{formatDay(it.lastWorkingDay, locale)}</span>
                </Cell>
                <Cell kind="title">
                  <Badge>{t(`offboarding.kind.${it.kind}`)}</Badge> {it.label}
                </Cell>
                <Cell kind="status">
                  {t(`offboarding.status.${it.status}`)}
                  {it.status === "TRANSFERRING" && it.transferDueAt ? (
                    <span className="block text-xs text-slate-500">{t("offboarding.dueAt", { at: formatDateTime(it.transferDueAt, locale) })}</span>
                  ) : null}
                </Cell>
              </ListRow>
            ))
          )}
        </ListBody>
      </DataList>
      <Pagination page={p.page} pageSize={50} total={total} href={(page) => hrefWith("/offboarding/mine", current, { page: page > 1 ? page : undefined })} />
    </>
  );
}
