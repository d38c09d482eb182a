import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDateTime } from "@/components/groups/format";
import { buttonClass, LinkButton } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { DataList, ListBody, ListEmpty, ListHead, sortLabels } from "@/components/ui/data-list";
import { cellMarkup, LIST_BODY_CLASS, linkMarkup, rowMarkup, tag, text } from "@/components/ui/list-markup";
import { ListRowsMarkup } from "@/components/ui/list-rows";
import { SelectField, TextField } from "@/components/ui/field";
import { FilterBar } from "@/components/ui/filter-bar";
import { Pagination } from "@/components/ui/pagination";
import { SortTh, Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { listCases, type CaseRow } from "@/lib/service/queries";
import { CASE_FILTER_KEYS, caseListSchema, VIEWS, type CaseListParams } from "@/lib/service/schemas";
import { CASE_STATUSES, CASE_TYPES, PRIORITIES, SERVICE_CHANNELS } from "@/lib/service/sla";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";
import type { Translate } from "@/lib/i18n/translate";
import { provisionalBadgeMarkup, slaBadgeMarkup, timeLeftText } from "./_components/display";

const PATH = "/service";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("service.title") };
}

function urlState(p: CaseListParams): Record<string, string> {
  const out: Record<string, string> = {};
  if (p.q) out.q = p.q;
  for (const key of CASE_FILTER_KEYS) {
    const value = p[key];
    if (value && !(key === "view" && value === "open")) out[key] = value;
  }
  if (p.sort !== "nextDueAt") out.sort = p.sort;
  if (p.dir !== "asc") out.dir = p.dir;
  if (p.pageSize !== 25) out.pageSize = String(p.pageSize);
  if (p.page !== 1) out.page = String(p.page);
  return out;
}

export default async function ServiceQueuePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("service.work", "service.read:department", "service.read:all");
  const { t, locale } = await getI18n();
  const params = caseListSchema.parse(firstValues(await searchParams));
  const now = new Date();
  const result = await listCases(actor, db(), params, now);
  const state = urlState({ ...params, page: result.page });
  const href = (changes: Record<string, string | number | undefined>) => hrefWith(PATH, state, changes);
  const filters: Record<string, string> = {};
  for (const key of ["q", ...CASE_FILTER_KEYS] as const) if (state[key]) filters[key] = state[key];
  const exportHref = hrefWith(`${PATH}/export`, {}, filters);
  const sortHref = ({ sort, dir }: { sort: string; dir: "asc" | "desc" }) => href({ sort: sort === "nextDueAt" ? undefined : sort, dir: dir === "asc" ? undefined : dir, page: undefined });
  const sortTh = (column: CaseListParams["sort"], label: string) => <SortTh label={label} column={column} sort={params.sort} dir={params.dir} href={sortHref} />;
  const sortable: Array<{ column: CaseListParams["sort"]; label: string }> = [
    { column: "title", label: t("service.fields.title") },
    { column: "nextDueAt", label: t("service.fields.nextDue") },
    { column: "priority", label: t("service.fields.priority") },
    { column: "receivedAt", label: t("service.fields.receivedAt") },
  ];
  const any = t("service.filters.any");
  const mayWork = actor.permissions.has("service.work") || actor.permissions.has("service.manage");

  return (
    <>
      <PageHeader
        title={t("service.title")}
        description={t("service.description")}
        actions={
          <>
            {mayWork ? (
              <LinkButton href={`${PATH}/new`} variant="primary" data-testid="service-new">
                {t("service.newCase")}
              </LinkButton>
            ) : null}
            <LinkButton href={`${PATH}/reports`} data-testid="service-reports">
              {t("service.reports")}
            </LinkButton>
            {actor.permissions.has("service.manage") ? (
              <LinkButton href={`${PATH}/import`} data-testid="service-import">
                {t("service.importCases")}
              </LinkButton>
            ) : null}
            <a href={exportHref} className={buttonClass("secondary")} data-testid="service-export" download>
              {t("service.exportCsv")}
            </a>
          </>
        }
      />

      <nav className="mb-3 flex flex-wrap gap-2 text-sm" aria-label={t("service.viewsLabel")}>
        {VIEWS.map((v) => (
          <Link
            key={v}
            href={hrefWith(PATH, {}, { view: v === "open" ? undefined : v })}
            aria-current={params.view === v ? "page" : undefined}
            className={params.view === v ? "inline-flex min-h-11 items-center rounded-md bg-blue-700 px-3 py-1.5 font-medium text-white sm:min-h-0" : "inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-slate-800 hover:bg-slate-50 sm:min-h-0"}
          >
            {t(`service.views.${v}`)}
          </Link>
        ))}
      </nav>

      <FilterBar
        key={new URLSearchParams(state).toString()}
        action={PATH}
        label={t("service.filters.title")}
        submitLabel={t("service.filters.apply")}
        resetHref={PATH}
        resetLabel={t("service.filters.reset")}
        hidden={{ view: state.view, sort: state.sort, dir: state.dir, pageSize: state.pageSize }}
        testId="service-filters"
        more={
          <>
            <SelectField name="priority" label={t("service.fields.priority")} placeholder={any} defaultValue={params.priority ?? ""} options={PRIORITIES.map((v) => ({ value: v, label: t(`service.priority.${v}`) }))} />
            <SelectField name="status" label={t("service.fields.status")} placeholder={any} defaultValue={params.status ?? ""} options={CASE_STATUSES.map((v) => ({ value: v, label: t(`service.status.${v}`) }))} />
          </>
        }
      >
        <TextField name="q" type="search" label={t("service.filters.search")} defaultValue={params.q} maxLength={100} />
        <SelectField name="channel" label={t("service.fields.channel")} placeholder={any} defaultValue={params.channel ?? ""} options={SERVICE_CHANNELS.map((v) => ({ value: v, label: t(`service.channel.${v}`) }))} />
        <SelectField name="caseType" label={t("service.fields.caseType")} placeholder={any} defaultValue={params.caseType ?? ""} options={CASE_TYPES.map((v) => ({ value: v, label: t(`service.caseType.${v}`) }))} />
      </FilterBar>

      <p className="mb-2 text-sm text-slate-600" data-testid="service-total" aria-live="polite">
        {t("service.count", { count: result.total })}
      </p>

      <DataList nowrap caption={t("service.queueCaption")} sort={{ sort: params.sort, dir: params.dir, href: sortHref, columns: sortable, labels: sortLabels(t) }}>
        <ListHead>
            {sortTh("title", t("service.fields.title"))}
            <Th>{t("service.fields.sla")}</Th>
            {sortTh("nextDueAt", t("service.fields.nextDue"))}
            <Th>{t("service.fields.timeLeft")}</Th>
            {sortTh("priority", t("service.fields.priority"))}
            <Th>{t("service.fields.caseType")}</Th>
            <Th>{t("service.fields.status")}</Th>
            <Th>{t("service.fields.assignee")}</Th>
            <Th>{t("service.fields.team")}</Th>
            <Th>{t("service.fields.channel")}</Th>
            {sortTh("receivedAt", t("service.fields.receivedAt"))}
        </ListHead>
        {result.rows.length === 0 ? (
          <ListBody data-testid="service-table">
            <ListEmpty colSpan={11}>{t("service.empty")}</ListEmpty>
          </ListBody>
        ) : (
          // The rows as one markup string (components/ui/list-markup.ts); the title cell's link and
          // line take their look from `[data-cell="title"] > a, > div` (app/globals.css).
          <ListRowsMarkup className={LIST_BODY_CLASS} testId="service-table" html={result.rows.map((c) => caseRowMarkup(c, t, locale)).join("")} />
        )}
      </DataList>

      <Pagination page={result.page} pageSize={result.pageSize} total={result.total} href={(page) => href({ page: page === 1 ? undefined : page })} />
    </>
  );
}

