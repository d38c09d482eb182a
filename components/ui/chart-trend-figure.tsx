"use client";

import { MarkupMemo } from "@/lib/charts/markup";
import { drawTrend, type TrendSpec } from "@/lib/charts/trend-draw";

// A trend chart's <figure>, its markup written from the drawing the server computed
// (components/ui/chart-trend.tsx): on the server into the HTML, in the browser on a client
// navigation. The RSC payload carries the drawing (numbers and texts) rather than the markup, so a
// chart is no longer sent twice in full (once in the HTML, once in the payload). The markup is a
// pure function of the drawing: the browser writes byte for byte what the server wrote, and
// hydration leaves it alone. Every value in it is escaped (lib/charts/markup.ts).

// The drawing arrives as its JSON (one string: the cheapest thing for the payload to carry and
// for React to serialise), and markup written before is kept under it: the server renders the same
// drawings for every request until the figures change. At most this many are kept.
const kept = new MarkupMemo(500);

export function TrendFigure({ drawing, className, testId }: { drawing: string; className: string; testId?: string }) {
  const html = kept.get(drawing, () => drawTrend(JSON.parse(drawing) as TrendSpec));
  return <figure className={className} data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}
