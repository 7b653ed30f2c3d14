import { queryOptions } from "@tanstack/react-query";
import { api } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";
import type { NotificationList } from "../../lib/types";

export const notificationsQuery = () =>
  queryOptions({
    queryKey: queryKeys.notifications.list(),
    queryFn: ({ signal }) => api.get<NotificationList>("/auth/notifications", { signal }),
  });

/** The full page's list: the newest `limit`, optionally unread only (the list has no total). */
export const notificationsPageQuery = (limit: number, unreadOnly: boolean) =>
  queryOptions({
    queryKey: queryKeys.notifications.page(limit, unreadOnly),
    queryFn: ({ signal }) =>
      api.get<NotificationList>("/auth/notifications", {
        signal,
        query: { limit, unread: unreadOnly ? "true" : undefined },
      }),
  });

/** Marks the given notifications read, or all of them when no ids are given. */
export function markNotificationsRead(ids?: string[]): Promise<void> {
  return api.post<void>("/auth/notifications/read", ids ? { ids } : {});
}
