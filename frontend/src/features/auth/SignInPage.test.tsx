import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../app/App";
import { apiError, FakeWebSocket, jsonResponse, routeFetch } from "../../testing/fakes";
import { testQueryClient } from "../../testing/render";

const admin = {
  id: "u0",
  username: "admin",
  email: null,
  role: "admin",
  thumb_url: null,
  created_at: "2026-01-01T00:00:00Z",
  last_login_at: null,
};

// Once signed in, the dashboard loads; empty answers are enough here.
const dashboard = {
  "GET /auth/me": () => jsonResponse(200, admin),
  "GET /auth/notifications": () => jsonResponse(200, { items: [], unread: 0 }),
  "GET /status/": () => jsonResponse(200, []),
  "GET /media/recent": () => jsonResponse(200, { items: [] }),
  "GET /downloads/": () => jsonResponse(200, { items: [], total: 0 }),
  "GET /media/requests": () => jsonResponse(200, { items: [], total: 0 }),
};

const pin = { pin_id: "pin-1", code: "c", auth_url: "https://plex.test/auth#?code=c", expires_at: null };

function fakePopup() {
  const popup = { closed: false, opener: {}, location: { href: "" }, close: vi.fn() };
  popup.close.mockImplementation(() => {
    popup.closed = true;
  });
  return popup;
}

beforeEach(() => {
  FakeWebSocket.reset();
  vi.stubGlobal("WebSocket", FakeWebSocket);
  window.history.replaceState(null, "", "/signin");
});

describe("sign-in page", () => {
  it("hints that the admin must set up first", async () => {
    vi.stubGlobal("fetch", routeFetch({ "GET /auth/setup": () => jsonResponse(200, { needs_setup: true }) }).fetch);
    render(<App client={testQueryClient()} />);
    expect(await screen.findByText(/MediaNest isn't set up yet/)).toBeTruthy();
    expect(document.title).toBe("Sign in · MediaNest");
  });

  it("signs in with Plex through the popup and goes where the user was headed", async () => {
    window.history.replaceState(null, "", "/signin?next=%2Fdownloads");
    const popup = fakePopup();
    const open = vi.fn(() => popup);
    vi.stubGlobal("open", open);
    const { fetch, calls } = routeFetch({
      "GET /auth/setup": () => jsonResponse(200, { needs_setup: false }),
      "POST /auth/plex/pin": () => jsonResponse(201, pin),
      "GET /auth/plex/pin/pin-1": () => jsonResponse(200, { status: "authorized", user: admin }),
      ...dashboard,
    });
    vi.stubGlobal("fetch", fetch);
    const user = userEvent.setup();
    render(<App client={testQueryClient()} />);

    await user.click(await screen.findByRole("button", { name: "Sign in with Plex" }));
    expect(open).toHaveBeenCalledWith("/plex-loading.html", expect.any(String), expect.any(String));
    // kept, so that the flow can close the popup once it is on plex.tv
    expect(popup.opener).not.toBeNull();
    await waitFor(() => expect(popup.location.href).toBe(pin.auth_url));

    expect(await screen.findByRole("heading", { level: 1, name: "Downloads" }, { timeout: 3000 })).toBeTruthy();
    expect(window.location.pathname).toBe("/downloads");
    expect(popup.close).toHaveBeenCalled();
    expect(JSON.parse(String(calls.find((c) => c.path === "/auth/plex/pin")?.init.body))).toEqual({
      forward_url: `${window.location.origin}/signin?next=%2Fdownloads`,
    });
  });

  it("explains a refusal for an account without access to the server", async () => {
    const popup = fakePopup();
    vi.stubGlobal("open", vi.fn(() => popup));
    vi.stubGlobal(
      "fetch",
      routeFetch({
        "GET /auth/setup": () => jsonResponse(200, { needs_setup: false }),
        "POST /auth/plex/pin": () => jsonResponse(201, pin),
        "GET /auth/plex/pin/pin-1": () => apiError(403, "no_server_access", "No access."),
      }).fetch,
    );
    const user = userEvent.setup();
    render(<App client={testQueryClient()} />);
    await user.click(await screen.findByRole("button", { name: "Sign in with Plex" }));
    expect((await screen.findByRole("alert", {}, { timeout: 3000 })).textContent).toMatch(/no access to this server/);
    expect(popup.close).toHaveBeenCalled();
    expect(window.location.pathname).toBe("/signin");
    expect(screen.getByRole("button", { name: "Sign in with Plex" })).toBeTruthy();
  });

  it("signs in a local admin from the dialog, showing a wrong password first, then opens setup", async () => {
    vi.stubGlobal(
      "fetch",
      routeFetch({
        "GET /auth/setup": () => jsonResponse(200, { needs_setup: true }),
        "POST /auth/login": [
          () => apiError(401, "invalid_credentials", "Invalid credentials."),
          () => jsonResponse(200, { user: admin }),
        ],
        ...dashboard,
        "GET /status/services": () => jsonResponse(200, []),
        "GET /status/webhooks": () => jsonResponse(200, { plex_url: "p", overseerr_url: "o", overseerr_authorization: "a" }),
      }).fetch,
    );
    const user = userEvent.setup();
    render(<App client={testQueryClient()} />);

    await user.click(await screen.findByRole("button", { name: "Sign in as local admin" }));
    const dialog = await screen.findByRole("dialog", { name: "Local admin sign-in" });
    await user.type(screen.getByLabelText("Username"), "admin");
    await user.type(screen.getByLabelText("Password"), "wrong");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong username or password.");
    expect(dialog).toBeTruthy();

    await user.clear(screen.getByLabelText("Password"));
    await user.type(screen.getByLabelText("Password"), "right");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    // Plex isn't linked yet, so the admin lands on first-run setup.
    expect(await screen.findByRole("heading", { level: 1, name: "Set up MediaNest" })).toBeTruthy();
    expect(window.location.pathname).toBe("/admin/setup");
  });
});
