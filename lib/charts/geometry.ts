import { scaleBand, scaleLinear, scalePoint } from "d3-scale";
import { area, curveMonotoneX, line } from "d3-shape";
import { areaUnder, runsOf } from "./trend-draw";

// The geometry of the portal's charts, computed on the server with d3-scale and d3-shape and drawn
// as plain SVG by components/ui/chart-*.tsx (no chart JavaScript reaches the browser). Pure
// functions of the data and the drawing size, so they are unit-tested without a browser.

export type Tone = "green" | "amber" | "red" | "slate" | "blue" | "teal";

/** Colours with at least 4.5:1 contrast on white (text and lines alike). */
export const TONE_COLOURS: Record<Tone, string> = {
  green: "#15803d",
  amber: "#b45309",
  red: "#b91c1c",
  slate: "#475569",
  blue: "#1d4ed8",
  teal: "#0f766e",
};

export type Margin = { top: number; right: number; bottom: number; left: number };

export type LineSeries = { key: string; values: readonly (number | null)[] };
export type TargetValue = { key: string; value: number };

export type LineGeometry = {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  /** One x per label, in order. */
  x: number[];
  /** Indexes of the labels drawn on the x axis (the last always among them). */
  xTicks: number[];
  yTicks: { value: number; y: number }[];
  series: { key: string; line: string; area: string; points: { i: number; x: number; y: number; value: number }[]; last: { x: number; y: number; value: number } | null }[];
  targets: { key: string; value: number; y: number }[];
};

/**
 * A line (and area) chart over `count` evenly spaced periods. The y domain starts at 0 and reaches
 * past the largest value and every target (so the target line is always on the chart), rounded to
 * nice ticks; `yMax` pins the top (100 for a percentage). A null value is a gap in the line.
 */
export function lineGeometry(options: {
  count: number;
  series: readonly LineSeries[];
  targets?: readonly TargetValue[];
  width: number;
  height: number;
  margin: Margin;
  yMax?: number;
  maxXTicks?: number;
}): LineGeometry {
  const { count, series, targets = [], width, height, margin } = options;
  const plot = { left: margin.left, right: width - margin.right, top: margin.top, bottom: height - margin.bottom };
  const indexes = Array.from({ length: count }, (_, i) => i);
  const x = scalePoint<number>().domain(indexes).range([plot.left, plot.right]).padding(count > 1 ? 0 : 0.5);
  const known = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const top = options.yMax ?? Math.max(1, ...known, ...targets.map((t) => t.value)) * 1.1;
  const y = scaleLinear().domain([0, top]).range([plot.bottom, plot.top]);
  if (options.yMax === undefined) y.nice(4);
  const xs = indexes.map((i) => x(i) ?? plot.left);
  const maxTicks = Math.max(2, options.maxXTicks ?? 4);
  const stride = Math.max(1, Math.ceil((count - 1) / (maxTicks - 1)));
  const xTicks = indexes.filter((i) => (count - 1 - i) % stride === 0);
  const at = (v: number) => y(Math.min(Math.max(v, 0), y.domain()[1]));
  return {
    width,
    height,
    plot,
    x: xs,
    xTicks,
    yTicks: y.ticks(4).map((value) => ({ value, y: y(value) })),
    series: series.map((s) => {
      const defined = (v: number | null): v is number => v !== null && Number.isFinite(v);
      const points = s.values.flatMap((v, i) => (defined(v) ? [{ i, x: xs[i], y: at(v), value: v }] : []));
      const pathOf = line<number | null>()
        .defined((v) => defined(v))
        .x((_, i) => xs[i])
        .y((v) => at(v ?? 0))
        .curve(curveMonotoneX)
        // A tenth of a chart unit is far below a pixel: shorter paths to render, send and parse.
        .digits(1);
      const areaOf = area<number | null>()
        .defined((v) => defined(v))
        .x((_, i) => xs[i])
        .y0(plot.bottom)
        .y1((v) => at(v ?? 0))
        .curve(curveMonotoneX)
        .digits(1);
      const lastValue = s.values[s.values.length - 1];
      const linePath = pathOf([...s.values]) ?? "";
      return {
        key: s.key,
        line: linePath,
        area: areaUnder(linePath, runsOf(points.map((p) => p.i)), xs, plot.bottom) ?? areaOf([...s.values]) ?? "",
        points,
        last: defined(lastValue ?? null) ? { x: xs[s.values.length - 1], y: at(lastValue!), value: lastValue! } : null,
      };
    }),
    targets: targets.map((t) => ({ key: t.key, value: t.value, y: at(t.value) })),
  };
}

export type BarGeometry = {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  rows: { key: string; y: number; band: number; bars: { series: number; y: number; height: number; width: number; value: number | null }[] }[];
  xTicks: { value: number; x: number }[];
  targets: { key: string; value: number; x: number }[];
};

/**
 * Horizontal grouped bars: one band per row, one bar per series inside it, from 0 to `max`
 * (100 for percentages). The height grows with the number of rows so labels never overlap.
 */
export function barGeometry(options: {
  rows: readonly { key: string; values: readonly (number | null)[] }[];
  series: number;
  targets?: readonly TargetValue[];
  width: number;
  margin: Margin;
  rowHeight?: number;
  max: number;
}): BarGeometry {
  const { rows, series, targets = [], width, margin, max } = options;
  const rowHeight = options.rowHeight ?? 14 * series + 12;
  const height = margin.top + margin.bottom + rowHeight * rows.length;
  const plot = { left: margin.left, right: width - margin.right, top: margin.top, bottom: height - margin.bottom };
  const band = scaleBand<string>().domain(rows.map((r) => r.key)).range([plot.top, plot.bottom]).paddingInner(0.25).paddingOuter(0.1);
  const inner = scaleBand<number>().domain(Array.from({ length: series }, (_, i) => i)).range([0, band.bandwidth()]).padding(0.1);
  const x = scaleLinear().domain([0, max]).range([plot.left, plot.right]).clamp(true);
  return {
    width,
    height,
    plot,
    rows: rows.map((r) => {
      const top = band(r.key) ?? plot.top;
      return {
        key: r.key,
        y: top,
        band: band.bandwidth(),
        bars: r.values.map((value, s) => ({ series: s, y: top + (inner(s) ?? 0), height: inner.bandwidth(), width: value === null ? 0 : x(value) - plot.left, value })),
      };
    }),
    xTicks: x.ticks(4).map((value) => ({ value, x: x(value) })),
    targets: targets.map((t) => ({ key: t.key, value: t.value, x: x(t.value) })),
  };
}

/** At most `max` characters of a label (a CJK character counts as two), with an ellipsis. */
export function clipLabel(label: string, max: number): string {
  let width = 0;
  let out = "";
  for (const ch of label) {
    const w = /[\u2E80-\uFFEF]/.test(ch) ? 2 : 1;
    if (width + w > max) return `${out}…`;
    width += w;
    out += ch;
  }
  return out;
}
