// Placeholders shaped like what they replace, so the page doesn't jump when data arrives.

export function Skeleton({ className = "", label }: { className?: string; label?: string }) {
  return <span className={`skeleton ${className}`} aria-hidden={label ? undefined : true} aria-label={label} />;
}

export function SkeletonText({ lines = 1 }: { lines?: number }) {
  return (
    <span className="skeleton-text" aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="skeleton skeleton--line" />
      ))}
    </span>
  );
}
