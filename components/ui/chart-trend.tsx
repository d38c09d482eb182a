import { cn } from "./cn";
import { TrendFigure } from "./chart-trend-figure";
import { MarkupMemo } from "@/lib/charts/markup";
import { trendChartSpec, type TrendChartData } from "@/lib/charts/trend-markup";

export type { TrendSeries, TrendTarget } from "@/lib/charts/trend-markup";

// A trend drawn on the server as SVG, with a visually hidden table of every number for screen
// readers (lib/charts/trend-markup.ts). Its geometry (d3) is computed here; what reaches the page is
// its drawing — coordinates, formatted numbers, texts, as JSON — which components/ui/chart-trend-figure.tsx
// writes as markup, the one child of a <figure>: React renders one node per chart instead of some
// eighty, and the RSC payload carries the drawing (a third of the markup's size) instead of the
// markup a second time. Every value in the markup is escaped there.

// Charts whose caller names their format (`memo`) are kept per process under every input — the
// format's name, the texts, the labels, the values, the targets, the size — so a chart is drawn
// once and reused by every request that would draw the very same one; a different figure, value,
// scope's data or language is a different key. At most this many are kept.
const kept = new MarkupMemo(1_000);

type TrendDrawingProps = TrendChartData & {
  format: (value: number) => string;
  /**
   * Names `format` (e.g. "dashboard:rate"): given, the chart's drawing is kept under it and every
   * other prop. Pass it only when `format` is a pure function that this name alone determines.
   */
  memo?: string;
};

/** A chart's drawing, as JSON: what TrendFigure (components/ui/chart-trend-figure.tsx) writes as markup. */
export function trendDrawing({ format, memo, ...data }: TrendDrawingProps): string {
  const draw = () => JSON.stringify(trendChartSpec(data, format));
  return memo ? kept.get(`${memo}\u0000${JSON.stringify(data)}`, draw) : draw();
}

export function TrendChart({
  className,
  testId,
  ...props
}: TrendDrawingProps & {
  /** Classes for the <figure> (it is full width). */
  className?: string;
  testId?: string;
}) {
  return <TrendFigure drawing={trendDrawing(props)} className={cn("w-full", className)} testId={testId} />;
}
