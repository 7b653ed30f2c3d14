// What each server event does to the TanStack Query cache. Events that carry the new state
// (download progress, service status) patch cached data in place; events that only say "something
// changed" (requests, notifications) invalidate by key prefix so the active queries refetch.

import type { QueryClient } from "@tanstack/react-query";
import { queryKeys } from "./queryKeys";
import type { ServerEvent } from "./socket";
import type { Download, DownloadState, Page, ServiceStatus, StatusPoint } from "./types";

export interface LiveNotice {
  title: string;
  body: string | null;
  tone: "info" | "error";
}

export interface LiveEventHandlers {
  /** Something the user should see right away (a new notification, a system alert). */
  onNotice?: (notice: LiveNotice) => void;
}

const FINISHED: ReadonlySet<DownloadState> = new Set(["completed", "failed", "cancelled"]);

type DownloadPatch = Partial<Download> & { id: string };
type DownloadListData = Page<Download> | Download[];

function mergeDownload(old: Download, patch: DownloadPatch): Download {
  return {
    ...old,
    ...patch,
    progress: patch.progress ? { ...old.progress, ...patch.progress } : old.progress,
  } as Download;
}

function patchDownloads(client: QueryClient, patch: DownloadPatch): void {
  client.setQueryData<Download>(queryKeys.downloads.detail(patch.id), (old) =>
    old ? mergeDownload(old, patch) : old,
  );
  let listed = false;
  client.setQueriesData<DownloadListData>({ queryKey: queryKeys.downloads.lists() }, (old) => {
    if (!old) return old;
    const items = Array.isArray(old) ? old : old.items;
    if (!items.some((d) => d.id === patch.id)) return old;
    listed = true;
    const next = items.map((d) => (d.id === patch.id ? mergeDownload(d, patch) : d));
    return Array.isArray(old) ? next : { ...old, items: next };
  });
  // A download no list knows yet (just queued elsewhere), or one that just finished (files,
  // filters and counts change): let the lists refetch.
  if (!listed || (patch.status && FINISHED.has(patch.status))) {
    void client.invalidateQueries({ queryKey: queryKeys.downloads.lists() });
  }
  if (patch.status === "completed") void client.invalidateQueries({ queryKey: queryKeys.media.all });
}

function patchService(client: QueryClient, patch: Partial<ServiceStatus> & { name: string }): void {
  let known = false;
  client.setQueryData<ServiceStatus[]>(queryKeys.status.list(), (old) => {
    if (!old) return old;
    known = old.some((s) => s.name === patch.name);
    return old.map((s) => (s.name === patch.name ? { ...s, ...patch } : s));
  });
  if (!known) void client.invalidateQueries({ queryKey: queryKeys.status.list() });
  if (patch.status && patch.checked_at) {
    const point: StatusPoint = {
      at: patch.checked_at,
      status: patch.status,
      response_ms: patch.response_ms ?? null,
    };
    client.setQueriesData<StatusPoint[]>({ queryKey: queryKeys.status.historyOf(patch.name) }, (old) =>
      old ? [...old, point] : old,
    );
  }
}

function hasString(data: unknown, key: string): data is Record<string, unknown> {
  return !!data && typeof data === "object" && typeof (data as Record<string, unknown>)[key] === "string";
}

function noticeFrom(data: unknown, tone: LiveNotice["tone"]): LiveNotice | null {
  // A service alert: {service, status, message}
  if (hasString(data, "service") && hasString(data, "status")) {
    const message = typeof data.message === "string" ? data.message : null;
    return { title: `${data.service as string} is ${data.status as string}`, body: message, tone };
  }
  if (hasString(data, "title")) {
    return { title: data.title as string, body: typeof data.body === "string" ? data.body : null, tone };
  }
  if (hasString(data, "message")) return { title: data.message as string, body: null, tone };
  return null;
}

export function createLiveEventDispatcher(client: QueryClient, handlers: LiveEventHandlers = {}) {
  return {
    dispatch(event: ServerEvent): void {
      const { data } = event;
      switch (event.type) {
        case "download:progress":
          if (hasString(data, "id")) patchDownloads(client, data as unknown as DownloadPatch);
          break;
        case "service:status":
          if (hasString(data, "name")) patchService(client, data as unknown as ServiceStatus);
          break;
        case "request:update":
          void client.invalidateQueries({ queryKey: queryKeys.requests.all });
          void client.invalidateQueries({ queryKey: queryKeys.discover.all });
          break;
        case "user:notification": {
          void client.invalidateQueries({ queryKey: queryKeys.notifications.all });
          const notice = noticeFrom(data, "info");
          if (notice) handlers.onNotice?.(notice);
          break;
        }
        case "system:alert": {
          const notice = noticeFrom(data, "error");
          if (notice) handlers.onNotice?.(notice);
          break;
        }
        default:
          // pong, refused subscriptions ("error") and future event types need no cache change.
          break;
      }
    },
    /** Events may have been missed while the socket was down: refetch everything on screen. */
    reconnected(): void {
      void client.invalidateQueries();
    },
    /** The socket dropped: if the session was revoked, re-checking who we are leads to sign-in. */
    dropped(): void {
      void client.invalidateQueries({ queryKey: queryKeys.auth.me });
    },
  };
}
