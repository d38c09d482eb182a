import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime } from "@/components/groups/format";
import { buttonClass, LinkButton } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { FilterBar } from "@/components/ui/filter-bar";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
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
const num = (n: number | null) => (n === null ? "—" : (Math.round(n * 10) / 10).toString());

function labelOf(dimension: ReportDimension, row: AttainmentRow, t: Translate): string {
  if (dimension === "channel") return t(`service.channel.${row.key}`);
  if (dimension === "type") return t(`service.caseType.${row.key}`);
  if (dimension === "agent" && row.key === "") return t("service.unassigned");
  if (dimension === "week") return t("service.report.weekOf", { week: row.key });
  return row.label;
}

/** Horizontal bars, one per row: a chart in plain CSS (no chart library), each bar labelled. */
function BarChart({ rows, t, caption }: { rows: { label: string; fr: number | null; res: number | null }[]; t: Translate; caption: string }) {
  return (
    <figure className="space-y-3" data-testid="chart-teams">
      <figcaption className="text-sm font-medium text-slate-900">{caption}</figcaption>
      <div className="flex flex-wrap gap-4 text-xs text-slate-700" aria-hidden="true">
        <span className="inline-flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm bg-blue-600" />
          {t("service.report.legendFr")}
        </span>
        <span className="inline-flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm bg-emerald-600" />
          {t("service.report.legendRes")}
        </span>
      </div>
      <ul className="space-y-2">
        {rows.map((r) => (
          <li key={r.label} className="grid grid-cols-[minmax(5rem,9rem)_minmax(0,1fr)] items-center gap-2 text-xs">
            <span className="truncate text-slate-800" title={r.label}>
              {r.label}
            </span>
            <span className="space-y-1">
              {([["fr", r.fr, "#2563eb"], ["res", r.res, "#059669"]] as const).map(([k, v, colour]) => (
                <span key={k} className="flex items-center gap-2">
                  {/* SVG, not a style attribute: the CSP allows no inline styles. */}
                  <svg viewBox="0 0 100 6" preserveAspectRatio="none" className="h-3 min-w-0 flex-1" aria-hidden="true">
                    <rect width={100} height={6} fill="#f1f5f9" />
                    <rect width={Math.round((v ?? 0) * 1000) / 10} height={6} fill={colour} />
                  </svg>
                  <span className="w-12 text-right tabular-nums text-slate-700">
                    <span className="sr-only">{k === "fr" ? t("service.report.legendFr") : t("service.report.legendRes")} </span>
                    {pct(v)}
                  </span>
                </span>
              ))}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** Weekly attainment as SVG columns (first response and resolution side by side). */
function WeeklyChart({ rows, t, caption }: { rows: AttainmentRow[]; t: Translate; caption: string }) {
  const width = Math.max(320, rows.length * 48 + 40);
  const height = 180;
  const plot = height - 40;
  return (
    <figure className="space-y-2" data-testid="chart-weekly">
      <figcaption className="text-sm font-medium text-slate-900">{caption}</figcaption>
      <div className="overflow-x-auto" role="region" aria-label={caption} tabIndex={0}>
        <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={caption}>
          {[0, 0.5, 1].map((g) => (
            <g key={g}>
              <line x1={30} x2={width} y1={10 + plot * (1 - g)} y2={10 + plot * (1 - g)} stroke="#e2e8f0" />
              <text x={0} y={14 + plot * (1 - g)} fontSize={10} fill="#475569">
                {g * 100}%
              </text>
            </g>
          ))}
          {rows.map((r, i) => {
            const fr = rate(r.frMet, r.frBreached);
            const res = rate(r.resMet, r.resBreached);
            const x = 36 + i * 48;
            return (
              <g key={r.key}>
                <title>{`${t("service.report.weekOf", { week: r.key })}: ${t("service.report.legendFr")} ${pct(fr)}, ${t("service.report.legendRes")} ${pct(res)}`}</title>
                <rect x={x} y={10 + plot * (1 - (fr ?? 0))} width={16} height={plot * (fr ?? 0)} fill="#2563eb" />
                <rect x={x + 18} y={10 + plot * (1 - (res ?? 0))} width={16} height={plot * (res ?? 0)} fill="#059669" />
                <text x={x} y={height - 14} fontSize={9} fill="#475569">
                  {r.key.slice(5)}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
    </figure>
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
  const [tables, breaches, departments] = await Promise.all([
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
          <SelectField
            name="department"
            label={t("service.report.department")}
            hint={t("service.report.departmentHint")}
            placeholder={t("service.report.allDepartments")}
            defaultValue={department ?? ""}
            options={departments.map((d) => ({ value: d.id, label: `${"　".repeat(Math.max(0, d.depth - top))}${d.name}` }))}
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
            <BarChart caption={t("service.report.chartResolution")} t={t} rows={byDimension.team.map((r) => ({ label: labelOf("team", r, t), fr: rate(r.frMet, r.frBreached), res: rate(r.resMet, r.resBreached) }))} />
          ) : (
            <p className="text-sm text-slate-600">{t("service.report.noData")}</p>
          )}
        </Card>
        <Card>{byDimension.week.length ? <WeeklyChart caption={t("service.report.chartWeekly")} t={t} rows={byDimension.week} /> : <p className="text-sm text-slate-600">{t("service.report.noData")}</p>}</Card>
      </div>

      <section className="mb-6 space-y-2" data-testid="report-breaches">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 className="text-base font-semibold text-slate-900">{t("service.report.openBreaches")}</h2>
          <a href={exportHref("breaches")} className={buttonClass("secondary")} download>
            {t("service.report.exportTable")}
          </a>
        </div>
        <Table caption={t("service.report.openBreaches")}>
          <thead>
            <tr>
              <Th>{t("service.fields.title")}</Th>
              <Th>{t("service.fields.caseType")}</Th>
              <Th>{t("service.fields.team")}</Th>
              <Th>{t("service.fields.assignee")}</Th>
              <Th>{t("service.fields.nextDue")}</Th>
              <Th>{t("service.report.escalated")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {breaches.length === 0 ? <EmptyRow colSpan={6}>{t("service.report.noBreaches")}</EmptyRow> : null}
            {breaches.map((b) => (
              <tr key={b.id}>
                <Td className="min-w-40">
                  <Link className="text-blue-800 hover:underline" href={`/service/${b.id}`}>
                    {b.title}
                  </Link>
                </Td>
                <Td className="whitespace-nowrap">{t(`service.caseType.${b.caseType}`)}</Td>
                <Td className="whitespace-nowrap">{b.teamName}</Td>
                <Td className="whitespace-nowrap">{b.assigneeName ?? t("service.unassigned")}</Td>
                <Td className="whitespace-nowrap">{`${t(`service.target.${b.nextTarget}`)} · ${formatDateTime(b.nextDueAt, locale)}`}</Td>
                <Td>{b.escalated ? <Badge tone="red">{t("service.report.yes")}</Badge> : t("service.report.no")}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
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
                  <Td className="text-right tabular-nums">{num(r.frMedian)}</Td>
                  <Td className="text-right tabular-nums">{num(r.frP90)}</Td>
                  <Td className="text-right tabular-nums">{num(r.resMedian)}</Td>
                  <Td className="text-right tabular-nums">{num(r.resP90)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </section>
      ))}
    </>
  );
}
