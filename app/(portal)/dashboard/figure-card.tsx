"use client";

import { Badge } from "@/components/ui/card";
import { TrendFigure } from "@/components/ui/chart-trend-figure";
import { useListLinks } from "@/components/ui/list-rows";

// A figure's card on the dashboard, drawn from its texts (app/(portal)/dashboard/page.tsx writes
// every text, number and link on the server, for the viewer's scope and language). A client
// component so that the RSC payload carries those texts once, not the card's twelve elements with
// their classes (about 1.2 KB a card, twenty cards, sent with every view and inlined in the HTML a
// second time): the same markup, from a third of the bytes (docs/performance.md, fourth session).

export type FigureCardData = {
  figureKey: string;
  state: string;
  tone: "slate" | "green" | "amber" | "red";
  label: string;
  stateLabel: string;
  /** The figure with its unit, or "—". */
  value: string;
  /** A rate's "44 / 700", or null. */
  ofTotal: string | null;
  hint: string;
  target: string;
  /** The trend's drawing (components/ui/chart-trend.tsx). */
  drawing: string;
  /** Its list, when the viewer may open it; else `noList` (null for a figure without a list). */
  list: { href: string; ariaLabel: string; text: string } | null;
  noList: string | null;
};

export function FigureCard({ data }: { data: FigureCardData }) {
  // The card's link is a plain <a> that navigates on the client as `Link` does (without prefetching),
  // through the lists' click handler (components/ui/list-rows.tsx): no next/link to render per card.
  const onClick = useListLinks();
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={`figure-${data.figureKey}`} data-state={data.state} onClick={onClick}>
      <div className="flex items-start justify-between gap-2">
        <h3 className="text-sm font-medium text-slate-900">{data.label}</h3>
        <Badge tone={data.tone}>{data.stateLabel}</Badge>
      </div>
      <p className="mt-2 text-2xl font-semibold tabular-nums text-slate-900">
        {data.value}
        {data.ofTotal === null ? null : <span className="ml-2 text-sm font-normal text-slate-600">{data.ofTotal}</span>}
      </p>
      <p className="mt-1 text-xs text-slate-600">{data.hint}</p>
      <p className="mt-2 text-xs text-slate-600">{data.target}</p>
      <TrendFigure drawing={data.drawing} className="w-full mt-1" testId={`trend-${data.figureKey}`} />
      <p className="mt-2 text-sm print:hidden">
        {data.list ? (
          <a className="text-blue-800 hover:underline" href={data.list.href} aria-label={data.list.ariaLabel}>
            {data.list.text}
          </a>
        ) : (
          <span className="text-slate-500">{data.noList}</span>
        )}
      </p>
    </li>
  );
}
