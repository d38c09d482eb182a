import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound, forbidden } from "next/navigation";
import { rankingRowMarkup } from "@/components/dashboard/ranking-rows";
import { RefreshSnapshotsForm } from "@/components/dashboard/refresh-form";
import { formatDateTime } from "@/components/groups/format";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { ManySelectField } from "@/components/ui/field";
import { optionList } from "@/components/ui/select-options";
import { FilterBar } from "@/components/ui/filter-bar";
import { Pagination } from "@/components/ui/pagination";
import { PrintButton } from "@/components/ui/print-button";
import { trendDrawing } from "@/components/ui/chart-trend";
import { DataList, ListBody, ListEmpty, ListHead, sortLabels } from "@/components/ui/data-list";
import { LIST_BODY_CLASS } from "@/components/ui/list-markup";
import { ListRowsMarkup } from "@/components/ui/list-rows";
import { SortTh, Th } from "@/components/ui/table";
import { cacheSeconds, companyCells, dashboardReads, loadDashboard, type FigureResult } from "@/lib/dashboard/compute";
import { figureMessageKey, formatCountedAt, formatFigure, stateTone, trendChartProps } from "@/lib/dashboard/format";
import { dashboardParamsSchema } from "@/lib/dashboard/schemas";
import { resolveDashboardScope, type DashboardScope } from "@/lib/dashboard/scope";
import { compareNames } from "@/lib/i18n/format";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";
import { FigureCard, type FigureCardData } from "./figure-card";

const PATH = "/dashboard";
const PAGE_SIZE = 25;

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("dashboard.title") };
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("dashboard.read:all", "dashboard.read:department");
  const { t, locale } = await getI18n();
  const params = dashboardParamsSchema.parse(firstValues(await searchParams));
  const client = db();
  let scope: DashboardScope;
  try {
    scope = await resolveDashboardScope(actor, client, params.department);
  } catch (e) {
    if (e instanceof DomainError && e.code === "NOT_FOUND") notFound();
    if (e instanceof DomainError && e.code === "FORBIDDEN") forbidden();
    throw e;
  }
  const now = new Date();
  // The departments the person may pick, the targets and the last refresh, read once in one
  // statement: the picker lists the departments in tree order, and the dashboard keeps those under
  // the scope (its roll-up and ranking).
  const reads = dashboardReads(client, scope.rootPath ?? "/");
  const [dashboard, pickable] = await Promise.all([
    companyCells({ fresh: params.fresh === "1" }).then((cells) => loadDashboard(client, scope, now, { cells, reads })),
    reads.then(({ departments }) => [...departments].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).slice(0, 2_000)),
  ]);
  const state: Record<string, string> = {};
  if (params.department) state.department = params.department;
  const rankingState: Record<string, string> = { ...state };
  if (params.sort !== "score") rankingState.sort = params.sort;
  if (params.dir !== "asc") rankingState.dir = params.dir;
  const rankingHref = (p: { sort: string; dir: "asc" | "desc" }) => hrefWith(PATH, rankingState, { ...p, page: undefined });

  const rows = [...dashboard.departments].sort((a, b) => {
    const d = params.dir === "asc" ? 1 : -1;
    if (params.sort === "name") return d * compareNames(a.department.name, b.department.name);
    return d * ((a.score ?? 101) - (b.score ?? 101)) || compareNames(a.department.name, b.department.name);
  });
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const page = Math.min(params.page, pages);
  const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const domains = [...new Set(dashboard.figures.map((f) => f.def.domain))];
  const scopeName = scope.name ?? t("dashboard.company");
  const canConfigure = actor.permissions.has("dashboard.configure");

  return (
    <div className="space-y-4">
      <PageHeader
        title={`${t("dashboard.title")} · ${scopeName}`}
        description={t("dashboard.description")}
        actions={
          <>
            <a href={hrefWith("/api/dashboard/export", state, { what: "figures" })} className={buttonClass("secondary", "print:hidden")} data-testid="dashboard-export-figures" download>{t("dashboard.export.figures")}</a>
            <a href={hrefWith("/api/dashboard/export", state, { what: "ranking" })} className={buttonClass("secondary", "print:hidden")} data-testid="dashboard-export-ranking" download>{t("dashboard.export.ranking")}</a>
            <PrintButton>{t("dashboard.export.print")}</PrintButton>
          </>
        }
      />

      <div className="print:hidden">
        <FilterBar action={PATH} label={t("dashboard.scope")} submitLabel={t("dashboard.apply")} resetHref={PATH} resetLabel={t("dashboard.reset")} key={params.department ?? "root"} testId="dashboard-scope">
          <ManySelectField
            name="department"
            label={t("dashboard.scope")}
            hint={t("dashboard.departmentHint")}
            defaultValue={params.department ?? ""}
            options={optionList([
              ...(scope.rootDepartmentId ? [] : [{ value: "", label: t("dashboard.company") }]),
              ...pickable.map((d) => ({ value: d.id === scope.rootDepartmentId ? "" : d.id, label: `${"　".repeat(Math.max(0, d.depth - (pickable[0]?.depth ?? 0)))}${d.name}` })),
            ])}
          />
        </FilterBar>
      </div>

      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        <Card title={t("dashboard.score")}>
          <p className="text-4xl font-semibold text-slate-900" data-testid="dashboard-score">{dashboard.score === null ? "—" : dashboard.score.toFixed(1)}</p>
          <p className="mt-2 text-xs text-slate-600">{dashboard.score === null ? t("dashboard.scoreNone") : t("dashboard.scoreHint")}</p>
        </Card>
        <Card title={t("dashboard.trend")} className="md:col-span-2">
          <p className="text-sm text-slate-700" data-testid="dashboard-refresh">
            {dashboard.lastRefresh
              ? t("dashboard.refresh.last", { time: formatDateTime(dashboard.lastRefresh.finishedAt, locale), trigger: t(`dashboard.refresh.triggers.${dashboard.lastRefresh.trigger}`) })
              : t("dashboard.refresh.never")}
          </p>
          {dashboard.generatedHistory ? <p className="mt-1 text-xs text-slate-500">{t("dashboard.refresh.generated")}</p> : null}
          <p className="mt-1 text-xs text-slate-600" data-testid="dashboard-figures-at">
            {t("dashboard.figuresAt", { time: formatCountedAt(dashboard.figuresAt, locale), seconds: cacheSeconds() })}{" "}
            <Link className="text-blue-800 underline print:hidden" href={hrefWith(PATH, state, { fresh: "1" })}>{t("dashboard.recount")}</Link>
          </p>
          {canConfigure ? <div className="mt-3 print:hidden"><RefreshSnapshotsForm /></div> : null}
        </Card>
      </div>

      {domains.map((domain) => (
        <section key={domain} aria-labelledby={`domain-${domain}`} className="space-y-2">
          <h2 id={`domain-${domain}`} className="text-base font-semibold text-slate-900">{t(`dashboard.domains.${domain}`)}</h2>
          <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {dashboard.figures.filter((f) => f.def.domain === domain).map((f) => (
              <FigureCard key={f.def.key} data={figureCard(f, scope.departmentId, f.def.list ? f.def.list.anyOf.some((p) => actor.permissions.has(p)) : false, t)} />
            ))}
          </ul>
        </section>
      ))}

      <Card title={t("dashboard.ranking.title")}>
        <DataList
          caption={t("dashboard.ranking.caption")}
          sort={{
            sort: params.sort,
            dir: params.dir,
            href: rankingHref,
            columns: [
              { column: "name", label: t("dashboard.ranking.department") },
              { column: "score", label: t("dashboard.ranking.score") },
            ],
            labels: sortLabels(t),
          }}
        >
          <ListHead>
            <SortTh label={t("dashboard.ranking.department")} column="name" sort={params.sort} dir={params.dir} href={rankingHref} />
            <SortTh label={t("dashboard.ranking.score")} column="score" sort={params.sort} dir={params.dir} href={rankingHref} />
            <Th>{t("dashboard.ranking.red")}</Th>
          </ListHead>
          {shown.length === 0 ? (
            <ListBody data-testid="dashboard-ranking">
              <ListEmpty colSpan={3}>{t("dashboard.ranking.empty")}</ListEmpty>
            </ListBody>
          ) : (
            // The rows as one markup string, as the other lists' (docs/performance.md, "List rows as markup").
            <ListRowsMarkup className={LIST_BODY_CLASS} testId="dashboard-ranking" html={shown.map((row) => rankingRowMarkup(row, hrefWith(PATH, {}, { department: row.department.id }), t)).join("")} />
          )}
        </DataList>
        <div className="print:hidden">
          <Pagination page={page} pageSize={PAGE_SIZE} total={rows.length} href={(p) => hrefWith(PATH, rankingState, { page: p === 1 ? undefined : p })} />
        </div>
      </Card>
    </div>
  );
}

