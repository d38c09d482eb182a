import { describe, expect, it } from "vitest";
import { complianceScore, displayValue, lastWeeks, rollUp, rollUpFigures, stateOf, targetInOrder, weekStartOf, type DepartmentNode } from "./evaluate";

const tree: DepartmentNode[] = [
  { id: "hq", path: "/hq/", name: "HQ", parentId: null, depth: 0 },
  { id: "a", path: "/hq/a/", name: "A", parentId: "hq", depth: 1 },
  { id: "a1", path: "/hq/a/a1/", name: "A1", parentId: "a", depth: 2 },
  { id: "b", path: "/hq/b/", name: "B", parentId: "hq", depth: 1 },
];

describe("rolling figures up the tree", () => {
  it("sums counts and rates into every ancestor, and keeps the largest for a maximum", () => {
    const own = new Map([
      ["a1", { value: 2, total: 10 }],
      ["a", { value: 1, total: 5 }],
      ["b", { value: 4, total: 4 }],
    ]);
    const sums = rollUp("rate", tree, own);
    expect(sums.get("a1")).toEqual({ value: 2, total: 10 });
    expect(sums.get("a")).toEqual({ value: 3, total: 15 });
    expect(sums.get("hq")).toEqual({ value: 7, total: 19 });
    expect(sums.get("b")).toEqual({ value: 4, total: 4 });
    const max = rollUp("max", tree, own);
    expect(max.get("hq")).toEqual({ value: 4, total: 19 });
    expect(max.get("a")).toEqual({ value: 2, total: 15 });
  });

  it("ignores rows of departments outside the given tree (another scope's)", () => {
    const sums = rollUp("count", tree.slice(1, 3), new Map([["b", { value: 9, total: 0 }], ["a1", { value: 1, total: 0 }]]));
    expect(sums.get("a")).toEqual({ value: 1, total: 0 });
    expect(sums.has("hq")).toBe(false);
  });
});

describe("rolled-up figures kept per shared count", () => {
  const figures = [
    { key: "f.rate", kind: "rate" as const },
    { key: "f.max", kind: "max" as const },
  ];
  const own = () =>
    new Map([
      ["f.rate", new Map([["a1", { value: 2, total: 10 }], ["b", { value: 4, total: 4 }]])],
      ["f.max", new Map([["a1", { value: 7, total: 1 }], ["b", { value: 3, total: 1 }]])],
    ]);
  const fresh = (departments: DepartmentNode[], cells: ReturnType<typeof own>) => new Map(figures.map((f) => [f.key, rollUp(f.kind, departments, cells.get(f.key)!)]));

  it("gives what rolling up gives, reuses it for the same count and tree, and rolls up again for another tree or count", () => {
    const cells = own();
    const first = rollUpFigures(figures, tree, cells, true);
    expect(first).toEqual(fresh(tree, cells));
    // The same count and an equal tree (another read of the same departments): the kept result.
    expect(rollUpFigures(figures, tree.map((d) => ({ ...d })), cells, true)).toBe(first);
    // A1 moved under B: another tree, rolled up again, and A no longer holds A1's rows.
    const moved = tree.map((d) => (d.id === "a1" ? { ...d, parentId: "b", path: "/hq/b/a1/" } : d));
    const afterMove = rollUpFigures(figures, moved, cells, true);
    expect(afterMove).not.toBe(first);
    expect(afterMove).toEqual(fresh(moved, cells));
    expect(afterMove.get("f.rate")!.get("a")).toEqual({ value: 0, total: 0 });
    expect(afterMove.get("f.rate")!.get("b")).toEqual({ value: 6, total: 14 });
    // A department of the scope fewer (a manager's subtree): another key too.
    expect(rollUpFigures(figures, tree.slice(1), cells, true)).toEqual(fresh(tree.slice(1), cells));
    // A new count is a new object: nothing kept under the old one applies to it.
    const recount = own();
    recount.get("f.rate")!.set("a", { value: 5, total: 5 });
    expect(rollUpFigures(figures, tree, recount, true).get("f.rate")!.get("hq")).toEqual({ value: 11, total: 19 });
    // Without keep (a scope's own count) nothing is kept.
    expect(rollUpFigures(figures, tree, cells, false)).not.toBe(rollUpFigures(figures, tree, cells, false));
  });
});

describe("states, targets and the score", () => {
  const rate = { kind: "rate" as const, better: "lower" as const };
  it("reads a rate as a percentage against its thresholds, inclusive", () => {
    expect(displayValue(rate, { value: 1, total: 8 })).toBe(12.5);
    expect(displayValue(rate, { value: 0, total: 0 })).toBeNull();
    expect(stateOf(rate, { value: 1, total: 20 }, { green: 5, amber: 15 })).toBe("green");
    expect(stateOf(rate, { value: 3, total: 20 }, { green: 5, amber: 15 })).toBe("amber");
    expect(stateOf(rate, { value: 4, total: 20 }, { green: 5, amber: 15 })).toBe("red");
    expect(stateOf(rate, { value: 0, total: 0 }, { green: 5, amber: 15 })).toBe("none");
    const higher = { kind: "rate" as const, better: "higher" as const };
    expect(stateOf(higher, { value: 19, total: 20 }, { green: 95, amber: 80 })).toBe("green");
    expect(stateOf(higher, { value: 17, total: 20 }, { green: 95, amber: 80 })).toBe("amber");
    expect(stateOf(higher, { value: 10, total: 20 }, { green: 95, amber: 80 })).toBe("red");
    expect(targetInOrder(rate, { green: 5, amber: 15 })).toBe(true);
    expect(targetInOrder(rate, { green: 15, amber: 5 })).toBe(false);
    expect(targetInOrder(higher, { green: 95, amber: 80 })).toBe(true);
  });

  it("scores the weighted mean of state points, leaving out weightless and empty figures", () => {
    expect(complianceScore([{ weight: 1, state: "green" }, { weight: 1, state: "red" }])).toBe(50);
    expect(complianceScore([{ weight: 2, state: "green" }, { weight: 1, state: "amber" }, { weight: 0, state: "red" }, { weight: 1, state: "none" }])).toBe(83.3);
    expect(complianceScore([{ weight: 1, state: "none" }])).toBeNull();
  });
});

describe("weeks in China time", () => {
  it("starts a week on Monday, China time, across the date line of UTC", () => {
    expect(weekStartOf(new Date("2026-11-25T06:00:00Z"))).toBe("2026-11-23");
    // Sunday 23:30 UTC is already Monday in China.
    expect(weekStartOf(new Date("2026-11-29T16:30:00Z"))).toBe("2026-11-30");
    expect(weekStartOf(new Date("2026-11-29T15:59:00Z"))).toBe("2026-11-23");
    const weeks = lastWeeks(new Date("2026-01-07T00:00:00Z"), 3);
    expect(weeks).toEqual(["2025-12-22", "2025-12-29", "2026-01-05"]);
  });
});
