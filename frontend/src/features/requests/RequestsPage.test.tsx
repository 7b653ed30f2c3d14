import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { createLiveEventDispatcher } from "../../lib/liveEvents";
import type { MediaRequest } from "../../lib/types";
import { apiError, jsonResponse } from "../../testing/fakes";
import { admin, renderPage } from "../../testing/page";
import { Route } from "wouter";
import { RequestDetailPage } from "./RequestDetailPage";
import { RequestsPage } from "./RequestsPage";

function req(over: Partial<MediaRequest>): MediaRequest {
  return {
    id: "r1",
    title: "Dune",
    media_type: "movie",
    tmdb_id: 1,
    status: "pending",
    requested_by: "u1",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...over,
  };
}

describe("my requests", () => {
  it("lists my requests as cards with status, filters by status, and cancels a pending one after confirming", async () => {
    const { calls, at } = renderPage(<RequestsPage />, {
      path: "/requests",
      routes: {
        "GET /media/requests": (url) =>
          url.searchParams.get("status") === "available"
            ? jsonResponse(200, { items: [req({ id: "r2", title: "Arrival", status: "available" })], total: 1 })
            : jsonResponse(200, { items: [req({}), req({ id: "r2", title: "Arrival", status: "available" })], total: 2 }),
        "DELETE /media/requests/r1": () => new Response(null, { status: 204 }),
      },
    });
    expect(await screen.findByRole("heading", { level: 1, name: "My requests" })).toBeTruthy();
    const cards = await screen.findAllByTestId("request-card");
    expect(cards.map((c) => c.getAttribute("data-status"))).toEqual(["pending", "available"]);
    expect(within(cards[0]!).getByText("Pending")).toBeTruthy();
    expect(within(cards[1]!).queryByRole("button")).toBeNull();
    expect(calls[0]?.url.searchParams.get("mine")).toBe("1");
    // Friends get no approve/decline.
    expect(screen.queryByTestId("request-approve")).toBeNull();

    const user = userEvent.setup();
    await user.click(within(cards[0]!).getByRole("button", { name: "Cancel the request for Dune" }));
    const dialog = await screen.findByRole("dialog", { name: "Cancel your request for Dune?" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel request" }));
    expect(await screen.findByText("Request cancelled: Dune")).toBeTruthy();
    expect(calls.some((c) => c.method === "DELETE" && c.path === "/media/requests/r1")).toBe(true);

    await user.selectOptions(screen.getByLabelText("Status"), "available");
    expect(at()).toBe("/requests?status=available");
    await waitFor(() => expect(screen.getAllByTestId("request-card")).toHaveLength(1));
    expect(calls.at(-1)?.url.searchParams.get("status")).toBe("available");
  });

  it("follows live status changes: request:update refetches the list", async () => {
    const { client } = renderPage(<RequestsPage />, {
      path: "/requests",
      routes: {
        "GET /media/requests": [
          () => jsonResponse(200, { items: [req({})], total: 1 }),
          () => jsonResponse(200, { items: [req({ status: "available" })], total: 1 }),
        ],
      },
    });
    expect(await screen.findByText("Pending")).toBeTruthy();
    createLiveEventDispatcher(client).dispatch({ type: "request:update", data: { id: "r1" } });
    expect(await screen.findByText("Available")).toBeTruthy();
  });

  it("says what to do when there are none", async () => {
    renderPage(<RequestsPage />, {
      path: "/requests",
      routes: { "GET /media/requests": () => jsonResponse(200, { items: [], total: 0 }) },
    });
    expect(await screen.findByText("You haven't requested anything yet.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Find something to request" }).getAttribute("href")).toBe("/discover");
  });
});

describe("requests, admin view", () => {
  it("shows everyone's requests with who asked, and approves or declines pending ones", async () => {
    const { calls } = renderPage(<RequestsPage />, {
      user: admin,
      path: "/requests",
      routes: {
        "GET /media/requests": () =>
          jsonResponse(200, {
            items: [req({ requested_by: { id: "u1", username: "friend" } }), req({ id: "r9", title: "Alien", requested_by: { id: "u7", username: "ripley" } })],
            total: 2,
          }),
        "POST /media/requests/r1/approve": () => jsonResponse(200, {}),
        "POST /media/requests/r9/decline": () => jsonResponse(200, {}),
      },
    });
    expect(await screen.findByRole("heading", { level: 1, name: "Requests" })).toBeTruthy();
    await screen.findByText("Dune");
    expect(calls[0]?.url.searchParams.get("mine")).toBeNull();
    expect(screen.getByText(/requested by ripley/)).toBeTruthy();

    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Approve Dune" }));
    expect(await screen.findByText("Request approved: Dune")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Decline Alien" }));
    const dialog = await screen.findByRole("dialog", { name: "Decline Alien?" });
    await user.click(within(dialog).getByRole("button", { name: "Decline" }));
    expect(await screen.findByText("Request declined: Alien")).toBeTruthy();

    await user.click(screen.getByLabelText("Mine"));
    await waitFor(() => expect(calls.at(-1)?.url.searchParams.get("mine")).toBe("1"));
  });
});

describe("requests, paging and detail", () => {
  it("pages through a long list with the page in the address", async () => {
    const { calls, at } = renderPage(<RequestsPage />, {
      path: "/requests",
      routes: {
        "GET /media/requests": (url) =>
          jsonResponse(200, { items: [req({ id: `r${url.searchParams.get("offset")}`, title: `Offset ${url.searchParams.get("offset")}` })], total: 45 }),
      },
    });
    expect(await screen.findByText("Offset 0")).toBeTruthy();
    expect(screen.getByText("Page 1 of 3")).toBeTruthy();
    await userEvent.setup().click(screen.getByRole("button", { name: "Older" }));
    expect(await screen.findByText("Offset 20")).toBeTruthy();
    expect(at()).toBe("/requests?page=2");
    expect(calls.at(-1)?.url.searchParams.get("limit")).toBe("20");
  });

  it("shows one request with its history, where a notification leads", async () => {
    renderPage(<Route path="/requests/:id" component={RequestDetailPage} />, {
      path: "/requests/r1",
      routes: {
        "GET /media/requests/r1": () =>
          jsonResponse(200, {
            ...req({ status: "available", media_type: "tv", seasons: [1, 2], requested_by: { id: "u1", username: "friend" } }),
            history: [
              { status: "pending", source: "user", note: "Requested", created_at: "2026-01-01T00:00:00Z" },
              { status: "available", source: "webhook", note: null, created_at: "2026-01-03T00:00:00Z" },
            ],
          }),
      },
    });
    expect(await screen.findByRole("heading", { level: 1, name: "Dune" })).toBeTruthy();
    expect(screen.getByText("Seasons: 1, 2")).toBeTruthy();
    const items = within(screen.getByRole("list", { name: "Status history" })).getAllByRole("listitem");
    expect(items.map((li) => li.querySelector(".badge")?.textContent)).toEqual(["Available", "Pending"]);
    expect(items[0]?.textContent).toContain("reported by Overseerr or Plex");
    expect(screen.getByText("Requested")).toBeTruthy();
  });

  it("says so when the request is gone", async () => {
    renderPage(<Route path="/requests/:id" component={RequestDetailPage} />, {
      path: "/requests/zz",
      routes: { "GET /media/requests/zz": () => apiError(404, "not_found", "That request was not found.") },
    });
    expect(await screen.findByText("This request is no longer there.")).toBeTruthy();
  });
});
