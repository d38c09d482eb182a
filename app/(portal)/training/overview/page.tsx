import type { Metadata } from "next";
import { formatDate } from "@/components/groups/format";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { DataList, ListBody, ListEmpty, ListHead, sortLabels } from "@/components/ui/data-list";
import { badgeMarkup, cellMarkup, LIST_BODY_CLASS, linkMarkup, rowMarkup, tag, text } from "@/components/ui/list-markup";
import { ListRowsMarkup } from "@/components/ui/list-rows";
import { ManySelectField, SelectField, TextField } from "@/components/ui/field";
import { optionList } from "@/components/ui/select-options";
import { FilterBar } from "@/components/ui/filter-bar";
import { Pagination } from "@/components/ui/pagination";
import { SortTh, Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import type { Translate } from "@/lib/i18n/translate";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { overviewPage, type OverviewRow } from "@/lib/training/queries";
import { OVERVIEW_STATES, overviewSchema, type OverviewParams } from "@/lib/training/schemas";
import { trainingScope } from "@/lib/training/scope";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";
import { RemindForm } from "../_components/forms";
import { TrainingTabs } from "../_components/tabs";

const PATH = "/training/overview";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("training.overview.title") };
}

function urlState(p: OverviewParams): Record<string, string> {
  const out: Record<string, string> = {};
  if (p.q) out.q = p.q;
  if (p.state) out.state = p.state;
  if (p.course) out.course = p.course;
  if (p.department) out.department = p.department;
  if (p.sort !== "attention") out.sort = p.sort;
  if (p.dir !== "asc") out.dir = p.dir;
  if (p.pageSize !== 25) out.pageSize = String(p.pageSize);
  if (p.page !== 1) out.page = String(p.page);
  return out;
}

const pct = (n: number, d: number) => (d === 0 ? "—" : `${Math.floor((n * 1000) / d) / 10}%`);

