import type { Metadata } from "next";
import { classificationBadgeMarkup, reviewBadgeMarkup, statusBadgeMarkup } from "@/components/groups/badges";
import { formatDate } from "@/components/groups/format";
import { PageHeader } from "@/components/ui/card";
import { buttonClass, LinkButton } from "@/components/ui/button";
import { ManySelectField, SelectField, TextField } from "@/components/ui/field";
import { optionList } from "@/components/ui/select-options";
import { DataList, ListBody, ListEmpty, ListHead, sortLabels } from "@/components/ui/data-list";
import { badgeMarkup, cellMarkup, LIST_BODY_CLASS, linkMarkup, rowMarkup, tag, text } from "@/components/ui/list-markup";
import { ListRowsMarkup } from "@/components/ui/list-rows";
import { FilterBar } from "@/components/ui/filter-bar";
import { Pagination } from "@/components/ui/pagination";
import { SortTh, Th } from "@/components/ui/table";
import { reviewStateOf } from "@/lib/groups/policy-rules";
import { registryView, type GroupRow } from "@/lib/groups/queries";
import { CLASSIFICATIONS, FILTER_KEYS, GROUP_STATUSES, groupListSchema, KINDS, PLATFORMS, REVIEW_STATES, type GroupListParams } from "@/lib/groups/schemas";
import { getI18n } from "@/lib/i18n/server";
import type { Translate } from "@/lib/i18n/translate";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";

const PATH = "/groups";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("groups.title") };
}

/** The list's state as URL parameters, defaults left out so links stay short. */
function urlState(p: GroupListParams): Record<string, string> {
  const out: Record<string, string> = {};
  if (p.q) out.q = p.q;
  for (const key of FILTER_KEYS) {
    const value = p[key];
    if (value) out[key] = value;
  }
  if (p.sort !== "createdAt") out.sort = p.sort;
  if (p.dir !== "desc") out.dir = p.dir;
  if (p.pageSize !== 25) out.pageSize = String(p.pageSize);
  if (p.page !== 1) out.page = String(p.page);
  return out;
}

function Checkbox({ name, value = "1", label, hint, checked }: { name: string; value?: string; label: string; hint?: string; checked: boolean }) {
  return (
    <label className="flex min-h-10 items-start gap-2 text-sm text-slate-800">
      <input type="checkbox" name={name} value={value} defaultChecked={checked} className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-400" />
      <span>
        {label}
        {hint ? <span className="block text-xs text-slate-500">{hint}</span> : null}
      </span>
    </label>
  );
}

