import type { Metadata } from "next";
import { formatDateTime } from "@/components/groups/format";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { DataList, ListBody, ListEmpty, ListHead, sortLabels } from "@/components/ui/data-list";
import { cellMarkup, LIST_BODY_CLASS, linkMarkup, rowMarkup, tag, text } from "@/components/ui/list-markup";
import { ListRowsMarkup } from "@/components/ui/list-rows";
import { ManySelectField, SelectField, TextField } from "@/components/ui/field";
import { optionList } from "@/components/ui/select-options";
import { FilterBar } from "@/components/ui/filter-bar";
import { CursorPager } from "@/components/ui/cursor-pager";
import { Pagination } from "@/components/ui/pagination";
import { SortTh, Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { purposeNames } from "@/lib/privacy/purpose-names";
import { consentKeysetView, consentOffsetView, type ConsentKeysetView } from "@/lib/privacy/consent-list-sql";
import type { ConsentRow } from "@/lib/privacy/queries";
import { CHANNELS, CONSENT_FILTER_KEYS, CONSENT_STATES, consentListSchema, WITHDRAWN_WINDOWS, type ConsentListParams } from "@/lib/privacy/schemas";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";
import type { Translate } from "@/lib/i18n/translate";
import { consentStateBadgeMarkup } from "../_components/bits";

const PATH = "/privacy/consents";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.consents.title") };
}

function urlState(p: ConsentListParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of CONSENT_FILTER_KEYS) if (p[key]) out[key] = String(p[key]);
  if (p.sort !== "occurredAt") out.sort = p.sort;
  if (p.dir !== "desc") out.dir = p.dir;
  if (p.pageSize !== 25) out.pageSize = String(p.pageSize);
  if (p.page !== 1) out.page = String(p.page);
  return out;
}

function pagerFor(result: ConsentKeysetView, href: (changes: Record<string, string | number | undefined>) => string, atStart: boolean) {
  return {
    nextHref: result.nextCursor ? href({ after: result.nextCursor, before: undefined }) : null,
    prevHref: result.prevCursor ? href({ before: result.prevCursor, after: undefined }) : null,
    firstHref: atStart ? null : href({ after: undefined, before: undefined }),
  };
}