// Managers (their subtree), ADMIN, AUDITOR and HR (everyone): per person, overdue first, and per
// course and policy the completion rates, for the same filters; CSV export and a bulk reminder.
export default async function TrainingOverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("training.read:department", "training.read:all");
  const { t, locale } = await getI18n();
  const params = overviewSchema.parse(firstValues(await searchParams));
  const client = db();
  const now = new Date();
  const {
    people: result,
    stats: { courses, policies },
    courseList,
    departments,
  } = await overviewPage(actor, client, params, now);
  const scope = trainingScope(actor);
  const state = urlState({ ...params, page: result.page });
  const href = (changes: Record<string, string | number | undefined>) => hrefWith(PATH, state, changes);
  const filters: Record<string, string> = {};
  for (const key of ["q", "state", "course", "department"] as const) if (state[key]) filters[key] = state[key];
  const title = (x: { title_zh: string; title_en: string }) => (locale === "en" ? x.title_en : x.title_zh);
  const sortHref = ({ sort, dir }: { sort: string; dir: "asc" | "desc" }) => href({ sort: sort === "attention" ? undefined : sort, dir: dir === "asc" ? undefined : dir, page: undefined });
  const sortTh = (column: OverviewParams["sort"], label: string) => <SortTh label={label} column={column} sort={params.sort} dir={params.dir} href={sortHref} />;
  const sortable: Array<{ column: OverviewParams["sort"]; label: string }> = [
    { column: "name", label: t("training.fields.person") },
    { column: "department", label: t("training.fields.department") },
    { column: "attention", label: t("training.fields.status") },
  ];
  const any = t("training.overview.filters.any");
  const canRemind = (["training.read:department", "training.assign", "training.manage"] as const).some((p) => actor.permissions.has(p));

  return (
    <>
      <PageHeader
        title={t("training.overview.title")}
        description={`${t("training.overview.description")} ${t(scope?.kind === "all" ? "training.overview.scopeAll" : "training.overview.scopeDepartment")}`}
        actions={
          <a href={hrefWith(`${PATH}/export`, {}, filters)} className={buttonClass("secondary")} title={t("training.overview.exportHint")} data-testid="training-export" download>
            {t("training.overview.export")}
          </a>
        }
      />
      <TrainingTabs actor={actor} current="overview" t={t} />

      <FilterBar
        key={new URLSearchParams(state).toString()}
        action={PATH}
        label={t("training.overview.filters.title")}
        submitLabel={t("training.overview.filters.apply")}
        resetHref={PATH}
        resetLabel={t("training.overview.filters.reset")}
        hidden={{ sort: state.sort, dir: state.dir, pageSize: state.pageSize }}
        testId="training-filters"
        more={
          <>
            <ManySelectField name="department" label={t("training.overview.filters.department")} placeholder={any} defaultValue={params.department ?? ""} options={optionList(departments.map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}` })))} />
          </>
        }
      >
        <TextField name="q" type="search" label={t("training.overview.filters.search")} defaultValue={params.q} maxLength={100} />
        <SelectField name="state" label={t("training.overview.filters.state")} placeholder={any} defaultValue={params.state ?? ""} options={OVERVIEW_STATES.map((s) => ({ value: s, label: t(`training.overview.states.${s}`) }))} />
        <SelectField name="course" label={t("training.overview.filters.course")} placeholder={any} defaultValue={params.course ?? ""} options={courseList.map((c) => ({ value: c.id, label: locale === "en" ? c.titleEn : c.titleZh }))} />
      </FilterBar>

      <div className="mb-2 flex flex-wrap items-start justify-between gap-3">
        <p className="text-sm text-slate-600" data-testid="training-total" aria-live="polite">
          {t("training.overview.count", { count: result.total })}
        </p>
        {canRemind ? <RemindForm filters={filters} /> : null}
      </div>

      <DataList caption={t("training.overview.peopleCaption")} sort={{ sort: params.sort, dir: params.dir, href: sortHref, columns: sortable, labels: sortLabels(t) }}>
        <ListHead>
            {sortTh("name", t("training.fields.person"))}
            {sortTh("department", t("training.fields.department"))}
            {sortTh("attention", t("training.fields.status"))}
            <Th>{t("training.fields.courses")}</Th>
            <Th>{t("training.fields.policies")}</Th>
            <Th>{t("training.fields.nextDue")}</Th>
        </ListHead>
        {result.rows.length === 0 ? (
          <ListBody data-testid="training-people">
            <ListEmpty colSpan={6}>{t("training.overview.empty")}</ListEmpty>
          </ListBody>
        ) : (
          // The rows as one markup string (components/ui/list-markup.ts).
          <ListRowsMarkup className={LIST_BODY_CLASS} testId="training-people" html={result.rows.map((r) => personRowMarkup(r, t, locale)).join("")} />
        )}
      </DataList>
      <Pagination page={result.page} pageSize={result.pageSize} total={result.total} href={(page) => href({ page: page === 1 ? undefined : page })} />

      <h2 className="mb-2 mt-8 text-base font-semibold text-slate-900">{t("training.overview.coursesCaption")}</h2>
      <DataList caption={t("training.overview.coursesCaption")}>
        <ListHead>
            <Th>{t("training.fields.course")}</Th>
            <Th>{t("training.fields.assigned")}</Th>
            <Th>{t("training.fields.completed")}</Th>
            <Th>{t("training.fields.overdue")}</Th>
            <Th>{t("training.fields.rate")}</Th>
        </ListHead>
        {/* The rows as one markup string (components/ui/list-markup.ts), as the people's. */}
        <ListRowsMarkup
          className={LIST_BODY_CLASS}
          testId="training-course-stats"
          html={courses
            .map((c) =>
              rowMarkup(
                { "data-testid": "course-stat", "data-code": c.code },
                cellMarkup("title", undefined, "sm:min-w-40", linkMarkup(href({ course: c.id, page: undefined }), title(c), { class: "text-blue-800 hover:underline" })) +
                  figureCells(t, ["training.fields.assigned", c.assigned], ["training.fields.completed", c.completed], c.overdue),
              ),
            )
            .join("")}
        />
      </DataList>

      <h2 className="mb-2 mt-8 text-base font-semibold text-slate-900">{t("training.overview.policiesCaption")}</h2>
      <DataList caption={t("training.overview.policiesCaption")}>
        <ListHead>
            <Th>{t("training.fields.policy")}</Th>
            <Th>{t("training.fields.version")}</Th>
            <Th>{t("training.fields.asked")}</Th>
            <Th>{t("training.fields.acknowledged")}</Th>
            <Th>{t("training.fields.overdue")}</Th>
            <Th>{t("training.fields.rate")}</Th>
        </ListHead>
        <ListRowsMarkup
          className={LIST_BODY_CLASS}
          testId="training-policy-stats"
          html={policies
            .map((p) =>
              rowMarkup(
                {},
                cellMarkup("title", undefined, "sm:min-w-40", text(title(p))) +
                  cellMarkup("field", t("training.fields.version"), undefined, text(p.version_no ? `v${p.version_no}` : "—")) +
                  figureCells(t, ["training.fields.asked", p.asked], ["training.fields.acknowledged", p.acknowledged], p.overdue),
              ),
            )
            .join("")}
        />
      </DataList>
    </>
  );
}

/** A course's or a policy's figures as cells, each with its column's label: how many were asked
 * (assigned) and done, how many are overdue, and the share done. */
function figureCells(t: Translate, total: [string, number], done: [string, number], overdue: number): string {
  const cell = (kind: "field" | "deadline", label: string, value: string) => cellMarkup(kind, label, "tabular-nums", text(value));
  return (
    cell("field", t(total[0]), String(total[1])) +
    cell("field", t(done[0]), String(done[1])) +
    cell("deadline", t("training.fields.overdue"), String(overdue)) +
    cell("field", t("training.fields.rate"), pct(done[1], total[1]))
  );
}

/** One person's row as markup: the cells `Cell` wrote, with the same kinds, labels, classes and
 * contents (components/ui/list-markup.ts). */
function personRowMarkup(r: OverviewRow, t: Translate, locale: string): string {
  const status = r.overdue > 0 ? badgeMarkup("red", t("training.status.overdue")) : r.open > 0 ? badgeMarkup("amber", t("training.status.ASSIGNED")) : badgeMarkup("green", t("training.status.COMPLETED"));
  return rowMarkup(
    { "data-testid": "training-person", "data-employee-no": r.employee_no },
    cellMarkup("title", undefined, "sm:min-w-32", linkMarkup(`${PATH}/${r.id}`, r.name, { class: "font-medium text-blue-800 hover:underline" }) + tag("div", { class: "text-xs text-slate-500" }, text(r.employee_no))) +
      cellMarkup("field", t("training.fields.department"), "whitespace-nowrap", text(r.department_name)) +
      cellMarkup("status", undefined, "whitespace-nowrap", status) +
      cellMarkup("field", t("training.fields.courses"), "whitespace-nowrap tabular-nums", tag("span", { "data-testid": "person-courses" }, text(t("training.overview.cell", { open: r.courses_open, overdue: r.courses_overdue, done: r.courses_done })))) +
      cellMarkup("field", t("training.fields.policies"), "whitespace-nowrap tabular-nums", tag("span", { "data-testid": "person-policies" }, text(t("training.overview.policyCell", { pending: r.policies_pending, overdue: r.policies_overdue })))) +
      cellMarkup("deadline", t("training.fields.nextDue"), "whitespace-nowrap", text(formatDate(r.next_due, locale))),
  );
}