export default async function GroupsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("groups.request", "groups.read:department", "groups.read:all");
  const { t, locale } = await getI18n();
  const params = groupListSchema.parse(firstValues(await searchParams));
  const now = new Date();
  // The total, the page's rows and the department select: one statement (lib/groups/queries.ts).
  const result = await registryView(actor, db(), params, now);
  const state = urlState({ ...params, page: result.page });
  const href = (changes: Record<string, string | number | undefined>) => hrefWith(PATH, state, changes);
  const filters: Record<string, string> = {};
  for (const key of ["q", ...FILTER_KEYS] as const) if (state[key]) filters[key] = state[key];
  const exportHref = hrefWith("/api/groups/export", {}, filters);
  const sortHref = ({ sort, dir }: { sort: string; dir: "asc" | "desc" }) => href({ sort: sort === "createdAt" ? undefined : sort, dir: dir === "desc" ? undefined : dir, page: undefined });
  const sortTh = (column: GroupListParams["sort"], label: string) => <SortTh label={label} column={column} sort={params.sort} dir={params.dir} href={sortHref} />;
  const sortable: Array<{ column: GroupListParams["sort"]; label: string }> = [
    { column: "name", label: t("groups.fields.name") },
    { column: "status", label: t("groups.fields.status") },
    { column: "classification", label: t("groups.fields.classification") },
    { column: "reviewDueAt", label: t("groups.fields.reviewDueAt") },
    { column: "expectedSize", label: t("groups.fields.expectedSize") },
    { column: "createdAt", label: t("groups.fields.createdAt") },
  ];
  const any = t("groups.filters.any");

  return (
    <>
      <PageHeader
        title={t("groups.title")}
        description={t("groups.description")}
        actions={
          <>
            {actor.permissions.has("groups.request") ? (
              <LinkButton href={`${PATH}/new`} variant="primary" data-testid="group-new">
                {t("groups.newGroup")}
              </LinkButton>
            ) : null}
            {/* A plain link: a route handler's CSV download, not a page to navigate to. */}
            <a href={exportHref} className={buttonClass("secondary")} title={t("groups.exportHint")} data-testid="group-export" download>
              {t("groups.exportCsv")}
            </a>
          </>
        }
      />

      <FilterBar
        key={new URLSearchParams(state).toString()}
        action={PATH}
        label={t("groups.filters.title")}
        submitLabel={t("groups.filters.apply")}
        resetHref={PATH}
        resetLabel={t("groups.filters.reset")}
        hidden={{ sort: state.sort, dir: state.dir, pageSize: state.pageSize }}
        testId="group-filters"
        more={
          <>
            <SelectField
              name="classification"
              label={t("groups.fields.classification")}
              placeholder={any}
              defaultValue={params.classification ?? ""}
              options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`groups.classification.${c}`) }))}
            />
            <SelectField name="kind" label={t("groups.fields.kind")} placeholder={any} defaultValue={params.kind ?? ""} options={KINDS.map((k) => ({ value: k, label: t(`groups.kindShort.${k}`) }))} />
            <SelectField name="platform" label={t("groups.fields.platform")} placeholder={any} defaultValue={params.platform ?? ""} options={PLATFORMS.map((p) => ({ value: p, label: t(`groups.platform.${p}`) }))} />
            <ManySelectField
              name="department"
              label={t("groups.fields.department")}
              hint={t("groups.filters.departmentHint")}
              placeholder={any}
              defaultValue={params.department ?? ""}
              options={optionList(result.departments.map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}` })))}
            />
            <TextField name="owner" type="search" label={t("groups.fields.owner")} hint={t("groups.filters.ownerHint")} defaultValue={params.owner ?? ""} maxLength={100} />
            <Checkbox name="ownerless" label={t("groups.filters.ownerless")} checked={params.ownerless === "1"} />
            <Checkbox name="archive" value="stale" label={t("groups.filters.archiveStale")} checked={params.archive === "stale"} />
            <Checkbox name="outside" label={t("groups.filters.outside")} checked={params.outside === "1"} />
            <Checkbox name="violations" label={t("groups.filters.violations")} checked={params.violations === "1"} />
            <Checkbox name="mine" label={t("groups.filters.mine")} hint={t("groups.filters.mineHint")} checked={params.mine !== undefined} />
          </>
        }
      >
        <TextField name="q" type="search" label={t("groups.filters.search")} defaultValue={params.q} maxLength={100} />
        <SelectField name="status" label={t("groups.fields.status")} placeholder={any} defaultValue={params.status ?? ""} options={GROUP_STATUSES.map((s) => ({ value: s, label: t(`groups.status.${s}`) }))} />
        <SelectField name="review" label={t("groups.fields.review")} placeholder={any} defaultValue={params.review ?? ""} options={REVIEW_STATES.map((s) => ({ value: s, label: t(`groups.review.${s}`) }))} />
      </FilterBar>

      <p className="mb-2 text-sm text-slate-600" data-testid="group-total" aria-live="polite">
        {t("groups.count", { count: result.total })}
      </p>

      <DataList caption={t("groups.registryCaption")} sort={{ sort: params.sort, dir: params.dir, href: sortHref, columns: sortable, labels: sortLabels(t) }}>
        <ListHead>
            {sortTh("name", t("groups.fields.name"))}
            {sortTh("status", t("groups.fields.status"))}
            {sortTh("classification", t("groups.fields.classification"))}
            <Th>{t("groups.fields.platform")}</Th>
            <Th>{t("groups.fields.department")}</Th>
            <Th>{t("groups.fields.owner")}</Th>
            {sortTh("reviewDueAt", t("groups.fields.reviewDueAt"))}
            {sortTh("expectedSize", t("groups.fields.expectedSize"))}
            {sortTh("createdAt", t("groups.fields.createdAt"))}
        </ListHead>
        {result.rows.length === 0 ? (
          <ListBody data-testid="group-table">
            <ListEmpty colSpan={9}>{t("groups.empty")}</ListEmpty>
          </ListBody>
        ) : (
          // The rows as one markup string (components/ui/list-markup.ts).
          <ListRowsMarkup className={LIST_BODY_CLASS} testId="group-table" html={result.rows.map((g) => groupRowMarkup(g, t, locale, now)).join("")} />
        )}
      </DataList>

      <Pagination
        page={result.page}
        pageSize={result.pageSize}
        total={result.total}
        href={(page) => href({ page: page === 1 ? undefined : page })}
      />
    </>
  );
}

/** One group's row as markup: the cells `Cell` wrote, with the same kinds, labels, classes and
 * contents (a badge after a value in its own `ml-2` span, as before). */
function groupRowMarkup(g: GroupRow, t: Translate, locale: string, now: Date): string {
  const review = g.status === "ACTIVE" ? reviewStateOf(g.reviewDueAt, now) : null;
  const after = (badge: string) => tag("span", { class: "ml-2" }, badge);
  const field = (label: string, inner: string, className = "whitespace-nowrap") => cellMarkup("field", t(label), className, inner);
  return rowMarkup(
    { "data-testid": "group-row" },
    cellMarkup(
      "title",
      undefined,
      "sm:min-w-48",
      linkMarkup(`${PATH}/${g.id}`, g.name, { class: "font-medium text-blue-800 hover:underline" }) +
        (g.outsidePortal ? after(badgeMarkup("amber", t("groups.outsidePortal"))) : "") +
        (g.wecomGoneAt ? after(badgeMarkup("slate", t(g.wecomGoneReason === "DISMISSED" ? "groups.goneBadge.DISMISSED" : "groups.goneBadge.NOT_LISTED"))) : ""),
    ) +
      cellMarkup("status", undefined, "whitespace-nowrap", statusBadgeMarkup(g.status, t(`groups.status.${g.status}`))) +
      cellMarkup("status", undefined, "whitespace-nowrap", classificationBadgeMarkup(g.classification, t(`groups.classification.${g.classification}`))) +
      field("groups.fields.platform", text(`${t(`groups.platform.${g.platform}`)} · ${t(`groups.kindShort.${g.kind}`)}`)) +
      field("groups.fields.department", text(g.department?.name ?? "—")) +
      field(
        "groups.fields.owner",
        tag("span", { class: g.ownerless ? "text-slate-500 line-through" : undefined }, text(g.owner?.name ?? g.wecomOwnerUserid ?? "—")) +
          (g.ownerless ? after(badgeMarkup("red", t("groups.ownerless"))) : ""),
      ) +
      cellMarkup(
        "deadline",
        t("groups.fields.reviewDueAt"),
        "whitespace-nowrap",
        text(g.status === "ACTIVE" ? formatDate(g.reviewDueAt, locale) : "—") + (review && review !== "ok" ? after(reviewBadgeMarkup(review, t(`groups.review.${review}`))) : ""),
      ) +
      field("groups.fields.expectedSize", text(String(g.expectedSize)), "whitespace-nowrap tabular-nums") +
      field("groups.fields.createdAt", text(formatDate(g.createdAt, locale))),
  );
}