export default async function ConsentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePagePermission("privacy.read:all");
  const { t, locale } = await getI18n();
  const params = consentListSchema.parse(firstValues(await searchParams));
  // By grant time (the default) the list pages by keyset: deep pages cost what the first does. The
  // total, the page with its references and the department picker come in one statement.
  const keyset = params.sort === "occurredAt" ? await consentKeysetView(db(), params) : null;
  const result = keyset ? { ...keyset, page: 1 } : await consentOffsetView(db(), params);
  const { departments } = result;
  const state = urlState({ ...params, page: result.page });
  const href = (changes: Record<string, string | number | undefined>) => hrefWith(PATH, state, changes);
  const filters: Record<string, string> = {};
  for (const key of CONSENT_FILTER_KEYS) if (state[key]) filters[key] = state[key];
  const any = t("privacy.filters.any");
  const sortHref = ({ sort, dir }: { sort: string; dir: "asc" | "desc" }) => href({ sort: sort === "occurredAt" ? undefined : sort, dir: dir === "desc" ? undefined : dir, page: undefined });
  const sortTh = (column: ConsentListParams["sort"], label: string) => <SortTh label={label} column={column} sort={params.sort} dir={params.dir} href={sortHref} />;
  const sortable: Array<{ column: ConsentListParams["sort"]; label: string }> = [
    { column: "occurredAt", label: t("privacy.consent.occurredAt") },
    { column: "expiresAt", label: t("privacy.consent.expiresAt") },
  ];
  return (
    <>
      <PageHeader
        title={t("privacy.consents.title")}
        description={t("privacy.consents.description")}
        actions={
          <a href={hrefWith(`${PATH}/export`, {}, filters)} className={buttonClass("secondary")} download data-testid="consent-export">
            {t("privacy.consents.export")}
          </a>
        }
      />
      <FilterBar key={new URLSearchParams(state).toString()} action={PATH} label={t("privacy.filters.title")} submitLabel={t("privacy.filters.apply")} resetHref={PATH} resetLabel={t("privacy.filters.reset")} hidden={{ sort: state.sort, dir: state.dir, pageSize: state.pageSize }}
        more={
          <>
            <SelectField name="channel" label={t("privacy.consent.channel")} placeholder={any} defaultValue={params.channel ?? ""} options={CHANNELS.map((c) => ({ value: c, label: t(`privacy.channel.${c}`) }))} />
            <TextField name="identifier" type="search" label={t("privacy.consents.identifier")} hint={t("privacy.subject.searchHint")} defaultValue={params.identifier ?? ""} maxLength={128} autoComplete="off" />
            <TextField name="collector" type="search" label={t("privacy.consent.collector")} defaultValue={params.collector ?? ""} maxLength={100} />
            <ManySelectField
              name="department"
              label={t("privacy.filters.department")}
              hint={t("privacy.filters.departmentHint")}
              placeholder={any}
              defaultValue={params.department ?? ""}
              options={optionList(departments.map((d) => ({ value: d.id, label: d.label })))}
            />
            <SelectField
              name="withdrawnDays"
              label={t("privacy.consents.withdrawnWithin")}
              placeholder={any}
              defaultValue={params.withdrawnDays ? String(params.withdrawnDays) : ""}
              options={WITHDRAWN_WINDOWS.map((n) => ({ value: String(n), label: t("privacy.consents.lastDays", { days: n }) }))}
            />
          </>
        }
      >
        <SelectField name="state" label={t("privacy.consents.state")} placeholder={any} defaultValue={params.state ?? ""} options={CONSENT_STATES.map((s) => ({ value: s, label: t(`privacy.state.${s}`) }))} />
        <TextField name="subject" type="search" label={t("privacy.consents.subject")} defaultValue={params.subject ?? ""} maxLength={100} />
        <TextField name="purpose" label={t("privacy.consents.purpose")} defaultValue={params.purpose ?? ""} maxLength={40} />
      </FilterBar>
      {params.department && !departments.some((d) => d.id === params.department) ? (
        <p className="mb-2 text-sm text-amber-800" role="status" data-testid="consent-unknown-department">
          {t("privacy.filters.unknownDepartment")}
        </p>
      ) : null}
      <p className="mb-2 text-sm text-slate-600" aria-live="polite" data-testid="consent-total">
        {t("privacy.consents.count", { count: result.total })}
      </p>
      <DataList nowrap caption={t("privacy.consents.title")} sort={{ sort: params.sort, dir: params.dir, href: sortHref, columns: sortable, labels: sortLabels(t) }}>
        <ListHead>
            <Th>{t("privacy.consents.subject")}</Th>
            <Th>{t("privacy.consents.state")}</Th>
            <Th>{t("privacy.consent.purposes")}</Th>
            <Th>{t("privacy.consent.notice")}</Th>
            <Th>{t("privacy.consent.channel")}</Th>
            <Th>{t("privacy.consent.collector")}</Th>
            {sortTh("occurredAt", t("privacy.consent.occurredAt"))}
            {sortTh("expiresAt", t("privacy.consent.expiresAt"))}
        </ListHead>
        {result.rows.length === 0 ? (
          <ListBody data-testid="consent-table">
            <ListEmpty colSpan={8}>{t("privacy.consents.empty")}</ListEmpty>
          </ListBody>
        ) : (
          // The rows as one markup string (components/ui/list-markup.ts); the title cell's link
          // takes its look from `[data-cell="title"] > a` (app/globals.css).
          <ListRowsMarkup className={LIST_BODY_CLASS} testId="consent-table" html={result.rows.map((c) => consentRowMarkup(c, t, locale)).join("")} />
        )}
      </DataList>
      {keyset ? (
        <CursorPager
          {...pagerFor(keyset, href, !params.after && !params.before)}
          status={keyset.capped ? t("common.countAtLeast", { count: keyset.total.toLocaleString() }) : t("common.countTotal", { count: keyset.total.toLocaleString() })}
          labels={{ pages: t("common.pages"), first: t("common.firstPage"), prev: t("common.previous"), next: t("common.next") }}
        />
      ) : (
        <Pagination page={result.page} pageSize={result.pageSize} total={result.total} href={(page) => href({ page: page === 1 ? undefined : page })} />
      )}
    </>
  );
}

/** One consent's row as markup: the cells `Cell` wrote, with the same kinds, labels and contents
 * (the subject's identifier as its stored mask, never decrypted). */
function consentRowMarkup(c: ConsentRow, t: Translate, locale: string): string {
  const field = (label: string, inner: string, className?: string) => cellMarkup("field", t(label), className, inner);
  return rowMarkup(
    {},
    cellMarkup(
      "title",
      undefined,
      "sm:min-w-32",
      linkMarkup(`/privacy/subjects/${c.subjectId}`, c.subject.name) + tag("div", { class: "font-mono text-xs text-slate-500" }, text(c.subject.phoneMask ?? c.subject.wecomIdMask ?? c.subject.emailMask ?? "")),
    ) +
      cellMarkup("status", undefined, undefined, consentStateBadgeMarkup(c.state, t(`privacy.state.${c.state}`))) +
      field("privacy.consent.purposes", text(purposeNames(c.purposes, c.notice?.purposes).join(t("common.listSeparator"))), "sm:whitespace-normal") +
      field("privacy.consent.notice", text(c.notice ? `${c.notice.noticeKey} v${c.notice.noticeVersion}` : "—")) +
      field(
        "privacy.consent.channel",
        text(c.channel ? t(`privacy.channel.${c.channel}`) : "—") + tag("div", { class: "text-xs text-slate-500", "data-testid": "consent-source" }, text(t(`consentPage.source.${c.source}`))),
      ) +
      field("privacy.consent.collector", text(c.collector?.name ?? "—")) +
      field("privacy.consent.occurredAt", text(formatDateTime(c.occurredAt, locale))) +
      cellMarkup("deadline", t("privacy.consent.expiresAt"), undefined, text(formatDateTime(c.effectiveExpiresAt, locale))),
  );
}
