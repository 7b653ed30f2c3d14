// The request quota, shown only when the API sends one. The contract names no field, so this reads
// a `quota` object in Overseerr's own shape ({movie: {limit, used, remaining, days}, tv: {...}}) or
// a single {limit, used, remaining}; anything else shows nothing.

export interface QuotaLine {
  kind: "movie" | "tv" | "any";
  limit: number;
  remaining: number;
  days: number | null;
  resetsAt: string | null;
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function line(kind: QuotaLine["kind"], raw: unknown): QuotaLine | null {
  if (!raw || typeof raw !== "object") return null;
  const o = raw as Record<string, unknown>;
  const limit = num(o.limit);
  // No limit (or 0, Overseerr's "unlimited"): nothing to warn about.
  if (!limit || limit <= 0) return null;
  const used = num(o.used);
  const remaining = num(o.remaining) ?? (used != null ? Math.max(0, limit - used) : null);
  if (remaining == null) return null;
  const resets = o.resets_at ?? o.reset_at;
  return { kind, limit, remaining, days: num(o.days), resetsAt: typeof resets === "string" ? resets : null };
}

export function readQuota(raw: unknown): QuotaLine[] {
  if (!raw || typeof raw !== "object") return [];
  const o = raw as Record<string, unknown>;
  if ("movie" in o || "tv" in o) {
    return [line("movie", o.movie), line("tv", o.tv)].filter((l): l is QuotaLine => l !== null);
  }
  const single = line("any", o);
  return single ? [single] : [];
}

const NOUN = { movie: "film", tv: "season", any: "" } as const;

export function quotaText(q: QuotaLine): string {
  const noun = NOUN[q.kind];
  const what = noun ? `${noun} requests` : "requests";
  const period = q.days ? ` (every ${q.days === 1 ? "day" : `${q.days} days`})` : "";
  return `${q.remaining} of ${q.limit} ${what} left${period}`;
}
