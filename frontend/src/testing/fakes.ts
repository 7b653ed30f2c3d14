// Stand-ins for the browser's network: scripted fetch responses and a controllable WebSocket.

import { vi } from "vitest";

export function jsonResponse(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

export function apiError(status: number, code: string, message = code, requestId = "req-1"): Response {
  return jsonResponse(status, { error: { code, message, request_id: requestId } });
}

type Route = (url: URL, init: RequestInit) => Response | Promise<Response> | undefined;

/**
 * A fetch that answers by "METHOD /path" (path without the /api/v1 prefix and query string).
 * A handler may be a Response factory or a list consumed one call at a time.
 */
export function routeFetch(routes: Record<string, Route | Route[]>) {
  const calls: { method: string; path: string; url: URL; init: RequestInit }[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://localhost");
    const method = init.method ?? "GET";
    const path = url.pathname.replace(/^\/api\/v1/, "");
    calls.push({ method, path, url, init });
    const entry = routes[`${method} ${path}`];
    const handler = Array.isArray(entry) ? entry.shift() : entry;
    const res = handler ? await handler(url, init) : undefined;
    if (!res) throw new Error(`unexpected request ${method} ${path}`);
    return res;
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

export class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  static reset() {
    FakeWebSocket.instances = [];
  }
  static last(): FakeWebSocket {
    const ws = FakeWebSocket.instances.at(-1);
    if (!ws) throw new Error("no socket was opened");
    return ws;
  }

  readyState = 0;
  sent: unknown[] = [];
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onclose: ((e: CloseEvent) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  send(data: string) {
    this.sent.push(JSON.parse(data));
  }

  close() {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.(new CloseEvent("close"));
  }

  // test controls
  serverOpen() {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }

  serverSend(message: unknown) {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(message) }));
  }

  serverDrop() {
    this.readyState = 3;
    this.onclose?.(new CloseEvent("close", { code: 1006 }));
  }
}
