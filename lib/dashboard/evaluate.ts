import { MarkupMemo } from "@/lib/charts/markup";
import type { FigureDef } from "./figures";

// The dashboard's arithmetic, pure: rolling departments' own figures up the tree, reading a
// figure against its target, and the compliance score (docs/dashboard.md).

export type Cell = { value: number; total: number };
export type State = "green" | "amber" | "red" | "none";
export type Target = { green: number; amber: number };

export type DepartmentNode = { id: string; path: string; name: string; parentId: string | null; depth: number };

/** Adds a department's own rows into the cell, as the figure's kind says (sums, or the largest). */
export function combine(kind: FigureDef["kind"], into: Cell, add: Cell): Cell {
  return kind === "max" ? { value: Math.max(into.value, add.value), total: into.total + add.total } : { value: into.value + add.value, total: into.total + add.total };
}

/**
 * Each department's subtree total from every department's own cell. `own` holds the rows the
 * figure's query returned (departments without rows count as empty).
 */
export function rollUp(kind: FigureDef["kind"], departments: readonly DepartmentNode[], own: ReadonlyMap<string, Cell>): Map<string, Cell> {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const out = new Map<string, Cell>(departments.map((d) => [d.id, { value: 0, total: 0 }]));
  for (const [id, cell] of own) {
    const dept = byId.get(id);
    if (!dept) continue;
    // The path lists every ancestor's id: "/root/.../id/".
    for (const ancestor of dept.path.split("/").filter(Boolean)) {
      const current = out.get(ancestor);
      if (current) out.set(ancestor, combine(kind, current, cell));
    }
  }
  return out;
}

/**
 * `build()` kept under `owner` (an object that never changes once made: a shared count, a kept
 * roll-up) and `key`, at most `max` keys per owner; gone with the owner.
 */
export function keptFor<T>(store: WeakMap<object, MarkupMemo<T>>, owner: object, max: number, key: string, build: () => T): T {
  let memo = store.get(owner);
  if (!memo) store.set(owner, (memo = new MarkupMemo<T>(max)));
  return memo.get(key, build);
}

// Rolled-up figures kept per cells object: a count the dashboard shares (the company's cells, one
// object for as long as the count is kept) is rolled up once per department tree, not per view.
const rollUps = new WeakMap<object, MarkupMemo<Map<string, Map<string, Cell>>>>();

/**
 * Every figure's roll-up (rollUp) of `cells` over `departments`, by figure key. With `keep` (cells
 * that are a shared count and never change once counted: `companyCells`), the result is kept under
 * that cells object and the departments' ids and paths (a path names the department's ancestors:
 * the tree the roll-up follows), so the next view of the same tree reads it instead of adding it up
 * again: a new count is a new object, a department added, removed or moved another key. What it
 * returns is shared between views and is only read.
 */
export function rollUpFigures(
  figures: readonly Pick<FigureDef, "key" | "kind">[],
  departments: readonly DepartmentNode[],
  cells: ReadonlyMap<string, ReadonlyMap<string, Cell>>,
  keep: boolean,
): Map<string, Map<string, Cell>> {
  const compute = () => new Map(figures.map((f) => [f.key, rollUp(f.kind, departments, cells.get(f.key) ?? new Map())]));
  if (!keep) return compute();
  return keptFor(rollUps, cells, 100, departments.map((d) => `${d.id} ${d.path}`).join("\n"), compute);
}

/** The number the dashboard shows: a percentage for a rate (null when there is nothing to count). */
export function displayValue(def: Pick<FigureDef, "kind">, cell: Cell): number | null {
  if (def.kind === "rate") return cell.total > 0 ? (100 * cell.value) / cell.total : null;
  if (def.kind === "max") return cell.total > 0 ? cell.value : null;
  return cell.value;
}

export function stateOf(def: Pick<FigureDef, "kind" | "better">, cell: Cell, target: Target): State {
  const v = displayValue(def, cell);
  if (v === null) return "none";
  if (def.better === "lower") return v <= target.green ? "green" : v <= target.amber ? "amber" : "red";
  return v >= target.green ? "green" : v >= target.amber ? "amber" : "red";
}

/** Whether a target's two thresholds are in the figure's order (green is the better one). */
export function targetInOrder(def: Pick<FigureDef, "better">, target: Target): boolean {
  return def.better === "lower" ? target.green <= target.amber : target.green >= target.amber;
}

export const STATE_POINTS: Record<Exclude<State, "none">, number> = { green: 100, amber: 50, red: 0 };

/**
 * The compliance score: the weighted mean of the points of each figure's state (green 100, amber
 * 50, red 0), over the figures with a weight and something to count. Null when none has.
 */
export function complianceScore(parts: readonly { weight: number; state: State }[]): number | null {
  let points = 0;
  let weights = 0;
  for (const p of parts) {
    if (p.weight <= 0 || p.state === "none") continue;
    points += p.weight * STATE_POINTS[p.state];
    weights += p.weight;
  }
  return weights > 0 ? Math.round((points / weights) * 10) / 10 : null;
}

/** Monday (China time) of the week holding `now`, as YYYY-MM-DD. */
export function weekStartOf(now: Date): string {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  const day = (local.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - day));
  return monday.toISOString().slice(0, 10);
}

/** The `weeks` Mondays ending with the current week's, oldest first. */
export function lastWeeks(now: Date, weeks: number): string[] {
  const current = new Date(`${weekStartOf(now)}T00:00:00Z`);
  return Array.from({ length: weeks }, (_, i) => new Date(current.getTime() - (weeks - 1 - i) * 7 * 86_400_000).toISOString().slice(0, 10));
}
