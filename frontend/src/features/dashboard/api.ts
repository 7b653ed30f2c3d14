import { queryOptions } from "@tanstack/react-query";
import { api } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";
import { itemsOf, type MediaItem, type ServiceStatus, type StatusPoint } from "../../lib/types";

export const statusListQuery = () =>
  queryOptions({
    queryKey: queryKeys.status.list(),
    queryFn: async ({ signal }) => itemsOf(await api.get<ServiceStatus[] | { items: ServiceStatus[] }>("/status/", { signal })),
    // Kept current by service:status events; the interval only covers a socket that is down.
    refetchInterval: 120_000,
  });

export const statusHistoryQuery = (name: string, hours: number) =>
  queryOptions({
    queryKey: queryKeys.status.history(name, hours),
    queryFn: async ({ signal }) =>
      itemsOf(
        await api.get<StatusPoint[] | { items: StatusPoint[] }>(`/status/${encodeURIComponent(name)}/history`, {
          signal,
          query: { hours },
        }),
      ),
    staleTime: 5 * 60_000,
  });

export const recentMediaQuery = (limit: number) =>
  queryOptions({
    queryKey: queryKeys.media.recent(limit),
    queryFn: async ({ signal }) =>
      itemsOf(await api.get<MediaItem[] | { items: MediaItem[] }>("/media/recent", { signal, query: { limit } })),
    staleTime: 5 * 60_000,
  });
