import { describe, expect, it } from "vitest";
import { attrs, el, escapeText, leaf, MarkupMemo } from "./markup";
import { drawTrend } from "./trend-draw";
import { trendChartMarkup, trendChartSpec } from "./trend-markup";

// Charts are written as markup and emitted as one node (components/ui/chart-trend.tsx), so the
// escaping here is all that stands between a label and the page.

describe("markup", () => {
  it("escapes text and attribute values: nothing in them opens a tag or closes an attribute", () => {
    expect(escapeText(`<script>a & 'b' "c"</script>`)).toBe("&lt;script&gt;a &amp; &#39;b&#39; &quot;c&quot;&lt;/script&gt;");
    expect(attrs({ "aria-label": `x' onload='alert(1)`, hidden: false, fill: undefined, r: 1.75, title: null })).toBe(" aria-label='x&#39; onload=&#39;alert(1)' r='1.75'");
    expect(el("text", { x: 1 }, escapeText("<b>"))).toBe("<text x='1'>&lt;b&gt;</text>");
    expect(leaf("circle", { cx: 2 })).toBe("<circle cx='2'/>");
  });

  it("keeps at most its bound, the oldest leaving first, and builds a key once", () => {
    const memo = new MarkupMemo(2);
    let builds = 0;
    const build = (v: string) => () => (builds++, v);
    expect(memo.get("a", build("A"))).toBe("A");
    expect(memo.get("a", build("other"))).toBe("A");
    memo.get("b", build("B"));
    memo.get("c", build("C"));
    expect(memo.size).toBe(2);
    expect(builds).toBe(3);
    expect(memo.get("a", build("A2"))).toBe("A2");
  });
});

describe("trend chart markup", () => {
  const labels = Array.from({ length: 12 }, (_, i) => `11-${String(i + 1).padStart(2, "0")}`);
  const values = [8, 7.5, null, 7, 6.8, 6.5, 6.4, 6.4, 6.3, 6.3, 6.2, 6.1];
  const chart = trendChartMarkup(
    {
      title: `超时审批占比 <img src=x onerror=alert(1)>`,
      summary: `超时审批占比近 12 周趋势：从 8.0% 到当前 6.1%；"目标" ≤ 5%`,
      periodLabel: "周",
      labels,
      series: [{ key: "value", name: "超时审批占比", tone: "amber", values }],
      targets: [{ key: "target", label: "目标 ≤ 5.0%", value: 5, tone: "green" }],
      legend: false,
    },
    (v) => `${v.toFixed(1)}%`,
  );

  it("is one image named by its summary, with a point per known week and the target drawn", () => {
    expect(chart).toMatch(/^<svg role='img' aria-label='超时审批占比近 12 周趋势：从 8.0% 到当前 6.1%；&quot;目标&quot; ≤ 5%' viewBox='0 0 320 150'/);
    expect(chart).toContain("<title>超时审批占比近 12 周趋势：从 8.0% 到当前 6.1%；&quot;目标&quot; ≤ 5%</title>");
    expect(chart).toContain("data-points='11'");
    expect(chart.match(/<circle /g)).toHaveLength(11);
    expect(chart).toContain(">目标 ≤ 5.0%</text>");
    expect(chart).toContain("stroke-dasharray='4 3'");
    expect(chart).not.toContain("<img");
  });

  it("gives screen readers every week's number in a hidden table, a gap as a dash", () => {
    const table = chart.slice(chart.indexOf("<table"));
    expect(table).toMatch(/^<table class='sr-only'><caption>超时审批占比 &lt;img src=x onerror=alert\(1\)&gt;<\/caption><thead><tr><th scope='col'>周<\/th><th scope='col'>超时审批占比<\/th><\/tr><\/thead>/);
    expect(table.match(/<tr><th scope='row'>/g)).toHaveLength(12);
    expect(table).toContain("<tr><th scope='row'>11-01</th><td>8.0%</td></tr>");
    expect(table).toContain("<tr><th scope='row'>11-03</th><td>—</td></tr>");
    expect(table).toContain("<tr><th scope='row'>11-12</th><td>6.1%</td></tr>");
  });
});

describe("trend chart drawing", () => {
  // The page sends a chart's drawing as JSON and the browser writes the markup from it
  // (components/ui/chart-trend-figure.tsx): it must give what the server writes, byte for byte.
  const format = (v: number) => `${v.toFixed(1)}%`;
  const charts = [
    { title: "t", summary: "s", periodLabel: "周", labels: ["a", "b", "c", "d"], series: [{ key: "v", name: "v", tone: "red" as const, values: [1, null, 3, 2] }], targets: [{ key: "t", label: "目标 <5>", value: 2, tone: "green" as const }], legend: false },
    { title: "two", summary: "two", periodLabel: "Week", labels: ["w1", "w2", "w3"], series: [{ key: "a", name: "A & B", tone: "blue" as const, values: [50, 60, 70] }, { key: "b", name: "'B'", tone: "teal" as const, values: [null, 80, 90] }], targets: [{ key: "x", label: "≥ 90%", value: 90, tone: "green" as const }], yMax: 100, width: 360, height: 170 },
    { title: "one", summary: "one", periodLabel: "周", labels: ["only"], series: [{ key: "v", name: "v", tone: "slate" as const, values: [5] }] },
    { title: "gap", summary: "gap", periodLabel: "周", labels: ["1", "2", "3", "4", "5"], series: [{ key: "v", name: "v", tone: "amber" as const, values: [1, 2, null, null, 4] }], legend: false },
  ];

  it("gives back the server's markup from its JSON, gaps, two series and a single point included", () => {
    for (const data of charts) {
      const json = JSON.stringify(trendChartSpec(data, format));
      expect(drawTrend(JSON.parse(json))).toBe(trendChartMarkup(data, format));
    }
  });

  it("is a fraction of the markup it stands for", () => {
    const json = JSON.stringify(trendChartSpec(charts[1], format));
    expect(json.length).toBeLessThan(trendChartMarkup(charts[1], format).length / 2);
    // An area that is the line closed down to the baseline is not sent (the browser closes it);
    // one that d3 draws otherwise (a run of a single point) is.
    expect(trendChartSpec(charts[1], format).series[0].area).toBeNull();
    expect(trendChartSpec(charts[0], format).series[0].area).toMatch(/^M/);
  });
});
