import { infiniteQueryOptions } from "@tanstack/react-query";
import { api, ApiError, isApiError } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";
import type { MediaRequest } from "../../lib/types";

export type Availability = "available" | "partially_available" | "processing" | "pending" | "unknown";

export interface DiscoverResult {
  tmdb_id: number;
  media_type: "movie" | "tv";
  title: string;
  year: number | null;
  poster_url: string | null;
  status: Availability | string;
  overview?: string | null;
  /** Shows: the seasons, when the server lists them (numbers, or objects with a season number). */
  seasons?: (number | { season_number?: number; index?: number; number?: number })[] | null;
  season_count?: number | null;
  number_of_seasons?: number | null;
}

export interface DiscoverResponse {
  results: DiscoverResult[];
  page?: number;
  total_pages?: number;
  /** Shown when present (see quota.ts). */
  quota?: unknown;
}

export const discoverQuery = (q: string) =>
  infiniteQueryOptions({
    queryKey: queryKeys.discover.search(q),
    queryFn: ({ signal, pageParam }) =>
      api.get<DiscoverResponse>("/media/discover", { signal, query: { q, page: pageParam } }),
    initialPageParam: 1,
    getNextPageParam: (last, _pages, page) => {
      if (typeof last.total_pages === "number") return page < last.total_pages ? page + 1 : undefined;
      // Without a page count, a full page (TMDB pages hold 20) suggests there is another.
      return last.results.length >= 20 ? page + 1 : undefined;
    },
    enabled: q.length > 0,
    staleTime: 60_000,
  });

export function createRequest(body: { media_type: "movie" | "tv"; tmdb_id: number; seasons?: number[] }): Promise<MediaRequest> {
  return api.post<MediaRequest>("/media/requests", body);
}

/** Season numbers the result lists, or 1..count when only the count is known; null when unknown. */
export function knownSeasons(r: DiscoverResult): number[] | null {
  if (Array.isArray(r.seasons) && r.seasons.length > 0) {
    const numbers = r.seasons
      .map((s) => (typeof s === "number" ? s : (s.season_number ?? s.index ?? s.number)))
      .filter((n): n is number => typeof n === "number" && Number.isInteger(n) && n > 0);
    if (numbers.length > 0) return [...new Set(numbers)].sort((a, b) => a - b);
  }
  const count = r.season_count ?? r.number_of_seasons;
  if (typeof count === "number" && count > 0) return Array.from({ length: Math.min(count, 100) }, (_, i) => i + 1);
  return null;
}

/** "1, 3, 5-7" → [1, 3, 5, 6, 7]; null when the text is not a list of season numbers. */
export function parseSeasonList(text: string): number[] | null {
  const out = new Set<number>();
  const parts = text
    .replace(/\s*[-–]\s*/g, "-")
    .split(/[\s,;]+/)
    .filter(Boolean);
  if (parts.length === 0) return null;
  for (const part of parts) {
    const range = /^(\d{1,3})-(\d{1,3})$/.exec(part);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      if (a < 1 || b < a || b - a > 100) return null;
      for (let n = a; n <= b; n += 1) out.add(n);
    } else if (/^\d{1,3}$/.test(part) && Number(part) >= 1) {
      out.add(Number(part));
    } else {
      return null;
    }
  }
  return [...out].sort((x, y) => x - y);
}

/** What a refused request means, in plain words. */
export function requestErrorText(err: unknown, title: string): { text: string; tone: "info" | "error" } {
  if (isApiError(err, 409, "already_available")) return { text: `${title} is already in Plex.`, tone: "info" };
  if (isApiError(err, 409, "already_requested")) {
    return { text: `${title} has already been requested. You'll be told when it's in Plex.`, tone: "info" };
  }
  if (isApiError(err, 429, "quota_exceeded")) {
    // The server's message names the limit and when it resets.
    return { text: (err as ApiError).message, tone: "error" };
  }
  if (isApiError(err, 503) || isApiError(err, 502)) {
    return { text: "Overseerr isn't answering right now, so requests can't be made. Try again later.", tone: "error" };
  }
  return { text: err instanceof ApiError ? err.message : "The request could not be made.", tone: "error" };
}
