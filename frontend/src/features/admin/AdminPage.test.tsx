import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { apiError, jsonResponse } from "../../testing/fakes";
import { admin, bodyOf, friend, renderPage } from "../../testing/page";
import { AdminPage } from "./AdminPage";

const overseerr = {
  name: "overseerr",
  display_name: "Overseerr",
  url: "http://o:5055",
  enabled: true,
  configured: true,
  api_key_set: true,
  options: { quota_movies_per_week: 5, quota_seasons_per_week: null },
  machine_identifier: null,
  updated_at: "2026-01-01T00:00:00Z",
};

const servicesRoutes = {
  "GET /status/services": () => jsonResponse(200, [overseerr]),
  "GET /status/webhooks": () =>
    jsonResponse(200, { plex_url: "https://p/api/v1/webhooks/plex/old", overseerr_url: "https://p/api/v1/webhooks/overseerr", overseerr_authorization: "old" }),
  "GET /status/public": () => apiError(404, "not_found", "The public status page is turned off."),
};

function userRow(over: Record<string, unknown>) {
  return {
    id: "u1",
    username: "friend",
    email: "friend@example.com",
    role: "user",
    status: "active",
    thumb_url: null,
    is_local: false,
    created_at: "2026-01-01T00:00:00Z",
    last_login_at: "2026-01-02T00:00:00Z",
    request_count: 3,
    download_count: 1,
    ...over,
  };
}

