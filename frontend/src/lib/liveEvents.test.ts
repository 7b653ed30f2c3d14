import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import { createLiveEventDispatcher } from "./liveEvents";
import { queryKeys } from "./queryKeys";
import type { Download, Page, ServiceStatus, StatusPoint } from "./types";

function download(id: string, patch: Partial<Download> = {}): Download {
  return {
    id,
    url: `https://www.youtube.com/watch?v=${id}`,
    title: `Video ${id}`,
    status: "downloading",
    progress: { percent: 10, downloaded_bytes: 1, total_bytes: 10, speed: 5, eta: 9, current_item: "a", items_done: 0, items_total: 1 },
    collection: null,
    error: null,
    created_at: "2026-01-01T00:00:00Z",
    started_at: null,
    completed_at: null,
    ...patch,
  };
}

const plex: ServiceStatus = {
  name: "plex",
  display_name: "Plex",
  status: "up",
  response_ms: 40,
  checked_at: "2026-01-01T00:00:00Z",
  uptime_24h: 1,
  message: null,
};

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { gcTime: Infinity } } });
  const onNotice = vi.fn();
  const live = createLiveEventDispatcher(client, { onNotice });
  return { client, live, onNotice };
}

describe("live event dispatcher", () => {
  it("patches download progress into lists and details without refetching", () => {
    const { client, live } = setup();
    const listKey = queryKeys.downloads.list({ limit: 20 });
    client.setQueryData<Page<Download>>(listKey, { items: [download("a"), download("b")], total: 2 });
    client.setQueryData(queryKeys.downloads.detail("a"), download("a"));

    live.dispatch({ type: "download:progress", topic: "downloads", data: { id: "a", progress: { percent: 55, speed: 99 } } });

    const list = client.getQueryData<Page<Download>>(listKey)!;
    expect(list.items[0]?.progress).toMatchObject({ percent: 55, speed: 99, items_total: 1 });
    expect(list.items[1]?.progress?.percent).toBe(10);
    expect(client.getQueryData<Download>(queryKeys.downloads.detail("a"))?.progress?.percent).toBe(55);
    expect(client.getQueryState(listKey)?.isInvalidated).toBe(false);
  });

  it("invalidates download lists for an unknown or finished download", () => {
    const { client, live } = setup();
    const listKey = queryKeys.downloads.list({});
    client.setQueryData<Page<Download>>(listKey, { items: [download("a")], total: 1 });

    live.dispatch({ type: "download:progress", data: { id: "new", status: "queued" } });
    expect(client.getQueryState(listKey)?.isInvalidated).toBe(true);

    client.setQueryData<Page<Download>>(listKey, { items: [download("a")], total: 1 });
    live.dispatch({ type: "download:progress", data: { id: "a", status: "completed" } });
    expect(client.getQueryData<Page<Download>>(listKey)?.items[0]?.status).toBe("completed");
    expect(client.getQueryState(listKey)?.isInvalidated).toBe(true);
  });

  it("patches service status into the list and appends to its history", () => {
    const { client, live } = setup();
    client.setQueryData(queryKeys.status.list(), [plex, { ...plex, name: "overseerr", display_name: "Overseerr" }]);
    client.setQueryData<StatusPoint[]>(queryKeys.status.history("plex", 24), [
      { at: "2026-01-01T00:00:00Z", status: "up", response_ms: 40 },
    ]);

    live.dispatch({
      type: "service:status",
      topic: "status",
      data: { name: "plex", status: "down", response_ms: null, checked_at: "2026-01-01T00:01:00Z", message: "timeout" },
    });

    const list = client.getQueryData<ServiceStatus[]>(queryKeys.status.list())!;
    expect(list[0]).toMatchObject({ name: "plex", status: "down", message: "timeout", display_name: "Plex" });
    expect(list[1]?.status).toBe("up");
    expect(client.getQueryState(queryKeys.status.list())?.isInvalidated).toBe(false);
    expect(client.getQueryData<StatusPoint[]>(queryKeys.status.history("plex", 24))).toHaveLength(2);
  });

  it("invalidates requests and notifications by prefix, leaving other data alone", () => {
    const { client, live, onNotice } = setup();
    const mine = queryKeys.requests.list({ mine: true, limit: 5 });
    const all = queryKeys.requests.list({ status: "pending" });
    client.setQueryData(mine, { items: [], total: 0 });
    client.setQueryData(all, { items: [], total: 0 });
    client.setQueryData(queryKeys.notifications.list(), { items: [], unread: 0 });
    client.setQueryData(queryKeys.status.list(), [plex]);

    live.dispatch({ type: "request:update", topic: "user:1", data: { id: "r1", status: "available" } });
    expect(client.getQueryState(mine)?.isInvalidated).toBe(true);
    expect(client.getQueryState(all)?.isInvalidated).toBe(true);
    expect(client.getQueryState(queryKeys.notifications.list())?.isInvalidated).toBe(false);

    live.dispatch({ type: "user:notification", data: { title: "Dune is available", body: "Enjoy" } });
    expect(client.getQueryState(queryKeys.notifications.list())?.isInvalidated).toBe(true);
    expect(onNotice).toHaveBeenCalledWith({ title: "Dune is available", body: "Enjoy", tone: "info" });
    expect(client.getQueryState(queryKeys.status.list())?.isInvalidated).toBe(false);
  });

  it("turns a service alert into an error notice", () => {
    const { live, onNotice } = setup();
    live.dispatch({ type: "system:alert", topic: "admin", data: { service: "plex", status: "down", message: "timeout" } });
    expect(onNotice).toHaveBeenCalledWith({ title: "plex is down", body: "timeout", tone: "error" });
  });

  it("invalidates everything after a reconnect", () => {
    const { client, live } = setup();
    client.setQueryData(queryKeys.status.list(), [plex]);
    client.setQueryData(queryKeys.media.recent(12), []);
    live.reconnected();
    expect(client.getQueryState(queryKeys.status.list())?.isInvalidated).toBe(true);
    expect(client.getQueryState(queryKeys.media.recent(12))?.isInvalidated).toBe(true);
  });

  it("ignores unknown and malformed events", () => {
    const { client, live } = setup();
    client.setQueryData(queryKeys.status.list(), [plex]);
    live.dispatch({ type: "pong" });
    live.dispatch({ type: "error", data: { code: "forbidden", topic: "admin" } });
    live.dispatch({ type: "service:status", data: "garbage" });
    expect(client.getQueryData(queryKeys.status.list())).toEqual([plex]);
  });
});
