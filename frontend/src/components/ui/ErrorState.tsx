import { RefreshCw, TriangleAlert } from "lucide-react";
import { ApiError } from "../../lib/api";
import { Button } from "./Button";

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return "Something went wrong.";
}

/** Says what failed and what to do; the message is server data, rendered as text only. */
export function ErrorState({
  title = "Couldn't load this",
  error,
  onRetry,
  compact = false,
}: {
  title?: string;
  error: unknown;
  onRetry?: () => void;
  compact?: boolean;
}) {
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <div className={`state state--error${compact ? " state--compact" : ""}`} role="alert">
      <TriangleAlert className="state__icon" aria-hidden="true" size={compact ? 18 : 28} />
      <p className="state__title">{title}</p>
      <p className="state__body">{errorText(error)}</p>
      {requestId && <p className="state__meta">Reference: {requestId}</p>}
      {onRetry && (
        <Button size="sm" onClick={onRetry} icon={<RefreshCw size={14} aria-hidden="true" />}>
          Try again
        </Button>
      )}
    </div>
  );
}
