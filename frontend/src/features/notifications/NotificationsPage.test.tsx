import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Notification } from "../../lib/types";
import { jsonResponse } from "../../testing/fakes";
import { bodyOf, renderPage } from "../../testing/page";
import { sameSiteLink } from "../../lib/safeRedirect";
import { NotificationsPage } from "./NotificationsPage";

function note(over: Partial<Notification>): Notification {
  return { id: "n1", type: "request", title: "Dune is available", body: "Enjoy.", link: "/library/items/m1", read: false, created_at: "2026-01-01T00:00:00Z", ...over };
}

describe("notifications page", () => {
  it("lists notifications, links only within the site, and marks one or all read", async () => {
    const { calls } = renderPage(<NotificationsPage />, {
      path: "/notifications",
      routes: {
        "GET /auth/notifications": [
          () =>
            jsonResponse(200, {
              items: [
                note({}),
                note({ id: "n2", title: "Evil", link: "https://evil.example/x", read: true }),
                note({ id: "n3", title: "Script", link: "javascript:alert(1)" }),
              ],
              unread: 2,
            }),
          () => jsonResponse(200, { items: [note({ read: true })], unread: 1 }),
          () => jsonResponse(200, { items: [note({ read: true })], unread: 0 }),
        ],
        "POST /auth/notifications/read": () => jsonResponse(200, { updated: 1, unread: 1 }),
      },
    });
    const items = await screen.findAllByTestId("notification-item");
    expect(items).toHaveLength(3);
    expect(within(items[0]!).getByRole("link", { name: "Open" }).getAttribute("href")).toBe("/library/items/m1");
    expect(within(items[1]!).queryByRole("link")).toBeNull();
    expect(within(items[2]!).queryByRole("link")).toBeNull();
    expect(within(items[0]!).getByText("Unread:")).toBeTruthy();

    const user = userEvent.setup();
    await user.click(within(items[0]!).getByRole("button", { name: "Mark “Dune is available” read" }));
    await waitFor(() => expect(calls.filter((c) => c.method === "POST")).toHaveLength(1));
    expect(bodyOf(calls.find((c) => c.method === "POST"))).toEqual({ ids: ["n1"] });

    await user.click(await screen.findByRole("button", { name: "Mark all read" }));
    await waitFor(() => expect(calls.filter((c) => c.method === "POST")).toHaveLength(2));
    expect(bodyOf(calls.filter((c) => c.method === "POST")[1])).toEqual({});
    await waitFor(() => expect(screen.queryByRole("button", { name: "Mark all read" })).toBeNull());
  });

  it("filters to unread ones through the address", async () => {
    const { calls, at } = renderPage(<NotificationsPage />, {
      path: "/notifications",
      routes: { "GET /auth/notifications": () => jsonResponse(200, { items: [], unread: 0 }) },
    });
    expect(await screen.findByText("No notifications yet.")).toBeTruthy();
    await userEvent.setup().click(screen.getByLabelText(/Unread only/));
    expect(at()).toBe("/notifications?unread=1");
    expect(await screen.findByText("Nothing unread.")).toBeTruthy();
    expect(calls.at(-1)?.url.searchParams.get("unread")).toBe("true");
  });

  it.each([
    ["/requests", "/requests"],
    ["/library/items/1?x=1#y", "/library/items/1?x=1#y"],
    ["//evil.example/", null],
    ["https://evil.example/", null],
    ["javascript:alert(1)", null],
    [null, null],
  ])("keeps %j as %j", (link, expected) => {
    expect(sameSiteLink(link)).toBe(expected);
  });
});
