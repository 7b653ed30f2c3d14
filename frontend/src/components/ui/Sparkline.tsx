// Response times as an SVG polyline: no chart library on the dashboard. Checks that found the
// service down are marked under the line, since a down check has no response time.

export interface SparkPoint {
  value: number | null;
  down?: boolean;
}

export function sparklinePoints(values: (number | null)[], width: number, height: number, pad = 2): string {
  const present = values.filter((v): v is number => v != null && Number.isFinite(v));
  if (present.length === 0) return "";
  const max = Math.max(...present);
  const min = Math.min(...present);
  const span = max - min || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const out: string[] = [];
  values.forEach((v, i) => {
    if (v == null || !Number.isFinite(v)) return;
    const x = values.length > 1 ? i * step : width / 2;
    const y = height - pad - ((v - min) / span) * (height - 2 * pad);
    out.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  return out.join(" ");
}

export function Sparkline({
  points,
  label,
  width = 120,
  height = 32,
}: {
  points: SparkPoint[];
  label: string;
  width?: number;
  height?: number;
}) {
  // Keep the last points only: a day of one-minute checks is more than a tile can show.
  const shown = points.slice(-120);
  const line = sparklinePoints(
    shown.map((p) => p.value),
    width,
    height,
  );
  const step = shown.length > 1 ? width / (shown.length - 1) : 0;
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
    >
      {line && <polyline className="sparkline__line" points={line} fill="none" vectorEffect="non-scaling-stroke" />}
      {shown.map((p, i) =>
        p.down ? (
          <rect key={i} className="sparkline__down" x={Math.max(0, i * step - 1)} y={height - 3} width={2} height={3} />
        ) : null,
      )}
    </svg>
  );
}
