import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { apiError, jsonResponse } from "../../testing/fakes";
import { bodyOf, renderPage } from "../../testing/page";
import type { DiscoverResult } from "./api";
import { DiscoverPage } from "./DiscoverPage";

function result(over: Partial<DiscoverResult>): DiscoverResult {
  return { tmdb_id: 1, media_type: "movie", title: "Dune", year: 2021, poster_url: "/p/dune.jpg", status: "unknown", ...over };
}

const results = [
  result({}),
  result({ tmdb_id: 2, title: "Arrival", status: "available" }),
  result({ tmdb_id: 3, title: "Severance", media_type: "tv", status: "partially_available", season_count: 3 }),
  result({ tmdb_id: 4, title: "Slow Horses", media_type: "tv", status: "unknown" }),
  result({ tmdb_id: 5, title: "Alien", status: "pending" }),
];

function card(title: string): HTMLElement {
  return screen.getByText(title).closest("li")!;
}

describe("discover", () => {
  it("invites a search when there is none", () => {
    renderPage(<DiscoverPage />, { path: "/discover" });
    expect(screen.getByText("Search for a film or a show to request it.")).toBeTruthy();
  });

  it("shows posters with availability as colour, icon and word, and request buttons where they make sense", async () => {
    renderPage(<DiscoverPage />, {
      path: "/discover?q=d",
      routes: { "GET /media/discover": () => jsonResponse(200, { results, page: 1, total_pages: 1 }) },
    });
    await screen.findByText("Dune");
    expect(screen.getAllByTestId("poster-card")).toHaveLength(5);
    expect(within(card("Arrival")).getByText("Available").closest(".badge")?.className).toContain("badge--success");
    expect(within(card("Arrival")).queryByTestId("request-button")).toBeNull();
    expect(within(card("Alien")).getByText("Pending")).toBeTruthy();
    expect(within(card("Alien")).queryByTestId("request-button")).toBeNull();
    expect(within(card("Severance")).getByText("Partly available")).toBeTruthy();
    expect(within(card("Severance")).getByRole("button", { name: "Request more of Severance" })).toBeTruthy();
    expect(within(card("Dune")).getByRole("button", { name: "Request Dune" })).toBeTruthy();
    expect(within(card("Dune")).queryByText("Unknown")).toBeNull();
    // No quota in the answer: none is shown.
    expect(screen.queryByTestId("request-quota")).toBeNull();
  });

  it("requests a film and marks it pending", async () => {
    const { calls } = renderPage(<DiscoverPage />, {
      path: "/discover?q=dune",
      routes: {
        "GET /media/discover": [
          () => jsonResponse(200, { results: [result({})], quota: { movie: { limit: 5, used: 4, remaining: 1, days: 7 } } }),
          () => jsonResponse(200, { results: [result({ status: "pending" })] }),
        ],
        "POST /media/requests": () => jsonResponse(201, { id: "r1" }),
      },
    });
    const user = userEvent.setup();
    expect((await screen.findByTestId("request-quota")).textContent).toContain("1 of 5 film requests left (every 7 days)");
    await user.click(screen.getByRole("button", { name: "Request Dune" }));
    const dialog = await screen.findByRole("dialog", { name: "Request Dune" });
    expect(within(dialog).queryByTestId("season-picker")).toBeNull();
    await user.click(within(dialog).getByRole("button", { name: "Request" }));
    expect(await screen.findByText("Requested Dune")).toBeTruthy();
    expect(bodyOf(calls.find((c) => c.method === "POST"))).toEqual({ media_type: "movie", tmdb_id: 1 });
    await waitFor(() => expect(within(card("Dune")).getByText("Pending")).toBeTruthy());
    expect(within(card("Dune")).queryByTestId("request-button")).toBeNull();
  });

  it("requests chosen seasons of a show from its known seasons", async () => {
    const { calls } = renderPage(<DiscoverPage />, {
      path: "/discover?q=sev",
      routes: {
        "GET /media/discover": () => jsonResponse(200, { results }),
        "POST /media/requests": () => jsonResponse(201, { id: "r2" }),
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Request more of Severance" }));
    const dialog = await screen.findByRole("dialog", { name: "Request Severance" });
    await user.click(within(dialog).getByLabelText("Only some seasons"));
    await user.click(within(dialog).getByRole("button", { name: "Request" }));
    expect(within(dialog).getByRole("alert").textContent).toBe("Tick at least one season.");
    await user.click(within(dialog).getByLabelText("Season 3"));
    await user.click(within(dialog).getByLabelText("Season 2"));
    await user.click(within(dialog).getByRole("button", { name: "Request" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(bodyOf(calls.find((c) => c.method === "POST"))).toEqual({ media_type: "tv", tmdb_id: 3, seasons: [2, 3] });
  });

  it("lets the user type season numbers when the seasons are unknown; all seasons sends none", async () => {
    const { calls } = renderPage(<DiscoverPage />, {
      path: "/discover?q=slow",
      routes: {
        "GET /media/discover": () => jsonResponse(200, { results }),
        "POST /media/requests": [() => apiError(409, "already_requested", "Already requested."), () => jsonResponse(201, { id: "r3" })],
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Request Slow Horses" }));
    let dialog = await screen.findByRole("dialog", { name: "Request Slow Horses" });
    await user.click(within(dialog).getByLabelText("Only some seasons"));
    await user.type(within(dialog).getByLabelText("Season numbers"), "1, 3-4");
    await user.click(within(dialog).getByRole("button", { name: "Request" }));
    expect((await within(dialog).findByTestId("request-error")).textContent).toBe(
      "Slow Horses has already been requested. You'll be told when it's in Plex.",
    );
    expect(bodyOf(calls.find((c) => c.method === "POST"))).toEqual({ media_type: "tv", tmdb_id: 4, seasons: [1, 3, 4] });
    await user.click(within(dialog).getByRole("button", { name: "OK" }));

    await user.click(screen.getByRole("button", { name: "Request Slow Horses" }));
    dialog = await screen.findByRole("dialog", { name: "Request Slow Horses" });
    await user.click(within(dialog).getByRole("button", { name: "Request" }));
    await waitFor(() => expect(calls.filter((c) => c.method === "POST")).toHaveLength(2));
    expect(bodyOf(calls.filter((c) => c.method === "POST")[1])).toEqual({ media_type: "tv", tmdb_id: 4 });
  });

  it("says when the quota is used up, with the server's reset time", async () => {
    renderPage(<DiscoverPage />, {
      path: "/discover?q=dune",
      routes: {
        "GET /media/discover": () => jsonResponse(200, { results: [result({})] }),
        "POST /media/requests": () =>
          apiError(429, "quota_exceeded", "You have used your weekly limit of 5 movies; you can ask again after 2026-03-03 10:00 UTC."),
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Request Dune" }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Request" }));
    expect((await screen.findByTestId("request-error")).textContent).toBe(
      "You have used your weekly limit of 5 movies; you can ask again after 2026-03-03 10:00 UTC.",
    );
  });

  it("loads the next page of results", async () => {
    const { calls } = renderPage(<DiscoverPage />, {
      path: "/discover?q=a",
      routes: {
        "GET /media/discover": (url) =>
          url.searchParams.get("page") === "1"
            ? jsonResponse(200, { results: [result({})], page: 1, total_pages: 2 })
            : jsonResponse(200, { results: [result({ tmdb_id: 9, title: "Amélie" })], page: 2, total_pages: 2 }),
      },
    });
    await screen.findByText("Dune");
    await userEvent.setup().click(screen.getByRole("button", { name: "More results" }));
    expect(await screen.findByText("Amélie")).toBeTruthy();
    expect(calls.map((c) => c.url.searchParams.get("page"))).toEqual(["1", "2"]);
    expect(screen.queryByRole("button", { name: "More results" })).toBeNull();
  });
});
