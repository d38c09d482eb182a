import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDateTime } from "@/components/groups/format";
import { buttonClass, LinkButton } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { ManySelectField, SelectField, TextField } from "@/components/ui/field";
import { optionList } from "@/components/ui/select-options";
import { FilterBar } from "@/components/ui/filter-bar";
import { BarChart } from "@/components/ui/chart-bars";
import { TrendChart } from "@/components/ui/chart-trend";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import { figureTargets } from "@/lib/dashboard/compute";
import { formatMinutes } from "@/lib/i18n/format";
import { getI18n } from "@/lib/i18n/server";
import type { Translate } from "@/lib/i18n/translate";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { attainment, openBreaches, rate, reportRange, type AttainmentRow } from "@/lib/service/reports";
import { REPORT_DIMENSIONS, REPORT_WINDOWS, reportParamsSchema, type ReportDimension } from "@/lib/service/schemas";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";

const PATH = "/service/reports";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("service.report.title") };
}

const TITLES: Record<ReportDimension, string> = { team: "byTeam", agent: "byAgent", channel: "byChannel", type: "byType", week: "byWeek" };
const pct = (n: number | null) => (n === null ? "—" : `${(n * 100).toFixed(1)}%`);

function labelOf(dimension: ReportDimension, row: AttainmentRow, t: Translate): string {
  if (dimension === "channel") return t(`service.channel.${row.key}`);
  if (dimension === "type") return t(`service.caseType.${row.key}`);
  if (dimension === "agent" && row.key === "") return t("service.unassigned");
  if (dimension === "week") return t("service.report.weekOf", { week: row.key });
  return row.label;
}

const pctAxis = (v: number) => `${Math.round(v)}%`;
const pctOf = (n: number | null) => (n === null ? null : Math.round(n * 1000) / 10);

/** The attainment targets of the dashboard's two service figures (set at /settings/dashboard-targets). */
function reportTargets(targets: Map<string, { green: number }>, t: Translate) {
  const fr = targets.get("service.firstResponse")?.green ?? 95;
  const res = targets.get("service.resolution")?.green ?? 90;
  return [
    { key: "fr", label: t("service.report.targetFr", { value: `${fr}%` }), value: fr, tone: "blue" as const },
    { key: "res", label: t("service.report.targetRes", { value: `${res}%` }), value: res, tone: "teal" as const },
  ];
}

/** Attainment by team: grouped bars (first response, resolution) against their targets. */
function TeamsChart({ rows, t, targets }: { rows: { key: string; label: string; fr: number | null; res: number | null }[]; t: Translate; targets: ReturnType<typeof reportTargets> }) {
  const title = t("service.report.chartResolution");
  const f = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)}%`);
  return (
    <>
      <h2 className="mb-2 text-sm font-semibold text-slate-900">{title}</h2>
      <BarChart
        testId="chart-teams"
        title={title}
        summary={t("service.report.chartTeamsSummary", {
          count: rows.length,
          targets: targets.map((x) => x.label).join(t("common.listSeparator")),
          rows: rows.map((r) => t("service.report.chartRow", { label: r.label, fr: f(r.fr), res: f(r.res) })).join(t("common.clauseSeparator")),
        })}
        rowHeader={t("service.report.chartTeam")}
        series={[
          { key: "fr", name: t("service.report.legendFr"), tone: "blue" },
          { key: "res", name: t("service.report.legendRes"), tone: "teal" },
        ]}
        rows={rows.map((r) => ({ key: r.key, label: r.label, values: [r.fr, r.res] }))}
        targets={targets}
        max={100}
        format={pctAxis}
      />
    </>
  );
}

/** Weekly attainment as two lines (first response, resolution) against their targets. */
function WeeklyChart({ rows, t, targets }: { rows: AttainmentRow[]; t: Translate; targets: ReturnType<typeof reportTargets> }) {
  const title = t("service.report.chartWeekly");
  const fr = rows.map((r) => pctOf(rate(r.frMet, r.frBreached)));
  const res = rows.map((r) => pctOf(rate(r.resMet, r.resBreached)));
  const f = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${v.toFixed(1)}%`);
  return (
    <>
      <h2 className="mb-2 text-sm font-semibold text-slate-900">{title}</h2>
      <TrendChart
        testId="chart-weekly"
        title={title}
        summary={t("service.report.chartWeeklySummary", { count: rows.length, targets: targets.map((x) => x.label).join(t("common.listSeparator")), fr: f(fr.at(-1)), res: f(res.at(-1)) })}
        periodLabel={t("service.report.chartWeek")}
        labels={rows.map((r) => r.key.slice(5))}
        series={[
          { key: "fr", name: t("service.report.legendFr"), tone: "blue", values: fr },
          { key: "res", name: t("service.report.legendRes"), tone: "teal", values: res },
        ]}
        targets={targets}
        format={pctAxis}
        yMax={100}
        width={360}
        height={170}
      />
    </>
  );
}

