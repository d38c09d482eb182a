import { formatDateTime } from "@/lib/i18n/format";
import type { State } from "./evaluate";
import type { FigureKind } from "./figures";

// How figures read on the page and in the CSV (kept free of server imports: the page and the
// export share it).

/** Message keys cannot hold dots: "groups.ownerless" → "groups_ownerless". */
export function figureMessageKey(figureKey: string): string {
  return figureKey.replace(/\./g, "_");
}

// One formatter for the process: toLocaleString("en-US") builds one per call, and a dashboard
// formats a few hundred numbers (its charts' ticks, values and summaries) on every view.
const COUNT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatFigure(kind: FigureKind, value: number): string {
  if (kind === "count") return COUNT.format(Math.round(value));
  return (Math.round(value * 10) / 10).toFixed(1);
}

export function stateTone(state: State): "green" | "amber" | "red" | "slate" {
  return state === "none" ? "slate" : state;
}

/** The time of day in China with seconds: when the figures were counted. */
export function formatCountedAt(value: Date, locale: string): string {
  return formatDateTime(value, locale, { seconds: true });
}

/** The week a trend point stands for, on the chart's axis: its Monday as MM-DD. */
export function weekTick(week: string): string {
  return week.slice(5);
}

type TrendFigure = {
  def: { kind: FigureKind; better: "lower" | "higher" };
  state: State;
  target: { green: number; amber: number };
  trend: readonly { week: string; value: number | null }[];
};

/** A figure's 12-week trend as the chart draws it: coloured by its state, its target as a line. */
export function trendChartProps(figure: TrendFigure, { label, unit, target, t }: { label: string; unit: string; target: string; t: (key: string, params?: Record<string, string | number>) => string }) {
  const { def } = figure;
  const values = figure.trend.map((p) => p.value);
  const format = (v: number) => `${formatFigure(def.kind, v)}${def.kind === "rate" ? "%" : ""}`;
  const known = values.filter((v): v is number => v !== null);
  const highest = Math.max(0, ...known, figure.target.green);
  const current = values[values.length - 1] ?? null;
  const first = known[0] ?? null;
  const sign = def.better === "lower" ? "≤" : "≥";
  return {
    title: t("dashboard.chart.title", { figure: label }),
    summary: t("dashboard.chart.summary", {
      figure: label,
      weeks: figure.trend.length,
      first: first === null ? "—" : `${formatFigure(def.kind, first)}${unit}`,
      current: current === null ? "—" : `${formatFigure(def.kind, current)}${unit}`,
      target,
      state: t(`dashboard.state.${figure.state}`),
    }),
    periodLabel: t("dashboard.chart.week"),
    labels: figure.trend.map((p) => weekTick(p.week)),
    series: [{ key: "value", name: label, tone: stateTone(figure.state), values }],
    targets: [{ key: "target", label: t("dashboard.chart.target", { value: `${sign} ${format(figure.target.green)}` }), value: figure.target.green, tone: "green" as const }],
    format,
    // A rate near the top reads against the whole scale; a small one gets the room it needs.
    yMax: def.kind === "rate" && highest > 60 ? 100 : undefined,
    legend: false,
    // The format above depends on the figure's kind alone: it names it, so the chart's markup can be
    // kept under it and the chart's other inputs (components/ui/chart-trend.tsx).
    memo: `dashboard:${def.kind}`,
  };
}
