import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { apiError, jsonResponse } from "../../testing/fakes";
import { admin, bodyOf, renderPage } from "../../testing/page";
import type { ServiceConfig } from "./api";
import { linkTiming } from "./plexLink";
import { SetupPage } from "./SetupPage";

const unset = (name: string, display_name: string): ServiceConfig => ({
  name,
  display_name,
  url: null,
  enabled: false,
  configured: false,
  api_key_set: false,
  options: {},
  machine_identifier: null,
  updated_at: null,
});

const services = [
  unset("plex", "Plex"),
  unset("overseerr", "Overseerr"),
  unset("uptime_kuma", "Uptime Kuma"),
  { ...unset("youtube", "YouTube"), enabled: true, configured: true },
];

const base = {
  "GET /status/services": () => jsonResponse(200, services),
  "GET /auth/setup": () => jsonResponse(200, { needs_setup: true, admin_exists: true, plex_linked: false }),
  "GET /status/webhooks": () =>
    jsonResponse(200, {
      plex_url: "https://portal.test/api/v1/webhooks/plex/s3cret",
      overseerr_url: "https://portal.test/api/v1/webhooks/overseerr",
      overseerr_authorization: "auth-s3cret",
    }),
};

const server = {
  machine_identifier: "abc123",
  name: "Home server",
  version: "1.41",
  connections: [
    { uri: "https://1-2-3-4.plex.direct:32400", local: false, relay: false },
    { uri: "http://192.168.1.10:32400", local: true, relay: false },
  ],
};

beforeEach(() => {
  linkTiming.intervalMs = 5;
});
afterEach(() => {
  linkTiming.intervalMs = 1000;
});

function fakePopup() {
  const popup = { closed: false, opener: {}, location: { href: "" }, close: vi.fn() };
  popup.close.mockImplementation(() => {
    popup.closed = true;
  });
  return popup;
}

