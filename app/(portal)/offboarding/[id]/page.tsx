import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { formatDateTime, formatDay } from "@/components/groups/format";
import { BulkForms, CaseForms, ItemActions, RefreshResultsForm } from "@/components/offboarding/forms";
import { Alert } from "@/components/ui/alert";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { SelectField, TextField } from "@/components/ui/field";
import { FilterBar } from "@/components/ui/filter-bar";
import { Pagination } from "@/components/ui/pagination";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { activeEmployees, caseDetail, caseItems, groupTransferBacklog } from "@/lib/offboarding/queries";
import { ITEM_KINDS, ITEM_STATUSES, itemListSchema } from "@/lib/offboarding/schemas";
import { isoDay, shanghaiToday } from "@/lib/offboarding/time";
import { requirePagePermission } from "@/lib/server/actor";
import { explainErrcode, TRANSFER_STATUS } from "@/lib/wecom/errors";
import { db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";
import { id as idSchema } from "@/lib/validation";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("offboarding.title") };
}

const tone = { PENDING: "slate", TRANSFERRING: "blue", DONE: "green", REFUSED: "amber", FAILED: "red", WAIVED: "green" } as const;

export default async function OffboardingCasePage({ params, searchParams }: Props) {
  const actor = await requirePagePermission("offboarding.read");
  const { t, locale } = await getI18n();
  const { id } = await params;
  if (!idSchema.safeParse(id).success) notFound();
  const client = db();
  const detail = await caseDetail(actor, client, id).catch((e) => {
    if (e instanceof DomainError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const p = itemListSchema.parse(firstValues(await searchParams));
  const filter = { kind: p.kind, accountId: p.accountId, status: p.status, q: p.q || undefined };
  const now = new Date();
  const [items, successors, groupBacklog] = await Promise.all([
    caseItems(actor, client, id, filter, p.page, p.pageSize, now),
    activeEmployees(client, detail.case.employeeId),
    groupTransferBacklog(actor, client, id, now),
  ]);
  const state: Record<string, string> = {};
  if (p.kind) state.kind = p.kind;
  if (p.accountId) state.accountId = p.accountId;
  if (p.status) state.status = p.status;
  if (p.q) state.q = p.q;
  const path = `/offboarding/${id}`;
  const manage = actor.permissions.has("offboarding.manage") && detail.case.status === "OPEN";
  const signAs = (["HR", "ADMIN"] as const).filter((r) => actor.roles.includes(r));
  const people = successors.map((e) => ({ id: e.id, label: `${e.name}（${e.employeeNo}）` }));
  // As the command allows: any time on the last working day (China), or after it.
  const canDepart = !detail.case.departedAt && detail.case.lastWorkingDay.getTime() <= shanghaiToday(now).getTime();
  const pastDue = detail.case.status === "OPEN" && detail.case.lastWorkingDay < shanghaiToday(now);

  return (
    <>
      <PageHeader
        title={`${t("offboarding.title")} · ${detail.employee?.name ?? "—"}`}
        description={`${t("common.labelled", { label: t("offboarding.fields.lastWorkingDay"), value: formatDay(detail.case.lastWorkingDay, locale) })} · ${t(`offboarding.caseStatus.${detail.case.status}`)} · ${t("common.labelled", { label: t("offboarding.fields.openedBy"), value: detail.openedBy?.name ?? (detail.case.openedById.startsWith("system:") ? t("offboarding.fields.openedBySystem") : "—") })}`}
      />
      {pastDue ? <Alert tone="warning">{t("offboarding.pastDue")}</Alert> : null}
      {groupBacklog.waiting > 0 && groupBacklog.lastDay ? (
        <Alert tone="info">{t("offboarding.groupsLater", { count: groupBacklog.waiting, day: isoDay(shanghaiToday(groupBacklog.lastDay)) })}</Alert>
      ) : null}
      {detail.case.departedAt ? (
        <p className="mb-3 text-sm text-slate-700">
          {t("common.labelled", { label: t("offboarding.fields.departedAt"), value: formatDateTime(detail.case.departedAt, locale) })}
        </p>
      ) : (
        <p className="mb-3 text-sm text-slate-600">{t("offboarding.departureNote")}</p>
      )}

      <div className="mb-4 grid gap-3 sm:grid-cols-3" data-testid="offboarding-counts">
        {ITEM_KINDS.map((k) => (
          <Card key={k} title={t(`offboarding.kind.${k}`)}>
            {ITEM_STATUSES.every((s) => !detail.counts[k][s]) ? <p className="text-sm text-slate-500">0</p> : null}
            <ul className="flex flex-wrap gap-2 text-sm">
              {ITEM_STATUSES.filter((s) => detail.counts[k][s]).map((s) => (
                <li key={s}>
                  <Badge tone={tone[s]}>
                    {t(`offboarding.status.${s}`)} {detail.counts[k][s]}
                  </Badge>
                </li>
              ))}
            </ul>
          </Card>
        ))}
      </div>

      {manage ? (
        <div className="mb-4">
          <CaseForms caseId={id} version={detail.case.version} canDepart={canDepart} />
        </div>
      ) : null}
      {/* WeCom's transfer results now, not at the next 10-minute poll (issue 15). */}
      {manage && detail.counts.CONTACT.TRANSFERRING ? (
        <Card title={t("offboarding.actions.refreshResults")} className="mb-4">
          <RefreshResultsForm caseId={id} />
        </Card>
      ) : null}

      <FilterBar key={new URLSearchParams(state).toString()} action={path} label={t("offboarding.itemsCaption")} submitLabel={t("common.search")} resetHref={path} resetLabel={t("common.reset")}
        more={
          <SelectField name="accountId" label={t("offboarding.fields.account")} placeholder={t("offboarding.any")} defaultValue={p.accountId ?? ""} options={detail.accounts.map((a) => ({ value: a.id, label: a.label }))} />
        }
      >
        <SelectField name="kind" label={t("offboarding.fields.kind")} placeholder={t("offboarding.any")} defaultValue={p.kind ?? ""} options={ITEM_KINDS.map((k) => ({ value: k, label: t(`offboarding.kind.${k}`) }))} />
        <SelectField name="status" label={t("offboarding.fields.status")} placeholder={t("offboarding.any")} defaultValue={p.status ?? ""} options={ITEM_STATUSES.map((s) => ({ value: s, label: t(`offboarding.status.${s}`) }))} />
        <TextField name="q" type="search" label={t("offboarding.fields.search")} defaultValue={p.q ?? ""} maxLength={100} />
      </FilterBar>

      {manage ? (
        <Card title={t("offboarding.bulk.title")} className="mb-4">
          <BulkForms caseId={id} filter={{ kind: p.kind, accountId: p.accountId, status: p.status, q: p.q || undefined }} count={items.total} successors={people} />
        </Card>
      ) : null}

      <DataList caption={t("offboarding.itemsCaption")}>
        <ListHead>
            <Th>{t("offboarding.fields.item")}</Th>
            <Th>{t("offboarding.fields.status")}</Th>
            <Th>{t("offboarding.fields.successor")}</Th>
        </ListHead>
        <ListBody data-testid="offboarding-items">
          {items.rows.length === 0 ? (
            <ListEmpty colSpan={3}>{t("offboarding.noItems")}</ListEmpty>
          ) : (
            items.rows.flatMap((it) => [
              <ListRow key={it.id} data-testid="offboarding-item-row">
                <Cell kind="title" className="sm:min-w-40">
                  <span className="font-medium">{it.label}</span>
                  <span className="block text-xs text-slate-500">{t(`offboarding.kind.${it.kind}`)}</span>
                  {it.limitedUntil ? <span className="block text-xs text-red-700">{t("offboarding.limitedUntil", { until: isoDay(shanghaiToday(it.limitedUntil)) })}</span> : null}
                </Cell>
                <Cell kind="status" className="whitespace-nowrap">
                  <Badge tone={tone[it.status]}>{t(`offboarding.status.${it.status}`)}</Badge>
                  {it.status === "TRANSFERRING" && it.transferDueAt ? <span className="block text-xs text-slate-500">{t("offboarding.dueAt", { at: formatDateTime(it.transferDueAt, locale) })}</span> : null}
                  {it.failureReason && it.status === "FAILED" ? <span className="block text-xs text-red-700">{it.failureReason}</span> : null}
                  {/* What WeCom answered (issue 15): a refused call's errcode explained, or transfer_result's status. */}
                  {it.wecomErrcode ? (
                    <span className="block max-w-xs whitespace-normal text-xs text-red-700" data-testid="offboarding-wecom-errcode">
                      {t("offboarding.wecomRefused", { reason: explainErrcode(it.wecomErrcode)[locale.startsWith("zh") ? "zh" : "en"] })}
                    </span>
                  ) : it.wecomTransferStatus && TRANSFER_STATUS[it.wecomTransferStatus] ? (
                    <span className="block max-w-xs whitespace-normal text-xs text-slate-500" data-testid="offboarding-wecom-status">
                      {t("offboarding.wecomStatus", { status: TRANSFER_STATUS[it.wecomTransferStatus][locale.startsWith("zh") ? "zh" : "en"] })}
                    </span>
                  ) : null}
                  {it.outcome ? <span className="block text-xs text-slate-500">{t(`offboarding.outcome.${it.outcome}`)}</span> : null}
                  {it.waivedByHrId || it.waivedByAdminId ? (
                    <span className="block text-xs text-slate-500">
                      {t("offboarding.waiverSigned", { who: [it.waivedByHrId ? t("offboarding.waiverHr") : null, it.waivedByAdminId ? t("offboarding.waiverAdmin") : null].filter(Boolean).join(" + ") })}
                      {it.waiverReason ? ` · ${it.waiverReason}` : ""}
                    </span>
                  ) : null}
                </Cell>
                <Cell label={t("offboarding.fields.successor")} className="whitespace-nowrap">{it.successorName ?? "—"}</Cell>
              </ListRow>,
              // The item's actions on a row of their own, the table's full width: usable on a 375 px phone.
              manage ? (
                <tr key={`${it.id}-actions`} className="border-t-0 max-sm:block max-sm:rounded-lg max-sm:bg-slate-50 max-sm:p-2">
                  <td colSpan={3} className="px-3 pb-2 max-sm:block max-sm:p-0">
                    <ItemActions key={it.version} item={it} successors={people} signAs={[...signAs]} />
                  </td>
                </tr>
              ) : null,
            ])
          )}
        </ListBody>
      </DataList>
      <Pagination page={items.page} pageSize={items.pageSize} total={items.total} href={(page) => hrefWith(path, state, { page: page === 1 ? undefined : page })} />
    </>
  );
}
