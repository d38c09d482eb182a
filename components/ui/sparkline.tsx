// A small trend line as SVG (no chart library): one point per period, gaps where a period has no
// value. Decorative for sight; the accessible name carries the numbers.

export function Sparkline({ values, label, width = 120, height = 32, tone = "slate" }: { values: readonly (number | null)[]; label: string; width?: number; height?: number; tone?: "slate" | "green" | "amber" | "red" }) {
  const stroke = { slate: "#475569", green: "#15803d", amber: "#b45309", red: "#b91c1c" }[tone];
  const known = values.filter((v): v is number => v !== null);
  const max = Math.max(...known, 0);
  const min = Math.min(...known, 0);
  const span = max - min || 1;
  const step = values.length > 1 ? (width - 4) / (values.length - 1) : 0;
  const segments: string[][] = [[]];
  values.forEach((v, i) => {
    if (v === null) {
      if (segments[segments.length - 1].length) segments.push([]);
      return;
    }
    const x = 2 + i * step;
    const y = height - 2 - ((v - min) / span) * (height - 4);
    segments[segments.length - 1].push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  const last = values.length - 1;
  const lastValue = values[last];
  return (
    <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="overflow-visible">
      {segments.filter((s) => s.length > 1).map((s, i) => <polyline key={i} points={s.join(" ")} fill="none" stroke={stroke} strokeWidth={1.5} />)}
      {segments.filter((s) => s.length === 1).map((s, i) => {
        const [x, y] = s[0].split(",");
        return <circle key={`p${i}`} cx={x} cy={y} r={1.5} fill={stroke} />;
      })}
      {lastValue !== null && lastValue !== undefined ? <circle cx={2 + last * step} cy={height - 2 - ((lastValue - min) / span) * (height - 4)} r={2.5} fill={stroke} /> : null}
    </svg>
  );
}