describe("first-run setup", () => {
  it("links Plex by the owner's sign-in: popup, waiting, pick a server and address, linked", async () => {
    const popup = fakePopup();
    const open = vi.fn(() => popup);
    vi.stubGlobal("open", open);
    // plex.tv confirms only when the test says so.
    let confirm: () => void = () => {};
    const confirmed = new Promise<void>((resolve) => (confirm = resolve));
    const { calls } = renderPage(<SetupPage />, {
      user: admin,
      path: "/admin/setup",
      routes: {
        ...base,
        "POST /status/services/plex/link": () =>
          jsonResponse(201, { pin_id: 77, code: "c", auth_url: "https://app.plex.tv/auth#?code=c", expires_at: "2099-01-01T00:00:00Z" }),
        "GET /status/services/plex/link/77": [
          () => jsonResponse(200, { status: "waiting", servers: [] }),
          () => confirmed.then(() => jsonResponse(200, { status: "authorized", servers: [server] })),
        ],
        "POST /status/services/plex/link/77/select": () => jsonResponse(200, { status: "authorized", servers: [server] }),
      },
    });
    expect(await screen.findByRole("heading", { level: 1, name: "Set up MediaNest" })).toBeTruthy();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("plex-link-start"));
    expect(open).toHaveBeenCalledWith("/plex-loading.html", expect.any(String), expect.any(String));
    expect(await screen.findByTestId("plex-link-waiting")).toBeTruthy();
    await waitFor(() => expect(popup.location.href).toBe("https://app.plex.tv/auth#?code=c"));
    expect((await screen.findByRole("link", { name: /Open the Plex sign-in page/ })).getAttribute("rel")).toBe("noopener noreferrer");
    confirm();

    const picker = await screen.findByTestId("plex-link-servers");
    expect(popup.close).toHaveBeenCalled();
    expect(within(picker).getByText("Home server")).toBeTruthy();
    const address = within(picker).getByLabelText("Address") as HTMLSelectElement;
    expect([...address.options].map((o) => o.value)).toEqual(["", "http://192.168.1.10:32400", "https://1-2-3-4.plex.direct:32400"]);
    await user.selectOptions(address, "http://192.168.1.10:32400");
    await user.click(within(picker).getByRole("button", { name: "Link this server" }));
    expect((await screen.findByTestId("plex-link-done")).textContent).toContain("Linked to Home server.");
    expect(bodyOf(calls.find((c) => c.path.endsWith("/select")))).toEqual({ machine_identifier: "abc123", url: "http://192.168.1.10:32400" });
  });

  it("explains an expired Plex sign-in and offers to start again", async () => {
    vi.stubGlobal("open", vi.fn(() => fakePopup()));
    renderPage(<SetupPage />, {
      user: admin,
      path: "/admin/setup",
      routes: {
        ...base,
        "POST /status/services/plex/link": () => jsonResponse(201, { pin_id: 5, code: "c", auth_url: "https://app.plex.tv/auth", expires_at: null }),
        "GET /status/services/plex/link/5": () => apiError(410, "expired", "This Plex sign-in expired; start again."),
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("plex-link-start"));
    expect((await screen.findByTestId("plex-link-error")).textContent).toMatch(/expired before it was confirmed/);
    expect(screen.getByTestId("plex-link-start").textContent).toBe("Try again");
  });

  it("links Plex by URL and token, sending the token only as typed", async () => {
    const { calls } = renderPage(<SetupPage />, {
      user: admin,
      path: "/admin/setup",
      routes: {
        ...base,
        "PUT /status/services/plex": () =>
          jsonResponse(200, { ...services[0], url: "http://192.168.1.10:32400", enabled: true, configured: true, api_key_set: true, machine_identifier: "abc" }),
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText("URL and token"));
    const form = screen.getByTestId("service-form-plex");
    await user.type(within(form).getByLabelText("URL"), "http://192.168.1.10:32400");
    await user.type(within(form).getByLabelText("Plex token"), "tok");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Plex settings saved")).toBeTruthy();
    expect(bodyOf(calls.find((c) => c.method === "PUT"))).toEqual({ url: "http://192.168.1.10:32400", enabled: true, options: {}, api_key: "tok" });
  });

  it("adds Overseerr and tests the connection (saving first), and shows field problems", async () => {
    const saved = { ...services[1], url: "http://o:5055", enabled: true, configured: true, api_key_set: true, updated_at: "2026-01-01T00:00:00Z" };
    const { calls } = renderPage(<SetupPage />, {
      user: admin,
      path: "/admin/setup",
      routes: {
        ...base,
        "PUT /status/services/overseerr": [
          () =>
            jsonResponse(422, {
              error: { code: "validation_error", message: "Some fields are not valid.", request_id: "r", details: [{ field: "url", message: "the URL must start with http:// or https://" }] },
            }),
          () => jsonResponse(200, saved),
        ],
        "POST /status/services/overseerr/test": () => jsonResponse(200, { ok: true, response_ms: 42, message: "Overseerr answered.", version: "1.33.2" }),
      },
    });
    const user = userEvent.setup();
    const form = await screen.findByTestId("service-form-overseerr");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect(within(form).getByRole("alert").textContent).toBe("Fill in: URL, API key.");
    await user.type(within(form).getByLabelText("URL"), "ftp://o");
    await user.type(within(form).getByLabelText("API key"), "key");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect((await within(form).findByRole("alert")).textContent).toContain("url: the URL must start with http:// or https://");

    await user.clear(within(form).getByLabelText("URL"));
    await user.type(within(form).getByLabelText("URL"), "http://o:5055");
    await user.click(within(form).getByTestId("service-test-overseerr"));
    const outcome = await within(form).findByText("Connected");
    expect(outcome.closest(".test-result")?.textContent).toContain("42 ms · version 1.33.2");
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(2);
    expect(calls.findIndex((c) => c.method === "POST")).toBeGreaterThan(calls.findLastIndex((c) => c.method === "PUT"));
    // The typed key is cleared after saving; the form now says a key is stored.
    expect((within(form).getByLabelText("API key") as HTMLInputElement).value).toBe("");
  });

  it("shows the webhook URLs masked where secret, with copy buttons", async () => {
    const writeText = vi.fn(async () => {});
    vi.spyOn(navigator.clipboard, "writeText").mockImplementation(writeText);
    renderPage(<SetupPage />, { user: admin, path: "/admin/setup", routes: base });
    const field = await screen.findByTestId("webhook-plex-url");
    const input = within(field).getByLabelText("Plex webhook URL") as HTMLInputElement;
    expect(input.type).toBe("password");
    const user = userEvent.setup();
    await user.click(within(field).getByRole("button", { name: "Show Plex webhook URL" }));
    expect(input.type).toBe("text");
    await user.click(within(field).getByRole("button", { name: "Copy Plex webhook URL" }));
    expect(writeText).toHaveBeenCalledWith("https://portal.test/api/v1/webhooks/plex/s3cret");
    expect(await within(field).findByText("Copied.")).toBeTruthy();
    // Rotating is for Admin → Services, not the setup page.
    expect(screen.queryByRole("button", { name: "Rotate secrets" })).toBeNull();
    expect(screen.getByRole("button", { name: "Skip for now" })).toBeTruthy();
  });
});
