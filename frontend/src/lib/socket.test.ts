import { QueryClient } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "../testing/fakes";
import { createLiveEventDispatcher } from "./liveEvents";
import { queryKeys } from "./queryKeys";
import { backoffDelay, LiveSocket, socketUrl } from "./socket";

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

function makeSocket(extra: Partial<ConstructorParameters<typeof LiveSocket>[0]> = {}) {
  const onEvent = vi.fn();
  const onOpen = vi.fn();
  const onDrop = vi.fn();
  const socket = new LiveSocket({
    url: "ws://portal.test/ws",
    topics: ["status", "downloads"],
    onEvent,
    onOpen,
    onDrop,
    minDelayMs: 1000,
    maxDelayMs: 30_000,
    random: () => 0.5,
    WebSocketImpl: FakeWebSocket as unknown as typeof WebSocket,
    ...extra,
  });
  return { socket, onEvent, onOpen, onDrop };
}

describe("LiveSocket", () => {
  it("builds the socket URL from the page's origin", () => {
    expect(socketUrl({ protocol: "https:", host: "media.example" })).toBe("wss://media.example/ws");
    expect(socketUrl({ protocol: "http:", host: "127.0.0.1:8080" })).toBe("ws://127.0.0.1:8080/ws");
  });

  it("subscribes to its topics on open and hands parsed events over", () => {
    const { socket, onEvent, onOpen } = makeSocket();
    socket.start();
    const ws = FakeWebSocket.last();
    ws.serverOpen();
    expect(ws.sent).toEqual([
      { type: "subscribe", topic: "status" },
      { type: "subscribe", topic: "downloads" },
    ]);
    expect(onOpen).toHaveBeenCalledWith(false);

    ws.serverSend({ type: "service:status", topic: "status", data: { name: "plex" } });
    ws.onmessage?.(new MessageEvent("message", { data: "not json" }));
    expect(onEvent).toHaveBeenCalledTimes(1);
    expect(onEvent.mock.calls[0]?.[0]).toMatchObject({ type: "service:status" });

    socket.subscribe("admin");
    expect(ws.sent.at(-1)).toEqual({ type: "subscribe", topic: "admin" });
    socket.stop();
  });

  it("reconnects with growing, jittered delays and resubscribes", () => {
    const { socket, onOpen, onDrop } = makeSocket();
    socket.start();
    FakeWebSocket.last().serverOpen();
    FakeWebSocket.last().serverDrop();
    expect(onDrop).toHaveBeenCalledTimes(1);

    // attempt 0: ceiling 1000 ms, equal jitter with random 0.5 → 750 ms
    vi.advanceTimersByTime(749);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);

    // That attempt fails before opening: next wait is longer, and it is not reported as a drop.
    FakeWebSocket.last().serverDrop();
    expect(onDrop).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1499);
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(3);

    FakeWebSocket.last().serverOpen();
    expect(onOpen).toHaveBeenLastCalledWith(true);
    expect(FakeWebSocket.last().sent).toEqual([
      { type: "subscribe", topic: "status" },
      { type: "subscribe", topic: "downloads" },
    ]);
    socket.stop();
  });

  it("stays down after stop()", () => {
    const { socket } = makeSocket();
    socket.start();
    FakeWebSocket.last().serverOpen();
    socket.stop();
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("keeps backoff within its bounds", () => {
    expect(backoffDelay(0, 1000, 30_000, () => 0)).toBe(500);
    expect(backoffDelay(0, 1000, 30_000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 30_000, () => 0.5)).toBe(6000);
    expect(backoffDelay(50, 1000, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(50, 1000, 30_000, () => 0)).toBe(15_000);
  });

  it("refetches every cached query after a reconnect, not after the first connect", () => {
    const client = new QueryClient({ defaultOptions: { queries: { gcTime: Infinity } } });
    const live = createLiveEventDispatcher(client);
    client.setQueryData(queryKeys.status.list(), []);
    client.setQueryData(queryKeys.requests.list({ mine: true }), { items: [], total: 0 });
    const { socket } = makeSocket({
      onEvent: live.dispatch,
      onOpen: (reconnected) => reconnected && live.reconnected(),
    });
    socket.start();
    FakeWebSocket.last().serverOpen();
    expect(client.getQueryState(queryKeys.status.list())?.isInvalidated).toBe(false);

    FakeWebSocket.last().serverDrop();
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last().serverOpen();
    expect(client.getQueryState(queryKeys.status.list())?.isInvalidated).toBe(true);
    expect(client.getQueryState(queryKeys.requests.list({ mine: true }))?.isInvalidated).toBe(true);
    socket.stop();
  });
});
