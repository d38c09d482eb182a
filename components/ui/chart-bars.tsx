import { barGeometry, clipLabel, TONE_COLOURS, type Tone } from "@/lib/charts/geometry";

// Horizontal grouped bars drawn on the server as SVG (geometry from lib/charts/geometry.ts):
// one row per item with its label on the left, one bar per series with its value at the end, the
// targets as dashed vertical lines, and a legend. Responsive (viewBox, full width; rows never
// overlap as the height grows with them) and accessible (one image named by its summary, plus a
// visually hidden table with every number).

export type BarSeries = { key: string; name: string; tone: Tone };
export type BarRow = { key: string; label: string; values: readonly (number | null)[] };
export type BarTarget = { key: string; label: string; value: number; tone: Tone };

export function BarChart({
  title,
  summary,
  rowHeader,
  series,
  rows,
  targets = [],
  max,
  format,
  width = 360,
  testId,
}: {
  title: string;
  summary: string;
  /** The heading of the hidden table's first column. */
  rowHeader: string;
  series: readonly BarSeries[];
  rows: readonly BarRow[];
  targets?: readonly BarTarget[];
  max: number;
  format: (value: number) => string;
  width?: number;
  testId?: string;
}) {
  const labelChars = 14;
  const g = barGeometry({
    rows: rows.map((r) => ({ key: r.key, values: r.values })),
    series: series.length,
    targets: targets.map((t) => ({ key: t.key, value: t.value })),
    width,
    margin: { top: 8, right: 44, bottom: 20, left: labelChars * 6 + 8 },
    max,
  });
  return (
    <figure className="w-full" data-testid={testId}>
      <ul className="mb-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-700" aria-hidden="true">
        {series.map((s) => (
          <li key={s.key} className="inline-flex items-center gap-1">
            <svg width="10" height="10" viewBox="0 0 10 10"><rect width="10" height="10" rx="2" fill={TONE_COLOURS[s.tone]} /></svg>
            {s.name}
          </li>
        ))}
        {targets.map((t) => (
          <li key={t.key} className="inline-flex items-center gap-1">
            <svg width="10" height="12" viewBox="0 0 10 12"><line x1="5" x2="5" y1="0" y2="12" stroke={TONE_COLOURS[t.tone]} strokeWidth="1.5" strokeDasharray="3 2" /></svg>
            {t.label}
          </li>
        ))}
      </ul>
      <svg role="img" aria-label={summary} viewBox={`0 0 ${g.width} ${g.height}`} className="h-auto w-full" data-chart="bars">
        <title>{summary}</title>
        {g.xTicks.map((t) => (
          <g key={t.value}>
            <line x1={t.x} x2={t.x} y1={g.plot.top} y2={g.plot.bottom} stroke="#e2e8f0" strokeWidth={1} />
            <text x={t.x} y={g.plot.bottom + 13} textAnchor="middle" fontSize={10} fill="#475569">{format(t.value)}</text>
          </g>
        ))}
        {g.rows.map((r, k) => (
          <g key={r.key}>
            <text x={g.plot.left - 6} y={r.y + r.band / 2} dy="0.32em" textAnchor="end" fontSize={11} fill="#1e293b">{clipLabel(rows[k].label, labelChars)}</text>
            {r.bars.map((b) => (
              <g key={b.series}>
                <rect x={g.plot.left} y={b.y} width={Math.max(b.width, b.value === null ? 0 : 1)} height={b.height} rx={2} fill={TONE_COLOURS[series[b.series].tone]} />
                <text x={g.plot.left + b.width + 3} y={b.y + b.height / 2} dy="0.32em" fontSize={10} fill="#334155">{b.value === null ? "—" : format(b.value)}</text>
              </g>
            ))}
          </g>
        ))}
        <line x1={g.plot.left} x2={g.plot.left} y1={g.plot.top} y2={g.plot.bottom} stroke="#94a3b8" strokeWidth={1} />
        {g.targets.map((t) => {
          const target = targets.find((x) => x.key === t.key)!;
          return <line key={t.key} x1={t.x} x2={t.x} y1={g.plot.top - 4} y2={g.plot.bottom} stroke={TONE_COLOURS[target.tone]} strokeWidth={1.5} strokeDasharray="4 3" />;
        })}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{rowHeader}</th>
            {series.map((s) => <th key={s.key} scope="col">{s.name}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              {series.map((s, i) => <td key={s.key}>{r.values[i] === null || r.values[i] === undefined ? "—" : format(r.values[i]!)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
