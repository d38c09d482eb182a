import { describe, expect, it } from "vitest";
import { barGeometry, clipLabel, lineGeometry } from "./geometry";

const margin = { top: 10, right: 10, bottom: 20, left: 30 };

describe("lineGeometry", () => {
  it("spreads the periods over the plot, oldest left, and puts 0 at the bottom", () => {
    const g = lineGeometry({ count: 12, series: [{ key: "v", values: Array.from({ length: 12 }, (_, i) => i) }], width: 320, height: 150, margin });
    expect(g.x[0]).toBe(30);
    expect(g.x[11]).toBe(310);
    expect(g.x[1] - g.x[0]).toBeCloseTo(280 / 11, 6);
    const zero = g.yTicks.find((t) => t.value === 0)!;
    expect(zero.y).toBe(130);
    // Every y tick is inside the plot, largest at the top.
    for (const t of g.yTicks) expect(t.y).toBeGreaterThanOrEqual(10);
    expect(g.series[0].last).toEqual({ x: 310, y: expect.any(Number), value: 11 });
  });

  it("keeps the target on the chart even when every value is far below it", () => {
    const g = lineGeometry({ count: 3, series: [{ key: "v", values: [1, 2, 1] }], targets: [{ key: "t", value: 50 }], width: 200, height: 100, margin });
    expect(g.targets[0].y).toBeGreaterThanOrEqual(10);
    expect(g.targets[0].y).toBeLessThan(80);
    expect(Math.max(...g.yTicks.map((t) => t.value))).toBeGreaterThanOrEqual(50);
  });

  it("pins the top when asked (a percentage) and clamps a value above it", () => {
    const g = lineGeometry({ count: 2, series: [{ key: "v", values: [50, 120] }], width: 200, height: 100, margin, yMax: 100 });
    expect(g.yTicks.at(-1)).toEqual({ value: 100, y: 10 });
    expect(g.series[0].points[0].y).toBe(45);
    expect(g.series[0].points[1].y).toBe(10);
  });

  it("leaves a gap for a period without a value (two sub-paths) and no last point when the current is unknown", () => {
    const g = lineGeometry({ count: 5, series: [{ key: "v", values: [1, 2, null, 3, null] }], width: 200, height: 100, margin });
    const moves = g.series[0].line.match(/M/g) ?? [];
    expect(moves).toHaveLength(2);
    expect(g.series[0].points.map((p) => p.i)).toEqual([0, 1, 3]);
    expect(g.series[0].last).toBeNull();
  });

  it("fills under each run of the line straight down to the baseline, a lonely point as d3 draws it", () => {
    const g = lineGeometry({ count: 6, series: [{ key: "v", values: [1, 2, null, 3, 4, 2] }], width: 200, height: 100, margin });
    const [first, second] = g.series[0].line.split(/(?=M)/);
    const bottom = g.plot.bottom;
    expect(g.series[0].area).toBe(`${first}L${g.x[1]},${bottom}L${g.x[0]},${bottom}Z${second}L${g.x[5]},${bottom}L${g.x[3]},${bottom}Z`);
    const lonely = lineGeometry({ count: 3, series: [{ key: "v", values: [1, null, 3] }], width: 200, height: 100, margin });
    expect(lonely.series[0].area.match(/M/g)).toHaveLength(2);
    expect(lonely.series[0].area).toContain(`${lonely.x[0]},${bottom}`);
  });

  it("draws one lonely point in the middle", () => {
    const g = lineGeometry({ count: 1, series: [{ key: "v", values: [4] }], width: 200, height: 100, margin });
    expect(g.x[0]).toBe(30 + 160 / 2);
    expect(g.series[0].last?.value).toBe(4);
  });

  it("labels at most the asked number of x ticks, always the current period", () => {
    const g = lineGeometry({ count: 12, series: [], width: 320, height: 150, margin, maxXTicks: 4 });
    expect(g.xTicks.length).toBeLessThanOrEqual(4);
    expect(g.xTicks.at(-1)).toBe(11);
  });
});

describe("barGeometry", () => {
  it("gives each row its band and each series a bar proportional to its value", () => {
    const g = barGeometry({
      rows: [
        { key: "a", values: [100, 50] },
        { key: "b", values: [25, null] },
      ],
      series: 2,
      targets: [{ key: "t", value: 90 }],
      width: 300,
      margin: { top: 8, right: 20, bottom: 20, left: 80 },
      max: 100,
    });
    expect(g.rows[0].bars[0].width).toBe(200);
    expect(g.rows[0].bars[1].width).toBe(100);
    expect(g.rows[1].bars[0].width).toBe(50);
    expect(g.rows[1].bars[1].width).toBe(0);
    expect(g.rows[0].y + g.rows[0].band).toBeLessThan(g.rows[1].y);
    expect(g.rows[0].bars[0].y + g.rows[0].bars[0].height).toBeLessThanOrEqual(g.rows[0].bars[1].y);
    expect(g.targets[0].x).toBe(80 + 180);
    expect(g.height).toBe(8 + 20 + 2 * (14 * 2 + 12));
  });
});

describe("clipLabel", () => {
  it("counts a Chinese character as two and ends a clipped label with an ellipsis", () => {
    expect(clipLabel("华东销售部", 10)).toBe("华东销售部");
    expect(clipLabel("华东销售部上海一组", 10)).toBe("华东销售部…");
    expect(clipLabel("Customer service", 8)).toBe("Customer…");
  });
});