/** A figure's card as texts (its markup: ./figure-card.tsx). */
function figureCard(figure: FigureResult, departmentId: string | null, canOpen: boolean, t: (key: string, params?: Record<string, string | number>) => string): FigureCardData {
  const { def } = figure;
  const key = figureMessageKey(def.key);
  const label = t(`dashboard.figures.${key}.label`);
  const unit = t(`dashboard.unit.${def.kind}`);
  const target = t(def.better === "lower" ? "dashboard.targetLower" : "dashboard.targetHigher", { green: `${figure.target.green}${unit}`, amber: `${figure.target.amber}${unit}` });
  return {
    figureKey: def.key,
    state: figure.state,
    tone: stateTone(figure.state),
    label,
    stateLabel: t(`dashboard.state.${figure.state}`),
    value: figure.value === null ? "—" : `${formatFigure(def.kind, figure.value)}${unit}`,
    ofTotal: def.kind === "rate" && figure.cell.total > 0 ? t("dashboard.ofTotal", { value: formatFigure("count", figure.cell.value), total: formatFigure("count", figure.cell.total) }) : null,
    hint: t(`dashboard.figures.${key}.hint`),
    target,
    drawing: trendDrawing(trendChartProps(figure, { label, unit, target, t })),
    list: def.list && canOpen ? { href: def.list.href(departmentId), ariaLabel: t("common.labelled", { label: t("dashboard.viewList"), value: label }), text: t("dashboard.viewList") } : null,
    noList: def.list ? t("dashboard.noList") : null,
  };
}
