import { lineGeometry, TONE_COLOURS, type Tone } from "./geometry";
import { areaUnder, drawTrend, runsOf, type TrendSpec } from "./trend-draw";

// A trend drawn on the server as SVG (geometry from ./geometry.ts, d3-scale/d3-shape): y axis
// with ticks, x axis with a few period labels, the target lines, each series as a line (the first
// also as a light area), the current value labelled at the last point. Responsive (viewBox, full
// width) and accessible: the SVG is one image named by its summary, and a visually hidden table
// holds every number for screen readers.
//
// Computed here as a drawing (`TrendSpec`: coordinates, formatted numbers, colours, texts) and
// written as markup by ./trend-draw.ts: a chart is some forty elements and its table as many again,
// each of which React would render twice per request (into the RSC payload and into the HTML); the
// dashboard draws twenty. components/ui/chart-trend.tsx sends the drawing, and
// components/ui/chart-trend-figure.tsx writes its markup as the one child of a <figure>.

/** A coordinate to a tenth of a chart unit (far below a pixel). */
const r = (n: number) => Math.round(n * 10) / 10;

export type TrendSeries = { key: string; name: string; tone: Tone; values: readonly (number | null)[] };
export type TrendTarget = { key: string; label: string; value: number; tone: Tone };

export type TrendChartData = {
  title: string;
  /** One sentence naming the figure, its current value, its target and its state. */
  summary: string;
  /** The heading of the hidden table's first column ("周" / "Week"). */
  periodLabel: string;
  /** The x axis labels (already formatted), one per period. */
  labels: readonly string[];
  series: readonly TrendSeries[];
  targets?: readonly TrendTarget[];
  yMax?: number;
  width?: number;
  height?: number;
  legend?: boolean;
};

/** The chart's drawing: everything its markup needs, computed and formatted. */
export function trendChartSpec(data: TrendChartData, format: (value: number) => string): TrendSpec {
  const { title, summary, periodLabel, labels, series, targets = [], yMax, width = 320, height = 150 } = data;
  const legend = data.legend ?? (series.length > 1 || targets.length > 0);
  const tickWidth = Math.max(...labels.map((l) => l.length), 4) * 6 + 8;
  const g = lineGeometry({
    count: labels.length,
    series: series.map((s) => ({ key: s.key, values: s.values })),
    targets: targets.map((t) => ({ key: t.key, value: t.value })),
    width,
    height,
    margin: { top: 16, right: 12, bottom: 22, left: Math.max(30, format(yMax ?? 100).length * 6 + 8) },
    yMax,
    maxXTicks: Math.max(2, Math.floor((width - 40) / tickWidth)),
  });
  const colourOf = (key: string) => TONE_COLOURS[series.find((s) => s.key === key)?.tone ?? "slate"];
  const x = g.x.map(r);
  return {
    width,
    height,
    title,
    summary,
    periodLabel,
    labels: [...labels],
    x,
    xTicks: g.xTicks,
    plot: [g.plot.left, g.plot.right, g.plot.bottom],
    yTicks: [g.yTicks.map((t) => r(t.y)), g.yTicks.map((t) => format(t.value))],
    legend,
    targets: g.targets.map((t) => {
      const target = targets.find((x) => x.key === t.key)!;
      return [r(t.y), r(t.y - 3), TONE_COLOURS[target.tone], target.label];
    }),
    series: g.series.map((s, k) => {
      const pi = s.points.map((p) => p.i);
      const values = series[k].values;
      return {
        name: series[k].name,
        colour: colourOf(s.key),
        line: s.line,
        // Left out when the drawing gives it back (the line closed down to the baseline).
        area: s.area === areaUnder(s.line, runsOf(pi), x, g.plot.bottom) ? null : s.area,
        pi,
        py: s.points.map((p) => r(p.y)),
        last: s.last ? [r(s.last.x - 6), r(s.last.y - 7 - k * 12), format(s.last.value)] : null,
        cells: labels.map((_, i) => {
          const v = values[i];
          return v === null || v === undefined ? null : format(v);
        }),
      };
    }),
    points: series[0]?.values.filter((v) => v !== null).length ?? 0,
  };
}

/** The inside of the chart's <figure>: legend (optional), the SVG and the hidden table. */
export function trendChartMarkup(data: TrendChartData, format: (value: number) => string): string {
  return drawTrend(trendChartSpec(data, format));
}
