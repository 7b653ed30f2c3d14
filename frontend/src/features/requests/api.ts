import { queryOptions } from "@tanstack/react-query";
import { api } from "../../lib/api";
import { queryKeys, type RequestListParams } from "../../lib/queryKeys";
import { pageOf, type MediaRequest, type Page } from "../../lib/types";

export const requestsQuery = (params: RequestListParams) =>
  queryOptions({
    queryKey: queryKeys.requests.list(params),
    queryFn: async ({ signal }) =>
      pageOf(
        await api.get<Page<MediaRequest> | MediaRequest[]>("/media/requests", {
          signal,
          query: { status: params.status, mine: params.mine ? 1 : undefined, offset: params.offset, limit: params.limit },
        }),
      ),
  });

export interface RequestHistoryEntry {
  status: string;
  source: string;
  note: string | null;
  created_at: string;
}

export interface RequestDetail extends MediaRequest {
  history: RequestHistoryEntry[];
}

export const requestQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.requests.detail(id),
    queryFn: ({ signal }) => api.get<RequestDetail>(`/media/requests/${encodeURIComponent(id)}`, { signal }),
  });

const path = (id: string) => `/media/requests/${encodeURIComponent(id)}`;

export function cancelRequest(id: string): Promise<unknown> {
  return api.delete(path(id));
}

export function approveRequest(id: string): Promise<unknown> {
  return api.post(`${path(id)}/approve`);
}

export function declineRequest(id: string): Promise<unknown> {
  return api.post(`${path(id)}/decline`);
}

/** `requested_by` is a user id, a username or a user object, depending on the server; show a name when there is one. */
export function requesterName(requestedBy: unknown): string | null {
  // A bare id says nothing to a person.
  if (typeof requestedBy === "string") return /^[0-9a-f-]{32,36}$/i.test(requestedBy) ? null : requestedBy;
  if (requestedBy && typeof requestedBy === "object") {
    const o = requestedBy as Record<string, unknown>;
    for (const key of ["username", "display_name", "name", "email"]) if (typeof o[key] === "string") return o[key] as string;
  }
  return null;
}

/** Whether `requested_by` (an id, a username or a user object) is this user. */
export function requesterIsMe(requestedBy: unknown, id: string, username: string): boolean {
  if (typeof requestedBy === "string") return requestedBy === id || requestedBy === username;
  if (requestedBy && typeof requestedBy === "object") {
    const o = requestedBy as Record<string, unknown>;
    return o.id === id || o.username === username;
  }
  return false;
}