describe("admin", () => {
  it("is only for admins", () => {
    renderPage(<AdminPage />, { path: "/admin" });
    expect(screen.getByText("This page is for admins.")).toBeTruthy();
    expect(friend.role).toBe("user");
  });

  it("shows service settings without the stored key, rotates webhook secrets after confirming, and flips the public page", async () => {
    const { calls } = renderPage(<AdminPage />, {
      user: admin,
      path: "/admin",
      routes: {
        ...servicesRoutes,
        "POST /status/webhooks/rotate": () =>
          jsonResponse(200, { plex_url: "https://p/api/v1/webhooks/plex/new", overseerr_url: "https://p/api/v1/webhooks/overseerr", overseerr_authorization: "new" }),
        "PUT /status/public": () => jsonResponse(200, { enabled: true }),
      },
    });
    const form = await screen.findByTestId("service-form-overseerr");
    expect(within(form).getByText("Key set")).toBeTruthy();
    expect((within(form).getByLabelText("API key") as HTMLInputElement).value).toBe("");
    expect((within(form).getByLabelText("URL") as HTMLInputElement).value).toBe("http://o:5055");
    expect((within(form).getByLabelText("Film requests per user per week") as HTMLInputElement).value).toBe("5");
    expect(screen.getByRole("link", { name: "Services" }).getAttribute("aria-current")).toBe("page");
    expect(screen.getByRole("link", { name: "Open first-run setup" }).getAttribute("href")).toBe("/admin/setup");

    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Rotate secrets" }));
    const dialog = await screen.findByRole("dialog", { name: "Make new webhook secrets?" });
    expect(calls.some((c) => c.path === "/status/webhooks/rotate")).toBe(false);
    await user.click(within(dialog).getByRole("button", { name: "Rotate secrets" }));
    expect(await screen.findByText("New webhook secrets made")).toBeTruthy();
    await waitFor(() =>
      expect((screen.getByLabelText("Overseerr authorization header") as HTMLInputElement).value).toBe("new"),
    );

    const toggle = within(screen.getByTestId("public-status-toggle")).getByRole("switch") as HTMLInputElement;
    expect(toggle.checked).toBe(false);
    await user.click(toggle);
    await waitFor(() => expect(toggle.checked).toBe(true));
    expect(bodyOf(calls.find((c) => c.method === "PUT"))).toEqual({ enabled: true });
  });

  it("shows a save warning when the service was saved but did not answer", async () => {
    renderPage(<AdminPage />, {
      user: admin,
      path: "/admin",
      routes: {
        ...servicesRoutes,
        "PUT /status/services/overseerr": () => jsonResponse(200, { ...overseerr, warning: "Saved, but the service did not answer: timed out" }),
      },
    });
    const form = await screen.findByTestId("service-form-overseerr");
    await userEvent.setup().click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("Saved, but the service did not answer: timed out")).toBeTruthy();
  });

  it("lists users with role, status, last sign-in and counts; disables after confirming; explains last_admin", async () => {
    let friendStatus = "active";
    const { calls } = renderPage(<AdminPage />, {
      user: admin,
      path: "/admin/users",
      routes: {
        "GET /auth/users": () =>
          jsonResponse(200, {
            items: [userRow({ id: "u0", username: "admin", role: "admin", is_local: true, email: null }), userRow({ status: friendStatus })],
            total: 2,
          }),
        "PATCH /auth/users/u1": () => {
          friendStatus = "disabled";
          return jsonResponse(200, userRow({ status: "disabled" }));
        },
        "PATCH /auth/users/u0": () => apiError(409, "last_admin", "The last active admin cannot be demoted or disabled."),
        "POST /auth/users/import": () => jsonResponse(200, { imported: 4, created: 2, items: [] }),
      },
    });
    const rows = await screen.findAllByTestId("admin-user-row");
    expect(rows.map((r) => r.getAttribute("data-username"))).toEqual(["admin", "friend"]);
    const friendRow = rows[1]!;
    expect(within(friendRow).getByText("3 requests · 1 download")).toBeTruthy();
    expect(within(friendRow).getByText("Active")).toBeTruthy();
    expect(within(rows[0]!).getByText("(you)")).toBeTruthy();

    const user = userEvent.setup();
    await user.click(within(friendRow).getByRole("button", { name: "Disable friend" }));
    const dialog = await screen.findByRole("dialog", { name: "Disable friend?" });
    expect(calls.some((c) => c.method === "PATCH")).toBe(false);
    await user.click(within(dialog).getByRole("button", { name: "Disable" }));
    expect(await within(friendRow).findByText("Disabled")).toBeTruthy();
    expect(bodyOf(calls.find((c) => c.method === "PATCH"))).toEqual({ status: "disabled" });
    expect(within(friendRow).getByRole("button", { name: "Enable" })).toBeTruthy();

    await user.selectOptions(within(rows[0]!).getByLabelText("Role of admin"), "user");
    expect((await within(rows[0]!).findByRole("alert")).textContent).toBe(
      "This is the last active admin. Make someone else an admin first.",
    );

    await user.click(screen.getByRole("button", { name: "Import from Plex" }));
    expect(await screen.findByText("Imported 4 people from Plex")).toBeTruthy();
  });

  it("shows the queue with a warning when no worker is alive", async () => {
    renderPage(<AdminPage />, {
      user: admin,
      path: "/admin/queue",
      routes: {
        "GET /downloads/queue": () =>
          jsonResponse(200, {
            queue: "medianest-downloads",
            depth: 2,
            running: [{ job_id: "j1", download_id: "d1", worker: "w1", started_at: "2026-01-01T00:00:00Z" }],
            workers: [],
            workers_alive: 0,
            downloads: { queued: 2, downloading: 1, completed: 0 },
          }),
      },
    });
    expect((await screen.findByRole("alert")).textContent).toMatch(/No download worker is running/);
    expect(screen.getByText("Workers alive").nextElementSibling?.textContent).toContain("0");
    expect(screen.getByText("Waiting").nextElementSibling?.textContent).toBe("2");
    expect(screen.getByText("Download d1")).toBeTruthy();
    expect(screen.getByText("Queued").closest("li")?.textContent).toContain("2");
    expect(screen.queryByText("Completed")).toBeNull();
  });

  it("lists the audit log newest first, with details as plain text", async () => {
    const { calls } = renderPage(<AdminPage />, {
      user: admin,
      path: "/admin/audit",
      routes: {
        "GET /auth/audit": () =>
          jsonResponse(200, {
            items: [
              { id: 2, actor: "admin", action: "user.update", target_type: "user", target_id: "u1",
                details: { status: "disabled", note: "<b>x</b>" }, ip: "127.0.0.1", created_at: "2026-11-24T12:00:00Z" },
            ],
            total: 1,
          }),
      },
    });
    const row = await screen.findByTestId("audit-row");
    expect(row.textContent).toContain("user.update");
    expect(row.textContent).toContain("status: disabled, note: <b>x</b>");
    expect(row.querySelector("b")).toBeNull();
    const call = calls.find((c) => c.path === "/auth/audit");
    expect(call?.url.searchParams.get("offset")).toBe("0");
    expect(call?.url.searchParams.get("limit")).toBe("50");
  });

  it("draws the insights as charts, with the numbers as tables", async () => {
    const { calls } = renderPage(<AdminPage />, {
      user: admin,
      path: "/admin/insights",
      routes: {
        "GET /status/insights": () =>
          jsonResponse(200, {
            days: 30,
            daily_active_users: [
              { day: "2026-01-01T00:00:00Z", users: 2 },
              { day: "2026-01-02T00:00:00Z", users: 5 },
            ],
            requests: [{ day: "2026-01-02T00:00:00Z", submitted: 3, completed: 1 }],
            downloads_per_user: [{ user_id: "u1", username: "friend", downloads: 4, bytes: 3 * 1024 * 1024 * 1024 }],
            queue_wait: [{ day: "2026-01-02T00:00:00Z", mean_seconds: 30, max_seconds: 90 }],
            availability: [
              { service: "plex", day: "2026-01-01T00:00:00Z", availability: 1 },
              { service: "overseerr", day: "2026-01-01T00:00:00Z", availability: 0.5 },
            ],
          }),
      },
    });
    const panel = await screen.findByTestId("admin-insights");
    expect(await within(panel).findByRole("img", { name: "Active users per day" })).toBeTruthy();
    expect(within(panel).getByRole("img", { name: "Service availability per day" })).toBeTruthy();
    expect(within(panel).getByText("3.0 GB · 4 downloads")).toBeTruthy();
    const table = within(panel).getByRole("img", { name: "Active users per day" }).closest("figure")!.querySelector("table")!;
    expect([...table.querySelectorAll("tbody td")].map((td) => td.textContent)).toEqual(["2", "5"]);
    expect(calls[0]?.url.searchParams.get("days")).toBe("30");

    await userEvent.setup().selectOptions(within(panel).getByLabelText("Period"), "7");
    await waitFor(() => expect(calls.at(-1)?.url.searchParams.get("days")).toBe("7"));
  });
});
