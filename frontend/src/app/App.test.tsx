import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { apiError, FakeWebSocket, jsonResponse, routeFetch } from "../testing/fakes";
import { friend } from "../testing/page";
import { testQueryClient } from "../testing/render";
import type { User } from "../lib/types";
import { App } from "./App";


function signedInRoutes(user: User = friend) {
  return {
    "GET /auth/me": () => jsonResponse(200, user),
    "GET /auth/notifications": () =>
      jsonResponse(200, {
        items: [{ id: "n1", type: "request", title: "Dune is available", body: null, link: null, read: false, created_at: "2026-01-01T00:00:00Z" }],
        unread: 1,
      }),
    "GET /status/": () =>
      jsonResponse(200, [
        { name: "plex", display_name: "Plex", status: "up", response_ms: 42, checked_at: "2026-01-01T00:00:00Z", uptime_24h: 0.998, message: null },
        { name: "overseerr", display_name: "Overseerr", status: "down", response_ms: null, checked_at: "2026-01-01T00:00:00Z", uptime_24h: 0.5, message: "Connection refused" },
      ]),
    "GET /status/plex/history": () =>
      jsonResponse(200, [
        { at: "2026-01-01T00:00:00Z", status: "up", response_ms: 40 },
        { at: "2026-01-01T00:01:00Z", status: "up", response_ms: 60 },
      ]),
    "GET /status/overseerr/history": [
      () => apiError(500, "internal", "History store unavailable."),
      () => jsonResponse(200, [{ at: "2026-01-01T00:00:00Z", status: "down", response_ms: null }]),
    ],
    "GET /media/recent": () =>
      jsonResponse(200, { items: [{ id: "m1", title: "<img src=x onerror=alert(1)>", year: 2024, type: "movie", thumb_url: "/api/v1/media/thumb/m1", added_at: null }] }),
    "GET /downloads/": () =>
      jsonResponse(200, {
        items: [
          { id: "d1", url: "https://youtu.be/x", title: "Talks playlist", status: "downloading", progress: { percent: 40, downloaded_bytes: 4, total_bytes: 10, speed: 2048, eta: 30, current_item: "Talk 2", items_done: 1, items_total: 3 }, collection: null, error: null, created_at: "2026-01-01T00:00:00Z", started_at: null, completed_at: null },
          { id: "d2", url: "https://youtu.be/y", title: "Old one", status: "completed", progress: null, collection: null, error: null, created_at: "2026-01-01T00:00:00Z", started_at: null, completed_at: null },
        ],
        total: 2,
      }),
    "GET /media/requests": () =>
      jsonResponse(200, { items: [{ id: "r1", title: "Dune", media_type: "movie", tmdb_id: 1, status: "pending", requested_by: "u1", created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" }], total: 1 }),
  };
}

beforeEach(() => {
  FakeWebSocket.reset();
  vi.stubGlobal("WebSocket", FakeWebSocket);
  window.history.replaceState(null, "", "/");
});

describe("App", () => {
  it("sends a visitor without a session to sign-in, keeping where they were going", async () => {
    window.history.replaceState(null, "", "/downloads");
    const { fetch } = routeFetch({
      "GET /auth/me": () => apiError(401, "unauthenticated"),
      "POST /auth/refresh": () => apiError(401, "unauthenticated"),
      "GET /auth/setup": () => jsonResponse(200, { needs_setup: false }),
    });
    vi.stubGlobal("fetch", fetch);
    render(<App client={testQueryClient()} />);

    expect(await screen.findByRole("button", { name: "Sign in with Plex" })).toBeTruthy();
    expect(window.location.pathname).toBe("/signin");
    expect(new URLSearchParams(window.location.search).get("next")).toBe("/downloads");
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it("shows the dashboard: tiles, down banner, posters, my downloads and requests", async () => {
    const { fetch, calls } = routeFetch(signedInRoutes());
    vi.stubGlobal("fetch", fetch);
    const user = userEvent.setup();
    render(<App client={testQueryClient()} />);

    expect(await screen.findByRole("heading", { level: 1, name: "Dashboard" })).toBeTruthy();

    const plexTile = (await screen.findByRole("heading", { name: "Plex" })).closest("article")!;
    expect(within(plexTile).getByText("Up")).toBeTruthy();
    expect(within(plexTile).getByText("42 ms")).toBeTruthy();
    expect(await within(plexTile).findByRole("img", { name: /Plex response time over 24 hours: 40 to 60 ms/ })).toBeTruthy();

    const banner = (await screen.findByText(/Overseerr is down/)).closest(".banner");
    expect(banner?.getAttribute("role")).toBe("alert");
    expect(banner?.textContent).toContain("Connection refused");

    // The title is data: shown as text, never parsed as markup.
    expect(await screen.findByText("<img src=x onerror=alert(1)>")).toBeTruthy();
    expect(document.querySelector('img[src="x"]')).toBeNull();
    expect(screen.getByText("Talks playlist")).toBeTruthy();
    expect(screen.queryByText("Old one")).toBeNull();
    expect(screen.getByRole("progressbar", { name: "Talks playlist: download progress" }).getAttribute("aria-valuenow")).toBe("40");
    expect(screen.getByText("Dune")).toBeTruthy();
    expect(calls.find((c) => c.path === "/media/requests")?.url.searchParams.get("mine")).toBe("1");

    // A tile whose history failed has its own "try again".
    const overseerrTile = screen.getByRole("heading", { name: "Overseerr" }).closest("article")!;
    await user.click(await within(overseerrTile).findByRole("button", { name: "Try again" }));
    expect(await within(overseerrTile).findByRole("img", { name: /no successful checks/ })).toBeTruthy();

    // Friends get no Admin link; the bell shows the unread count.
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).queryByRole("link", { name: "Admin" })).toBeNull();
    expect(within(nav).getByRole("link", { name: "Dashboard" }).getAttribute("aria-current")).toBe("page");
    expect(await screen.findByRole("button", { name: "Notifications, 1 unread" })).toBeTruthy();

    // The socket opened and subscribed to this user's topics.
    const ws = FakeWebSocket.last();
    expect(ws.url).toMatch(/\/ws$/);
    ws.serverOpen();
    expect(ws.sent).toEqual([
      { type: "subscribe", topic: "status" },
      { type: "subscribe", topic: "downloads" },
    ]);
  });

  it("moves progress live when the socket reports it", async () => {
    vi.stubGlobal("fetch", routeFetch(signedInRoutes()).fetch);
    render(<App client={testQueryClient()} />);
    const bar = await screen.findByRole("progressbar", { name: "Talks playlist: download progress" });
    FakeWebSocket.last().serverOpen();
    FakeWebSocket.last().serverSend({ type: "download:progress", topic: "downloads", data: { id: "d1", progress: { percent: 75 } } });
    await waitFor(() => expect(bar.getAttribute("aria-valuenow")).toBe("75"));
  });

  it("gives admins the Admin page (loaded on demand) and navigates there", async () => {
    vi.stubGlobal(
      "fetch",
      routeFetch({
        ...signedInRoutes({ ...friend, role: "admin" }),
        "GET /auth/setup": () => jsonResponse(200, { needs_setup: false }),
        "GET /status/services": () => jsonResponse(200, []),
        "GET /status/webhooks": () => jsonResponse(200, { plex_url: "p", overseerr_url: "o", overseerr_authorization: "a" }),
        "GET /status/public": () => jsonResponse(200, []),
      }).fetch,
    );
    const user = userEvent.setup();
    render(<App client={testQueryClient()} />);
    await user.click(await screen.findByRole("link", { name: "Admin" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Admin" })).toBeTruthy();
    expect(await screen.findByText("The server reported no services.")).toBeTruthy();
    expect(window.location.pathname).toBe("/admin");
    expect(screen.queryByTestId("setup-banner")).toBeNull();
  });

  it("sends an admin to first-run setup while Plex is unlinked, once per session, with a banner after", async () => {
    vi.stubGlobal(
      "fetch",
      routeFetch({
        ...signedInRoutes({ ...friend, role: "admin" }),
        "GET /auth/setup": () => jsonResponse(200, { needs_setup: true }),
        "GET /status/services": () => jsonResponse(200, []),
        "GET /status/webhooks": () => jsonResponse(200, { plex_url: "p", overseerr_url: "o", overseerr_authorization: "a" }),
      }).fetch,
    );
    const user = userEvent.setup();
    render(<App client={testQueryClient()} />);
    expect(await screen.findByRole("heading", { level: 1, name: "Set up MediaNest" })).toBeTruthy();
    expect(window.location.pathname).toBe("/admin/setup");
    expect(screen.queryByTestId("setup-banner")).toBeNull();

    await user.click(await screen.findByRole("button", { name: "Skip for now" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Dashboard" })).toBeTruthy();
    expect(window.location.pathname).toBe("/");
    expect((await screen.findByTestId("setup-banner")).textContent).toMatch(/nobody else can sign in/);
  });

  it("opens a lazily loaded page, and Not found for an unknown address", async () => {
    window.history.replaceState(null, "", "/notifications");
    vi.stubGlobal("fetch", routeFetch(signedInRoutes()).fetch);
    render(<App client={testQueryClient()} />);
    expect(await screen.findByRole("heading", { level: 1, name: "Notifications" })).toBeTruthy();
    expect((await screen.findAllByTestId("notification-item")).length).toBe(1);

    window.history.pushState(null, "", "/nowhere");
    window.dispatchEvent(new PopStateEvent("popstate"));
    expect(await screen.findByText("There is nothing at this address.")).toBeTruthy();
  });
});
