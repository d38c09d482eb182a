import { attrs, escapeText, type Attrs } from "@/lib/charts/markup";
import type { CellKind } from "./data-list";

// A list's rows written as one markup string (components/ui/list-rows.tsx emits it as the one child
// of the list's <tbody>), for the lists whose rows cost most of their page (docs/performance.md,
// "List rows as markup"): as React elements every row was serialised into the RSC payload element by
// element and prop by prop, parsed back for the HTML with a reviver per value, then written
// attribute by attribute — a page of fifty rows was ~1,000 elements, twice. As a string it is one
// value in the payload and one raw write in the HTML; the DOM is the one the elements gave
// (the same tags, attributes and texts; `components/ui/list-markup.test.ts` compares them).
//
// Every text and attribute value goes through one escaper (lib/charts/markup.ts): nothing in a
// name, a title or an identifier can open a tag or close an attribute. Attribute values are
// single-quoted (the string travels inside a JSON string in the payload, where a double quote costs
// an escape). Links are plain <a href>: the list's <tbody> (ListRowsMarkup) navigates on the client
// for them, as next/link did, without prefetching (as `Link` with `prefetch={false}` did).

export type { Attrs };
export { escapeText as text };

/** An element with children that are already markup. */
export function tag(name: string, a: Attrs, children = ""): string {
  return `<${name}${attrs(a)}>${children}</${name}>`;
}

/** A list's row (`ListRow`): a table row from `sm` up, a card below it. */
export function rowMarkup(a: Attrs, cells: string): string {
  return `<tr data-list-item=''${attrs(a)}>${cells}</tr>`;
}

/**
 * A cell (`Cell`): its kind on the phone's card, and for `field` and `deadline` its column's label
 * (shown before the value on the card). `inner` is markup.
 */
export function cellMarkup(kind: CellKind, label: string | undefined, className: string | undefined, inner: string): string {
  const showLabel = Boolean(label) && (kind === "field" || kind === "deadline");
  return `<td${attrs({ "data-cell": kind, "data-label": showLabel ? label : undefined, class: className })}>${inner}</td>`;
}

/** A link the list navigates to on the client (ListRowsMarkup). */
export function linkMarkup(href: string, label: string, a: Attrs = {}): string {
  return `<a${attrs({ ...a, href })}>${escapeText(label)}</a>`;
}

export type BadgeTone = "slate" | "green" | "amber" | "red" | "blue";

/** `Badge` (components/ui/card.tsx): its look per tone is `[data-badge]` in app/globals.css. */
export function badgeMarkup(tone: BadgeTone, label: string, options: { testId?: string; state?: string } = {}): string {
  return `<span${attrs({ "data-badge": tone, "data-testid": options.testId, "data-state": options.state })}>${escapeText(label)}</span>`;
}

/** `ListBody`'s classes (the rows' dividers from `sm` up, the cards' spacing below it). */
export const LIST_BODY_CLASS = "divide-y divide-slate-100 max-sm:block max-sm:space-y-3 max-sm:divide-y-0";
