import { Link } from "./link";
import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

/**
 * The one list of the portal (docs/ui-lists.md). From `sm` up it is a table (sortable headers through
 * `SortTh`, scrolling sideways inside its own box when wide); below `sm` every row is a card: the
 * row's status and its deadline or overdue state first, then what identifies it (`kind="title"`), then
 * the other fields, each with its column's label. The same markup serves both: no JavaScript, no
 * second copy of the rows.
 *
 *   <DataList caption=… sort={{ sort, dir, href, columns, labels: sortLabels(t) }}>
 *     <ListHead>{sortTh(…)}<Th>…</Th></ListHead>
 *     <ListBody>
 *       <ListRow><Cell kind="title" label=…>…</Cell><Cell kind="status" label=…>…</Cell>…</ListRow>
 *     </ListBody>
 *   </DataList>
 */

export type ListSortLabels = { sortBy: string; ascending: string; descending: string };

export type ListSort = {
  sort: string;
  dir: "asc" | "desc";
  /** The same href builder the `SortTh` headers use. */
  href: (params: { sort: string; dir: "asc" | "desc" }) => string;
  /** The sortable columns, in the order of the headers. */
  columns: ReadonlyArray<{ column: string; label: string }>;
  labels: ListSortLabels;
};

/** The labels of the phone's sort bar, from the server's or the browser's translator. */
export function sortLabels(t: (key: string) => string): ListSortLabels {
  return { sortBy: t("lists.sortBy"), ascending: t("lists.ascending"), descending: t("lists.descending") };
}

export function DataList({
  caption,
  sort,
  children,
  testId,
  nowrap = false,
}: {
  caption: string;
  sort?: ListSort;
  children: ReactNode;
  testId?: string;
  /** From `sm` up, every cell but the `title` keeps to one line (set once in app/globals.css rather
   * than a `whitespace-nowrap` class on each cell); a cell that should wrap says so (`sm:whitespace-normal`). */
  nowrap?: boolean;
}) {
  return (
    <div data-list={nowrap ? "nowrap" : ""} {...defined({ "data-testid": testId })}>
      {sort ? <SortBar {...sort} /> : null}
      {/* A region one can reach by keyboard: on a wide screen a wide table scrolls inside it (axe's
          scrollable-region-focusable). */}
      <div role="region" aria-label={caption} tabIndex={0} className="rounded-lg border border-slate-200 bg-white focus-visible:outline-2 focus-visible:outline-blue-600 sm:overflow-x-auto max-sm:border-0 max-sm:bg-transparent">
        <table className="min-w-full text-sm max-sm:block sm:divide-y sm:divide-slate-200">
          <caption className="sr-only">{caption}</caption>
          {children}
        </table>
      </div>
    </div>
  );
}

/** The header row: shown from `sm` up; a phone sorts through the sort bar above the cards instead. */
export function ListHead({ children }: { children: ReactNode }) {
  return (
    <thead className="max-sm:hidden">
      <tr>{children}</tr>
    </thead>
  );
}

export function ListBody({ children, className, ...props }: ComponentProps<"tbody">) {
  return (
    <tbody className={cn("divide-y divide-slate-100 max-sm:block max-sm:space-y-3 max-sm:divide-y-0", className)} {...props}>
      {children}
    </tbody>
  );
}

/** One item: a table row from `sm` up, a card below it. */
export function ListRow({ children, ...props }: ComponentProps<"tr">) {
  return (
    // The card's look below `sm` comes from `[data-list-item]` in app/globals.css (once, not per row).
    <tr data-list-item="" {...defined(props)}>
      {children}
    </tr>
  );
}

/**
 * The props that have a value. A server component's element goes into the RSC payload with every
 * prop it was given, an absent one as `"colSpan":"$undefined"`: on a page of fifty rows of eight
 * cells that was ~500 of them, written, escaped and sent for nothing (docs/performance.md).
 */
function defined<T extends Record<string, unknown>>(props: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key in props) if (props[key] !== undefined) out[key] = props[key];
  return out;
}

/**
 * What a cell is on the phone's card: `status` and `deadline` come first, side by side; `title` (what
 * identifies the row) next on its own line; then the other fields with their labels; `actions` last.
 */
export type CellKind = "status" | "deadline" | "title" | "field" | "actions";

// What each kind is on the phone's card, and the label before the value (CSS generated content, read
// with the value, never part of the cell's text, in a fixed column so the value keeps the rest of
// the width), are rules on `[data-cell]` in app/globals.css: set once there rather than as ~250
// characters of classes on each of a page's hundreds of cells.

export function Cell({
  kind = "field",
  label,
  className,
  children,
  colSpan,
}: {
  kind?: CellKind;
  /** The column's header, shown before the value on the phone's card (for `field` and `deadline`). */
  label?: string;
  className?: string;
  children?: ReactNode;
  colSpan?: number;
}) {
  const showLabel = Boolean(label) && (kind === "field" || kind === "deadline");
  // Only the attributes that have a value (an absent prop still costs `"$undefined"` in the RSC
  // payload), and no wrapper around the value: the label's column on the phone's card is laid out
  // by `[data-cell][data-label]` in app/globals.css (a float beside whatever the value holds), so a
  // cell is one element (docs/performance.md). The card's key cells are `[data-cell=status]` and
  // `[data-cell=deadline]`.
  return (
    <td data-cell={kind} {...defined({ colSpan, "data-label": showLabel ? label : undefined, className })}>
      {children}
    </td>
  );
}

export function ListEmpty({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr className="max-sm:block">
      <td colSpan={colSpan} className="px-3 py-8 text-center text-slate-500 max-sm:block max-sm:rounded-lg max-sm:border max-sm:border-slate-200 max-sm:bg-white">
        {children}
      </td>
    </tr>
  );
}

/** The phone's sort control: one 44 px target per sortable column, wrapping instead of scrolling.
 * The chips' look is `[data-list-sort]` in app/globals.css (not ~250 characters of classes each). */
function SortBar({ sort, dir, href, columns, labels }: ListSort) {
  return (
    <nav aria-label={labels.sortBy} className="mb-3 flex flex-wrap items-center gap-2 text-sm sm:hidden" data-testid="list-sort" data-list-sort="">
      <span className="text-slate-600" aria-hidden="true">
        {labels.sortBy}
      </span>
      {columns.map(({ column, label }) => {
        const active = sort === column;
        const nextDir = active && dir === "asc" ? "desc" : "asc";
        return (
          <Link key={column} href={href({ sort: column, dir: nextDir })} {...defined({ "aria-current": active ? ("true" as const) : undefined })}>
            {label}
            {active ? <span className="sr-only">{dir === "asc" ? labels.ascending : labels.descending}</span> : null}
            <span aria-hidden="true">{active ? (dir === "asc" ? "▲" : "▼") : "↕"}</span>
          </Link>
        );
      })}
    </nav>
  );
}
