import { lineGeometry, TONE_COLOURS, type Tone } from "./geometry";
import { el, leaf, text } from "./markup";

// A trend drawn on the server as SVG markup (geometry from ./geometry.ts, d3-scale/d3-shape): y axis
// with ticks, x axis with a few period labels, the target lines, each series as a line (the first
// also as a light area), the current value labelled at the last point. Responsive (viewBox, full
// width) and accessible: the SVG is one image named by its summary, and a visually hidden table
// holds every number for screen readers.
//
// Written as a string rather than as React elements: a chart is some forty elements and its table
// as many again, each of which React would render twice per request (into the RSC payload and into
// the HTML); the dashboard draws twenty. components/ui/chart-trend.tsx emits the string as one node.

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

/** The inside of the chart's <figure>: legend (optional), the SVG and the hidden table. */
export function trendChartMarkup(data: TrendChartData, format: (value: number) => string): string {
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
  const swatch = (colour: string, strokeWidth: number, dash?: string) =>
    el("svg", { width: 14, height: 8, viewBox: "0 0 14 8" }, leaf("line", { x1: 0, x2: 14, y1: 4, y2: 4, stroke: colour, "stroke-width": strokeWidth, "stroke-dasharray": dash }));

  let out = "";
  if (legend) {
    let items = "";
    for (const s of series) items += el("li", { class: "inline-flex items-center gap-1" }, swatch(TONE_COLOURS[s.tone], 2.5) + text(s.name));
    for (const t of targets) items += el("li", { class: "inline-flex items-center gap-1" }, swatch(TONE_COLOURS[t.tone], 1.5, "3 2") + text(t.label));
    out += el("ul", { class: "mb-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-700", "aria-hidden": "true" }, items);
  }

  // Attributes every child shares sit once on its group (SVG inherits them).
  let svg = el("title", {}, text(summary));
  svg += el("g", { stroke: "#e2e8f0", "stroke-width": 1 }, g.yTicks.map((t) => leaf("line", { x1: g.plot.left, x2: g.plot.right, y1: r(t.y), y2: r(t.y) })).join(""));
  const yLabels = el("g", { "text-anchor": "end" }, g.yTicks.map((t) => el("text", { x: g.plot.left - 4, y: r(t.y), dy: "0.32em" }, text(format(t.value)))).join(""));
  const xLabels = el(
    "g",
    { "text-anchor": "middle" },
    g.xTicks.map((i) => el("text", { x: r(g.x[i]), y: g.plot.bottom + 14, "text-anchor": i === labels.length - 1 ? "end" : i === 0 ? "start" : undefined }, text(labels[i]))).join(""),
  );
  svg += el("g", { "font-size": 10, fill: "#475569" }, yLabels + xLabels);
  svg += leaf("line", { x1: g.plot.left, x2: g.plot.right, y1: g.plot.bottom, y2: g.plot.bottom, stroke: "#94a3b8", "stroke-width": 1 });
  for (const t of g.targets) {
    const target = targets.find((x) => x.key === t.key)!;
    const colour = TONE_COLOURS[target.tone];
    const label = legend ? "" : el("text", { x: g.plot.left + 3, y: r(t.y - 3), "font-size": 10, fill: colour }, text(target.label));
    svg += el("g", {}, leaf("line", { x1: g.plot.left, x2: g.plot.right, y1: r(t.y), y2: r(t.y), stroke: colour, "stroke-width": 1.25, "stroke-dasharray": "4 3" }) + label);
  }
  g.series.forEach((s, k) => {
    const colour = colourOf(s.key);
    let inner = k === 0 && series.length === 1 ? leaf("path", { d: s.area, fill: colour, "fill-opacity": 0.08 }) : "";
    inner += leaf("path", { d: s.line, fill: "none", stroke: colour, "stroke-width": 2, "stroke-linejoin": "round", "stroke-linecap": "round" });
    inner += el(
      "g",
      { stroke: colour, "stroke-width": 1.25, fill: "#fff" },
      s.points.map((p) => leaf("circle", { cx: r(p.x), cy: r(p.y), r: p.i === labels.length - 1 ? 3.5 : 1.75, fill: p.i === labels.length - 1 ? colour : undefined })).join(""),
    );
    if (s.last) {
      inner += el("text", { x: r(s.last.x - 6), y: r(s.last.y - 7 - k * 12), "text-anchor": "end", "font-size": 11, "font-weight": 600, fill: colour, stroke: "#fff", "stroke-width": 3, "paint-order": "stroke" }, text(format(s.last.value)));
    }
    svg += el("g", {}, inner);
  });
  out += el(
    "svg",
    {
      role: "img",
      "aria-label": summary,
      viewBox: `0 0 ${width} ${height}`,
      class: "h-auto w-full",
      preserveAspectRatio: "xMidYMid meet",
      "data-chart": "trend",
      "data-points": series[0]?.values.filter((v) => v !== null).length ?? 0,
    },
    svg,
  );

  let head = el("th", { scope: "col" }, text(periodLabel));
  for (const s of series) head += el("th", { scope: "col" }, text(s.name));
  let body = "";
  labels.forEach((label, i) => {
    let row = el("th", { scope: "row" }, text(label));
    for (const s of series) {
      const v = s.values[i];
      row += el("td", {}, v === null || v === undefined ? "—" : text(format(v)));
    }
    body += el("tr", {}, row);
  });
  out += el("table", { class: "sr-only" }, el("caption", {}, text(title)) + el("thead", {}, el("tr", {}, head)) + el("tbody", {}, body));
  return out;
}
