import { Link } from "./link";
import type { ReactNode } from "react";
import { cn } from "./cn";

/**
 * A wide table scrolls sideways inside its own box on a phone; the page itself never does. For a list
 * of records use `DataList` (data-list.tsx): it turns into cards on a phone. `Table` stays for grids
 * whose columns must be read side by side (a matrix, a calendar).
 */
export function Table({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    // A named, focusable region: a keyboard can scroll it sideways (axe: scrollable-region-focusable).
    <div role="region" aria-label={caption} tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white focus-visible:outline-2 focus-visible:outline-blue-600">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function Th({ children, className }: { children?: ReactNode; className?: string }) {
  return (
    <th scope="col" className={cn("whitespace-nowrap bg-slate-50 px-3 py-2 text-left font-medium text-slate-700", className)}>
      {children}
    </th>
  );
}

export function Td({ children, className }: { children?: ReactNode; className?: string }) {
  return <td className={cn("px-3 py-2 align-top text-slate-800", className)}>{children}</td>;
}

/** A column header that sorts through the URL, so a sorted page can be bookmarked and shared. */
export function SortTh({ label, column, sort, dir, href }: { label: string; column: string; sort: string; dir: "asc" | "desc"; href: (params: { sort: string; dir: "asc" | "desc" }) => string }) {
  const active = sort === column;
  const nextDir = active && dir === "asc" ? "desc" : "asc";
  return (
    <th scope="col" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"} className="whitespace-nowrap bg-slate-50 px-3 py-2 text-left font-medium text-slate-700">
      <Link href={href({ sort: column, dir: nextDir })} className="inline-flex items-center gap-1 hover:underline pointer-coarse:min-h-11">
        {label}
        <span aria-hidden="true" className="text-slate-400">{active ? (dir === "asc" ? "▲" : "▼") : "↕"}</span>
      </Link>
    </th>
  );
}

export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-3 py-8 text-center text-slate-500">
        {children}
      </td>
    </tr>
  );
}
