import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { api } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";
import { itemsOf, pageOf, type MediaItem, type Page } from "../../lib/types";

export interface LibrarySection {
  id: string | number;
  title: string;
  type: string;
  count: number | null;
}

/** A season as the detail lists it; Plex calls the season number `index`. */
export interface Season {
  id?: string | number;
  title?: string | null;
  index?: number | null;
  season_number?: number | null;
  episode_count?: number | null;
  leaf_count?: number | null;
  thumb_url?: string | null;
}

export interface MediaDetail extends MediaItem {
  summary?: string | null;
  rating?: number | null;
  /** Seconds. */
  duration?: number | null;
  genres?: (string | { tag?: string; title?: string })[] | null;
  seasons?: Season[] | null;
  art_url?: string | null;
  tmdb_id?: number | null;
  content_rating?: string | null;
  studio?: string | null;
}

export const PAGE_SIZE = 60;

// The media function's sort names (it maps them to Plex's own); passed through as `sort`.
export const SORTS = [
  { value: "title", label: "Title (A–Z)" },
  { value: "-title", label: "Title (Z–A)" },
  { value: "-added", label: "Recently added" },
  { value: "-year", label: "Year, newest first" },
  { value: "year", label: "Year, oldest first" },
  { value: "-rating", label: "Rating" },
] as const;

export const DEFAULT_SORT = "title";

export const librariesQuery = () =>
  queryOptions({
    queryKey: queryKeys.media.libraries(),
    queryFn: async ({ signal }) =>
      itemsOf(await api.get<LibrarySection[] | { items: LibrarySection[] }>("/media/libraries", { signal })),
    staleTime: 5 * 60_000,
  });

export const libraryItemsQuery = (id: string, sort: string) =>
  infiniteQueryOptions({
    queryKey: queryKeys.media.libraryItems(id, sort),
    queryFn: async ({ signal, pageParam }) =>
      pageOf(
        await api.get<Page<MediaItem> | MediaItem[]>(`/media/libraries/${encodeURIComponent(id)}/items`, {
          signal,
          query: { offset: pageParam, limit: PAGE_SIZE, sort },
        }),
      ),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, p) => n + p.items.length, 0);
      // An empty page also ends the list, whatever the total says.
      return last.items.length > 0 && loaded < last.total ? loaded : undefined;
    },
    staleTime: 5 * 60_000,
  });

export const librarySearchQuery = (q: string) =>
  queryOptions({
    queryKey: queryKeys.media.search(q),
    queryFn: async ({ signal }) =>
      itemsOf(await api.get<MediaItem[] | { items: MediaItem[] }>("/media/search", { signal, query: { q, limit: 30 } })),
    enabled: q.length >= 2,
    staleTime: 60_000,
  });

export const mediaItemQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.media.item(id),
    queryFn: ({ signal }) => api.get<MediaDetail>(`/media/items/${encodeURIComponent(id)}`, { signal }),
    staleTime: 5 * 60_000,
  });

export function genreNames(genres: MediaDetail["genres"]): string[] {
  return (genres ?? [])
    .map((g) => (typeof g === "string" ? g : (g.tag ?? g.title ?? "")))
    .filter((g): g is string => !!g);
}

export function seasonNumber(s: Season): number | null {
  const n = s.index ?? s.season_number;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
}

export { TYPE_LABELS } from "../../lib/mediaTypes";
