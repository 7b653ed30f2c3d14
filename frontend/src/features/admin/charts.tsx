// Small hand-drawn SVG charts for the insights tab: no chart library, nothing injected at run time
// (CSP), and each chart has a table of the same numbers for screen readers and exact values.

import { useId } from "react";

export interface Series {
  name: string;
  values: (number | null)[];
}

// Drawn near the size it is shown at (about 330 to 600 px wide), so the axis text stays legible.
const W = 480;
const H = 180;
const PAD = { top: 10, right: 10, bottom: 24, left: 60 };

const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

export function dayLabel(day: string): string {
  const t = Date.parse(day);
  return Number.isNaN(t) ? day : dayFormat.format(t);
}

/** A "nice" top for the y axis (1, 2 or 5 times a power of ten), so gridlines fall on round numbers. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

export function linePath(values: (number | null)[], max: number): string {
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = values.length > 1 ? innerW / (values.length - 1) : 0;
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v == null || !Number.isFinite(v)) {
      pen = false; // a gap in the data is a gap in the line
      return;
    }
    const x = PAD.left + (values.length > 1 ? i * step : innerW / 2);
    const y = PAD.top + innerH - (Math.max(0, v) / max) * innerH;
    d += `${pen ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  });
  return d;
}

export function LineChart({
  label,
  days,
  series,
  format = (v) => String(v),
  max: fixedMax,
}: {
  label: string;
  days: string[];
  series: Series[];
  format?: (v: number) => string;
  max?: number;
}) {
  const titleId = useId();
  const all = series.flatMap((s) => s.values).filter((v): v is number => v != null && Number.isFinite(v));
  const max = fixedMax ?? niceMax(Math.max(0, ...all));
  const innerH = H - PAD.top - PAD.bottom;
  const gridValues = [0, max / 2, max];
  const first = days[0];
  const last = days[days.length - 1];

  return (
    <figure className="chart">
      <figcaption id={titleId} className="chart__title">
        {label}
      </figcaption>
      {series.length > 1 && (
        <ul className="chart__legend">
          {series.map((s, i) => (
            <li key={s.name}>
              <span className={`chart__swatch chart__series--${i % 6}`} aria-hidden="true" />
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <svg className="chart__svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId}>
        {gridValues.map((g) => {
          const y = PAD.top + innerH - (g / max) * innerH;
          return (
            <g key={g}>
              <line className="chart__grid" x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} />
              <text className="chart__axis" x={PAD.left - 6} y={y + 4} textAnchor="end">
                {format(g)}
              </text>
            </g>
          );
        })}
        {first && (
          <text className="chart__axis" x={PAD.left} y={H - 6} textAnchor="start">
            {dayLabel(first)}
          </text>
        )}
        {last && last !== first && (
          <text className="chart__axis" x={W - PAD.right} y={H - 6} textAnchor="end">
            {dayLabel(last)}
          </text>
        )}
        {series.map((s, i) => (
          <path key={s.name} className={`chart__line chart__series--${i % 6}`} d={linePath(s.values, max)} fill="none" />
        ))}
      </svg>
      <details className="chart__table">
        <summary>Show the numbers</summary>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {series.map((s) => (
                  <th key={s.name} scope="col">
                    {s.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((day, i) => (
                <tr key={day}>
                  <th scope="row">{dayLabel(day)}</th>
                  {series.map((s) => {
                    const v = s.values[i];
                    return <td key={s.name}>{v == null ? "—" : format(v)}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** Horizontal bars, one per row, as HTML (labels wrap on phones); widths set through the CSSOM. */
export function BarList({
  label,
  rows,
  format = (v) => String(v),
}: {
  label: string;
  rows: { key: string; name: string; value: number; note?: string }[];
  format?: (v: number) => string;
}) {
  const max = Math.max(0, ...rows.map((r) => r.value)) || 1;
  return (
    <figure className="chart">
      <figcaption className="chart__title">{label}</figcaption>
      <ul className="bars">
        {rows.map((r) => (
          <li key={r.key} className="bars__row">
            <span className="bars__name">{r.name}</span>
            <span className="bars__track" aria-hidden="true">
              <span className="bars__fill" style={{ transform: `scaleX(${r.value / max})` }} />
            </span>
            <span className="bars__value">
              {format(r.value)}
              {r.note ? ` · ${r.note}` : ""}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
