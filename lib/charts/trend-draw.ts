import { el, leaf, text } from "./markup";

// A trend chart's markup from its drawing (`TrendSpec`): every coordinate already computed and
// rounded, every number already formatted, every colour resolved (lib/charts/trend-markup.ts
// computes it on the server with d3). Pure string building with no dependency, so the same
// function writes the chart into the server's HTML and, on a client navigation, in the browser
// (components/ui/chart-trend-figure.tsx): the page's RSC payload carries the drawing — numbers
// and texts, about a third of the markup's size — instead of the markup itself.

export type TrendSpecSeries = {
  name: string;
  colour: string;
  /** The line's path (d3, a tenth of a unit). */
  line: string;
  /** The area's path when it is not the line closed down to the baseline (see `areaUnder`); "" for none. */
  area: string | null;
  /** The label index of each drawn point, and its y (rounded). */
  pi: number[];
  py: number[];
  /** The current value's label: x, y (rounded) and text; null when the last week has no value. */
  last: [number, number, string] | null;
  /** Each label's value as the hidden table gives it; null for a gap. */
  cells: (string | null)[];
};

export type TrendSpec = {
  width: number;
  height: number;
  title: string;
  summary: string;
  periodLabel: string;
  labels: string[];
  /** Each label's x (rounded). */
  x: number[];
  /** The indexes of the labels on the x axis. */
  xTicks: number[];
  /** The plot's left, right and bottom. */
  plot: [number, number, number];
  /** The y ticks: their y (rounded) and their labels. */
  yTicks: [number[], string[]];
  legend: boolean;
  /** Each target: its line's y (rounded), its label's y (rounded), its colour, its label. */
  targets: [number, number, string, string][];
  series: TrendSpecSeries[];
  /** How many of the first series' weeks have a value (the SVG's data-points). */
  points: number;
};

/** The runs of consecutive indexes, as [first, last]. */
export function runsOf(indexes: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const i of indexes) {
    const run = runs[runs.length - 1];
    if (run && run[1] === i - 1) run[1] = i;
    else runs.push([i, i]);
  }
  return runs;
}

const r = (n: number) => Math.round(n * 10) / 10;

/**
 * The area under a line whose baseline is flat: each of the line's sub-paths (one per run of
 * defined values), closed straight down to the baseline and back — the shape d3's area draws, in
 * half the characters (d3 also writes the flat baseline as a curve through every point). Null when
 * a run is a single point (d3's area draws that), or the line's sub-paths do not match the runs.
 */
export function areaUnder(linePath: string, runs: [number, number][], xs: readonly number[], bottom: number): string | null {
  const parts = linePath.split(/(?=M)/).filter(Boolean);
  if (parts.length !== runs.length || runs.some(([a, b]) => a === b)) return null;
  return parts.map((p, k) => `${p}L${r(xs[runs[k][1]])},${r(bottom)}L${r(xs[runs[k][0]])},${r(bottom)}Z`).join("");
}

const swatch = (colour: string, strokeWidth: number, dash?: string) =>
  el("svg", { width: 14, height: 8, viewBox: "0 0 14 8" }, leaf("line", { x1: 0, x2: 14, y1: 4, y2: 4, stroke: colour, "stroke-width": strokeWidth, "stroke-dasharray": dash }));

/** The inside of the chart's <figure>: legend (optional), the SVG and the hidden table. */
export function drawTrend(spec: TrendSpec): string {
  const { width, height, title, summary, periodLabel, labels, x, xTicks, legend, targets, series } = spec;
  const [left, right, bottom] = spec.plot;
  let out = "";
  if (legend) {
    let items = "";
    for (const s of series) items += el("li", { class: "inline-flex items-center gap-1" }, swatch(s.colour, 2.5) + text(s.name));
    for (const t of targets) items += el("li", { class: "inline-flex items-center gap-1" }, swatch(t[2], 1.5, "3 2") + text(t[3]));
    out += el("ul", { class: "mb-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-700", "aria-hidden": "true" }, items);
  }

  // Attributes every child shares sit once on its group (SVG inherits them).
  const [tickYs, tickLabels] = spec.yTicks;
  let svg = el("title", {}, text(summary));
  svg += el("g", { stroke: "#e2e8f0", "stroke-width": 1 }, tickYs.map((y) => leaf("line", { x1: left, x2: right, y1: y, y2: y })).join(""));
  const yLabels = el("g", { "text-anchor": "end" }, tickYs.map((y, k) => el("text", { x: left - 4, y, dy: "0.32em" }, text(tickLabels[k]))).join(""));
  const xLabels = el(
    "g",
    { "text-anchor": "middle" },
    xTicks.map((i) => el("text", { x: x[i], y: bottom + 14, "text-anchor": i === labels.length - 1 ? "end" : i === 0 ? "start" : undefined }, text(labels[i]))).join(""),
  );
  svg += el("g", { "font-size": 10, fill: "#475569" }, yLabels + xLabels);
  svg += leaf("line", { x1: left, x2: right, y1: bottom, y2: bottom, stroke: "#94a3b8", "stroke-width": 1 });
  for (const [y, labelY, colour, label] of targets) {
    const labelText = legend ? "" : el("text", { x: left + 3, y: labelY, "font-size": 10, fill: colour }, text(label));
    svg += el("g", {}, leaf("line", { x1: left, x2: right, y1: y, y2: y, stroke: colour, "stroke-width": 1.25, "stroke-dasharray": "4 3" }) + labelText);
  }
  series.forEach((s, k) => {
    const colour = s.colour;
    let inner = "";
    if (k === 0 && series.length === 1) inner += leaf("path", { d: s.area ?? areaUnder(s.line, runsOf(s.pi), x, bottom) ?? "", fill: colour, "fill-opacity": 0.08 });
    inner += leaf("path", { d: s.line, fill: "none", stroke: colour, "stroke-width": 2, "stroke-linejoin": "round", "stroke-linecap": "round" });
    inner += el(
      "g",
      { stroke: colour, "stroke-width": 1.25, fill: "#fff" },
      s.pi.map((i, n) => leaf("circle", { cx: x[i], cy: s.py[n], r: i === labels.length - 1 ? 3.5 : 1.75, fill: i === labels.length - 1 ? colour : undefined })).join(""),
    );
    if (s.last) {
      inner += el("text", { x: s.last[0], y: s.last[1], "text-anchor": "end", "font-size": 11, "font-weight": 600, fill: colour, stroke: "#fff", "stroke-width": 3, "paint-order": "stroke" }, text(s.last[2]));
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
      "data-points": spec.points,
    },
    svg,
  );

  let head = el("th", { scope: "col" }, text(periodLabel));
  for (const s of series) head += el("th", { scope: "col" }, text(s.name));
  let body = "";
  labels.forEach((label, i) => {
    let row = el("th", { scope: "row" }, text(label));
    for (const s of series) {
      const v = s.cells[i];
      row += el("td", {}, v === null || v === undefined ? "—" : text(v));
    }
    body += el("tr", {}, row);
  });
  out += el("table", { class: "sr-only" }, el("caption", {}, text(title)) + el("thead", {}, el("tr", {}, head)) + el("tbody", {}, body));
  return out;
}
