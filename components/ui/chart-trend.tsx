import { cn } from "./cn";
import { MarkupMemo } from "@/lib/charts/markup";
import { trendChartMarkup, type TrendChartData } from "@/lib/charts/trend-markup";

export type { TrendSeries, TrendTarget } from "@/lib/charts/trend-markup";

// A trend drawn on the server as SVG, with a visually hidden table of every number for screen
// readers (lib/charts/trend-markup.ts). The chart is written as markup and emitted as the one
// child of its <figure>: React then renders one node per chart instead of some eighty (each twice:
// into the RSC payload and into the HTML). Every value in the markup is escaped there.

// Charts whose caller names their format (`memo`) are kept per process under every input — the
// format's name, the texts, the labels, the values, the targets, the size — so a chart is drawn
// once and reused by every request that would draw the very same one; a different figure, value,
// scope's data or language is a different key. At most this many are kept.
const kept = new MarkupMemo(1_000);

export function TrendChart({
  format,
  memo,
  className,
  testId,
  ...data
}: TrendChartData & {
  format: (value: number) => string;
  /**
   * Names `format` (e.g. "dashboard:rate"): given, the chart's markup is kept under it and every
   * other prop. Pass it only when `format` is a pure function that this name alone determines.
   */
  memo?: string;
  /** Classes for the <figure> (it is full width). */
  className?: string;
  testId?: string;
}) {
  const html = memo ? kept.get(`${memo}\u0000${JSON.stringify(data)}`, () => trendChartMarkup(data, format)) : trendChartMarkup(data, format);
  return <figure className={cn("w-full", className)} data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}
