export interface ProgressBarProps {
  /** 0..100, or null while the size is unknown (shows an indeterminate bar). */
  value: number | null;
  label: string;
  tone?: "info" | "success" | "danger";
}

export function ProgressBar({ value, label, tone = "info" }: ProgressBarProps) {
  const clamped = value == null || !Number.isFinite(value) ? null : Math.min(100, Math.max(0, value));
  return (
    <div
      className={`progress progress--${tone}${clamped === null ? " progress--indeterminate" : ""}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped ?? undefined}
      aria-valuetext={clamped === null ? "Working…" : `${Math.round(clamped)}%`}
    >
      {/* Set through the style object (CSSOM), which the CSP allows, unlike style attributes in markup. */}
      <span className="progress__bar" style={clamped === null ? undefined : { transform: `scaleX(${clamped / 100})` }} />
    </div>
  );
}