/** One case's row as markup: the cells `Cell` wrote, with the same kinds, labels and contents. */
function caseRowMarkup(c: CaseRow, t: Translate, locale: string): string {
  const next = c.nextTarget === "RESOLUTION" ? c.sla.resolution : c.sla.firstResponse;
  const minutes = c.nextTarget === "RESOLUTION" ? c.resolutionMinutes : c.firstResponseMinutes;
  const field = (label: string, value: string) => cellMarkup("field", t(label), undefined, text(value));
  return rowMarkup(
    { "data-testid": "service-row", "data-case-id": c.id },
    cellMarkup("title", undefined, "sm:min-w-48", linkMarkup(`${PATH}/${c.id}`, c.title) + tag("div", {}, text(c.customerName))) +
      cellMarkup("status", undefined, undefined, slaBadgeMarkup(c.sla.state, t)) +
      cellMarkup(
        "deadline",
        t("service.fields.nextDue"),
        undefined,
        c.nextDueAt ? text(`${t(`service.target.${c.nextTarget}`)} · ${formatDateTime(c.nextDueAt, locale)}`) + provisionalBadgeMarkup(next.provisionalYear, t) : text(t("service.none")),
      ) +
      cellMarkup("deadline", t("service.fields.timeLeft"), undefined, text(c.nextTarget ? timeLeftText(next, t, c.status === "WAITING_CUSTOMER", minutes) : t("service.none"))) +
      field("service.fields.priority", t(`service.priority.${c.priority}`)) +
      field("service.fields.caseType", t(`service.caseType.${c.caseType}`)) +
      field("service.fields.status", t(`service.status.${c.status}`)) +
      field("service.fields.assignee", c.assignee?.name ?? t("service.unassigned")) +
      field("service.fields.team", c.team?.name ?? t("service.none")) +
      field("service.fields.channel", t(`service.channel.${c.channel}`)) +
      field("service.fields.receivedAt", formatDateTime(c.receivedAt, locale)),
  );
}