export default async function ServiceReportsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("service.work", "service.read:department", "service.read:all");
  const { t, locale } = await getI18n();
  const params = reportParamsSchema.parse(firstValues(await searchParams));
  const now = new Date();
  const range = reportRange(params, now);
  const client = db();
  const department = params.department;
  // Departments to narrow to: the whole company for service.read:all, a manager's subtree; an agent
  // (own cases only) gets no picker. The server narrows within the reader's scope whatever is asked.
  const pickable = actor.permissions.has("service.read:all") || actor.permissions.has("service.read:department");
  const [tables, breaches, departments, targets] = await Promise.all([
    Promise.all(REPORT_DIMENSIONS.map(async (d) => [d, await attainment(actor, client, d, range, now, { department })] as const)),
    openBreaches(actor, client, now, { department }),
    pickable
      ? client.department.findMany({
          where: actor.permissions.has("service.read:all") ? {} : { path: { startsWith: actor.departmentPath } },
          select: { id: true, name: true, depth: true },
          orderBy: { path: "asc" },
          take: 2_000,
        })
      : [],
    figureTargets(client),
  ]);
  const byDimension = Object.fromEntries(tables) as Record<ReportDimension, AttainmentRow[]>;
  const window: Record<string, string> = range.days ? { days: String(range.days) } : { from: range.fromDay, to: range.toDay };
  if (department) window.department = department;
  const exportHref = (table: string) => hrefWith(`${PATH}/export`, window, { table });
  const top = departments[0]?.depth ?? 0;
  const unknownDepartment = Boolean(department) && !(await client.department.findUnique({ where: { id: department! }, select: { id: true } }));

  return (
    <>
      <PageHeader title={t("service.report.title")} description={t("service.report.description")} actions={<LinkButton href="/service">{t("service.title")}</LinkButton>} />
      <FilterBar action={PATH} label={t("service.report.title")} submitLabel={t("service.report.apply")} resetHref={PATH} resetLabel={t("service.filters.reset")} key={`${range.fromDay}:${range.toDay}:${range.days ?? ""}:${department ?? ""}`}>
        <SelectField
          name="days"
          label={t("service.report.window")}
          placeholder={t("service.report.byDates")}
          defaultValue={range.days ? String(range.days) : ""}
          options={REPORT_WINDOWS.map((n) => ({ value: String(n), label: t("service.report.lastDays", { days: n }) }))}
        />
        <TextField name="from" type="date" label={t("service.report.from")} defaultValue={range.fromDay} hint={range.days ? t("service.report.datesIgnored") : undefined} />
        <TextField name="to" type="date" label={t("service.report.to")} defaultValue={range.toDay} />
        {pickable ? (
          <ManySelectField
            name="department"
            label={t("service.report.department")}
            hint={t("service.report.departmentHint")}
            placeholder={t("service.report.allDepartments")}
            defaultValue={department ?? ""}
            options={optionList(departments.map((d) => ({ value: d.id, label: `${"　".repeat(Math.max(0, d.depth - top))}${d.name}` })))}
          />
        ) : null}
      </FilterBar>
      {range.days ? (
        <p className="mb-3 text-sm text-slate-700" data-testid="report-rolling-window">
          {t("service.report.rollingWindow", { days: range.days, from: formatDateTime(range.from, locale) })}
        </p>
      ) : null}
      {unknownDepartment ? (
        <p className="mb-3 text-sm text-amber-800" role="status" data-testid="report-unknown-department">
          {t("service.report.unknownDepartment")}
        </p>
      ) : null}

      <div className="mb-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          {byDimension.team.length ? (
            <TeamsChart t={t} targets={reportTargets(targets, t)} rows={byDimension.team.map((r) => ({ key: r.key, label: labelOf("team", r, t), fr: pctOf(rate(r.frMet, r.frBreached)), res: pctOf(rate(r.resMet, r.resBreached)) }))} />
          ) : (
            <p className="text-sm text-slate-600">{t("service.report.noData")}</p>
          )}
        </Card>
        <Card>{byDimension.week.length ? <WeeklyChart t={t} targets={reportTargets(targets, t)} rows={byDimension.week} /> : <p className="text-sm text-slate-600">{t("service.report.noData")}</p>}</Card>
      </div>

      <section className="mb-6 space-y-2" data-testid="report-breaches">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 className="text-base font-semibold text-slate-900">{t("service.report.openBreaches")}</h2>
          <a href={exportHref("breaches")} className={buttonClass("secondary")} download>
            {t("service.report.exportTable")}
          </a>
        </div>
        <DataList caption={t("service.report.openBreaches")}>
          <ListHead>
            <Th>{t("service.fields.title")}</Th>
            <Th>{t("service.fields.caseType")}</Th>
            <Th>{t("service.fields.team")}</Th>
            <Th>{t("service.fields.assignee")}</Th>
            <Th>{t("service.fields.nextDue")}</Th>
            <Th>{t("service.report.escalated")}</Th>
          </ListHead>
          <ListBody>
            {breaches.length === 0 ? <ListEmpty colSpan={6}>{t("service.report.noBreaches")}</ListEmpty> : null}
            {breaches.map((b) => (
              <ListRow key={b.id}>
                <Cell kind="title" className="sm:min-w-40">
                  <Link className="text-blue-800 hover:underline" href={`/service/${b.id}`}>
                    {b.title}
                  </Link>
                </Cell>
                <Cell label={t("service.fields.caseType")} className="sm:whitespace-nowrap">{t(`service.caseType.${b.caseType}`)}</Cell>
                <Cell label={t("service.fields.team")} className="sm:whitespace-nowrap">{b.teamName}</Cell>
                <Cell label={t("service.fields.assignee")} className="sm:whitespace-nowrap">{b.assigneeName ?? t("service.unassigned")}</Cell>
                <Cell kind="deadline" label={t("service.fields.nextDue")} className="sm:whitespace-nowrap">{`${t(`service.target.${b.nextTarget}`)} · ${formatDateTime(b.nextDueAt, locale)}`}</Cell>
                <Cell kind="status">{b.escalated ? <Badge tone="red">{t("service.report.escalated")}</Badge> : <span className="max-sm:sr-only">{t("service.report.no")}</span>}</Cell>
              </ListRow>
            ))}
          </ListBody>
        </DataList>
      </section>

      {REPORT_DIMENSIONS.map((d) => (
        <section key={d} className="mb-6 space-y-2" data-testid={`report-${d}`}>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 className="text-base font-semibold text-slate-900">{t(`service.report.${TITLES[d]}`)}</h2>
            <a href={exportHref(d)} className={buttonClass("secondary")} download data-testid={`report-export-${d}`}>
              {t("service.report.exportTable")}
            </a>
          </div>
          <Table caption={t(`service.report.${TITLES[d]}`)}>
            <thead>
              <tr>
                <Th>{t("service.report.key")}</Th>
                <Th className="text-right">{t("service.report.total")}</Th>
                <Th className="text-right">{t("service.report.frRate")}</Th>
                <Th className="text-right">{t("service.report.resRate")}</Th>
                <Th className="text-right">{t("service.report.frMet")}</Th>
                <Th className="text-right">{t("service.report.frBreached")}</Th>
                <Th className="text-right">{t("service.report.resMet")}</Th>
                <Th className="text-right">{t("service.report.resBreached")}</Th>
                <Th className="text-right">{t("service.report.frMedian")}</Th>
                <Th className="text-right">{t("service.report.frP90")}</Th>
                <Th className="text-right">{t("service.report.resMedian")}</Th>
                <Th className="text-right">{t("service.report.resP90")}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {byDimension[d].length === 0 ? <EmptyRow colSpan={12}>{t("service.report.noData")}</EmptyRow> : null}
              {byDimension[d].map((r) => (
                <tr key={r.key} data-testid="report-row" data-key={r.key}>
                  <Td className="whitespace-nowrap">{labelOf(d, r, t)}</Td>
                  <Td className="text-right tabular-nums" >{r.total}</Td>
                  <Td className="text-right tabular-nums">{pct(rate(r.frMet, r.frBreached))}</Td>
                  <Td className="text-right tabular-nums">{pct(rate(r.resMet, r.resBreached))}</Td>
                  <Td className="text-right tabular-nums">{r.frMet}</Td>
                  <Td className="text-right tabular-nums">{r.frBreached}</Td>
                  <Td className="text-right tabular-nums" >{r.resMet}</Td>
                  <Td className="text-right tabular-nums">{r.resBreached}</Td>
                  <Td className="text-right tabular-nums whitespace-nowrap">{formatMinutes(r.frMedian, locale)}</Td>
                  <Td className="text-right tabular-nums whitespace-nowrap">{formatMinutes(r.frP90, locale)}</Td>
                  <Td className="text-right tabular-nums whitespace-nowrap">{formatMinutes(r.resMedian, locale)}</Td>
                  <Td className="text-right tabular-nums whitespace-nowrap">{formatMinutes(r.resP90, locale)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </section>
      ))}
    </>
  );
}
