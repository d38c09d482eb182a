import { lineGeometry, TONE_COLOURS, type Tone } from "@/lib/charts/geometry";

// A trend drawn on the server as SVG (geometry from lib/charts/geometry.ts, d3-scale/d3-shape):
// y axis with ticks, x axis with a few period labels, the target lines, each series as a line
// (the first also as a light area), the current value labelled at the last point. Responsive
// (viewBox, full width) and accessible: the SVG is one image named by its summary, and a visually
// hidden table holds every number for screen readers.

/** A coordinate to a tenth of a chart unit (far below a pixel). */
const r = (n: number) => Math.round(n * 10) / 10;

export type TrendSeries = { key: string; name: string; tone: Tone; values: readonly (number | null)[] };
export type TrendTarget = { key: string; label: string; value: number; tone: Tone };

export function TrendChart({
  title,
  summary,
  periodLabel,
  labels,
  series,
  targets = [],
  format,
  yMax,
  width = 320,
  height = 150,
  legend = series.length > 1 || targets.length > 0,
  testId,
}: {
  title: string;
  /** One sentence naming the figure, its current value, its target and its state. */
  summary: string;
  /** The heading of the hidden table's first column ("周" / "Week"). */
  periodLabel: string;
  /** The x axis labels (already formatted), one per period. */
  labels: readonly string[];
  series: readonly TrendSeries[];
  targets?: readonly TrendTarget[];
  format: (value: number) => string;
  yMax?: number;
  width?: number;
  height?: number;
  legend?: boolean;
  testId?: string;
}) {
  const tickWidth = Math.max(...labels.map((l) => l.length), 4) * 6 + 8;
  const g = lineGeometry({
    count: labels.length,
    series: series.map((s) => ({ key: s.key, values: s.values })),
    targets: targets.map((t) => ({ key: t.key, value: t.value })),
    width,
    height,
    margin: { top: 16, right: 12, bottom: 22, left: Math.max(30, format(yMax ?? 100).length * 6 + 8) },
    yMax,
    maxXTicks: Math.max(2, Math.floor((width - 40) / tickWidth)),
  });
  const colourOf = (key: string) => TONE_COLOURS[series.find((s) => s.key === key)?.tone ?? "slate"];
  return (
    <figure className="w-full" data-testid={testId}>
      {legend ? (
        <ul className="mb-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-700" aria-hidden="true">
          {series.map((s) => (
            <li key={s.key} className="inline-flex items-center gap-1">
              <svg width="14" height="8" viewBox="0 0 14 8"><line x1="0" x2="14" y1="4" y2="4" stroke={TONE_COLOURS[s.tone]} strokeWidth="2.5" /></svg>
              {s.name}
            </li>
          ))}
          {targets.map((t) => (
            <li key={t.key} className="inline-flex items-center gap-1">
              <svg width="14" height="8" viewBox="0 0 14 8"><line x1="0" x2="14" y1="4" y2="4" stroke={TONE_COLOURS[t.tone]} strokeWidth="1.5" strokeDasharray="3 2" /></svg>
              {t.label}
            </li>
          ))}
        </ul>
      ) : null}
      <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${height}`} className="h-auto w-full" preserveAspectRatio="xMidYMid meet" data-chart="trend" data-points={series[0]?.values.filter((v) => v !== null).length ?? 0}>
        <title>{summary}</title>
        {/* Attributes every child shares sit once on its group (SVG inherits them), and
            coordinates are rounded to a tenth of a unit: the dashboard draws twenty of these,
            and each element and digit is rendered, serialised into the page and its RSC payload. */}
        <g stroke="#e2e8f0" strokeWidth={1}>
          {g.yTicks.map((t) => (
            <line key={t.value} x1={g.plot.left} x2={g.plot.right} y1={r(t.y)} y2={r(t.y)} />
          ))}
        </g>
        <g fontSize={10} fill="#475569">
          <g textAnchor="end">
            {g.yTicks.map((t) => (
              <text key={t.value} x={g.plot.left - 4} y={r(t.y)} dy="0.32em">{format(t.value)}</text>
            ))}
          </g>
          <g textAnchor="middle">
            {g.xTicks.map((i) => (
              <text key={i} x={r(g.x[i])} y={g.plot.bottom + 14} textAnchor={i === labels.length - 1 ? "end" : i === 0 ? "start" : undefined}>{labels[i]}</text>
            ))}
          </g>
        </g>
        <line x1={g.plot.left} x2={g.plot.right} y1={g.plot.bottom} y2={g.plot.bottom} stroke="#94a3b8" strokeWidth={1} />
        {g.targets.map((t) => {
          const target = targets.find((x) => x.key === t.key)!;
          return (
            <g key={t.key}>
              <line x1={g.plot.left} x2={g.plot.right} y1={r(t.y)} y2={r(t.y)} stroke={TONE_COLOURS[target.tone]} strokeWidth={1.25} strokeDasharray="4 3" />
              {!legend ? <text x={g.plot.left + 3} y={r(t.y - 3)} fontSize={10} fill={TONE_COLOURS[target.tone]}>{target.label}</text> : null}
            </g>
          );
        })}
        {g.series.map((s, k) => (
          <g key={s.key}>
            {k === 0 && series.length === 1 ? <path d={s.area} fill={colourOf(s.key)} fillOpacity={0.08} /> : null}
            <path d={s.line} fill="none" stroke={colourOf(s.key)} strokeWidth={2} strokeLinejoin="round" strokeLinecap="round" />
            <g stroke={colourOf(s.key)} strokeWidth={1.25} fill="#fff">
              {s.points.map((p) => (
                <circle key={p.i} cx={r(p.x)} cy={r(p.y)} r={p.i === labels.length - 1 ? 3.5 : 1.75} fill={p.i === labels.length - 1 ? colourOf(s.key) : undefined} />
              ))}
            </g>
            {s.last ? (
              <text x={r(s.last.x - 6)} y={r(s.last.y - 7 - k * 12)} textAnchor="end" fontSize={11} fontWeight={600} fill={colourOf(s.key)} stroke="#fff" strokeWidth={3} paintOrder="stroke">{format(s.last.value)}</text>
            ) : null}
          </g>
        ))}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{periodLabel}</th>
            {series.map((s) => <th key={s.key} scope="col">{s.name}</th>)}
          </tr>
        </thead>
        <tbody>
          {labels.map((label, i) => (
            <tr key={i}>
              <th scope="row">{label}</th>
              {series.map((s) => <td key={s.key}>{s.values[i] === null || s.values[i] === undefined ? "—" : format(s.values[i]!)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
