import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { Route } from "wouter";
import { apiError, jsonResponse } from "../../testing/fakes";
import { renderPage } from "../../testing/page";
import { ItemDetailPage } from "./ItemDetailPage";
import { LibraryPage } from "./LibraryPage";

const sections = [
  { id: 1, title: "Films", type: "movie", count: 3 },
  { id: 2, title: "Shows", type: "show", count: 1 },
];

function item(n: number) {
  return { id: `m${n}`, title: `Film ${n}`, year: 2000 + n, type: "movie", thumb_url: `/api/v1/media/thumb/m${n}`, added_at: null };
}

describe("library", () => {
  it("shows the first section's posters, titles visible, and loads the next page on demand", async () => {
    const { calls } = renderPage(<LibraryPage />, {
      path: "/library",
      routes: {
        "GET /media/libraries": () => jsonResponse(200, sections),
        "GET /media/libraries/1/items": (url) =>
          url.searchParams.get("offset") === "0"
            ? jsonResponse(200, { items: [item(1), item(2)], total: 3 })
            : jsonResponse(200, { items: [item(3)], total: 3 }),
      },
    });
    const grid = await screen.findByRole("list", { name: "Films" });
    expect(within(grid).getAllByTestId("poster-card")).toHaveLength(2);
    expect(within(grid).getByText("Film 1")).toBeTruthy();
    expect(within(grid).getByText("2001")).toBeTruthy();
    const img = grid.querySelector("img");
    expect(img?.getAttribute("loading")).toBe("lazy");
    expect(screen.getByRole("link", { name: /Films/ }).getAttribute("aria-current")).toBe("page");
    expect(screen.getByText("Showing 2 of 3")).toBeTruthy();

    await userEvent.setup().click(screen.getByRole("button", { name: "Show more" }));
    expect(await within(grid).findByText("Film 3")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Show more" })).toBeNull();
    const pageCalls = calls.filter((c) => c.path === "/media/libraries/1/items");
    expect(pageCalls.map((c) => c.url.searchParams.get("offset"))).toEqual(["0", "2"]);
    expect(pageCalls[0]?.url.searchParams.get("sort")).toBe("title");
    expect(pageCalls[0]?.url.searchParams.get("limit")).toBe("60");
  });

  it("passes the chosen sort through and keeps section and sort in the address", async () => {
    const { calls, at } = renderPage(<LibraryPage />, {
      path: "/library?section=2",
      routes: {
        "GET /media/libraries": () => jsonResponse(200, { items: sections }),
        "GET /media/libraries/2/items": () => jsonResponse(200, { items: [item(9)], total: 1 }),
      },
    });
    await screen.findByText("Film 9");
    await userEvent.setup().selectOptions(screen.getByLabelText("Sort by"), "-added");
    await waitFor(() => expect(calls.filter((c) => c.path === "/media/libraries/2/items")).toHaveLength(2));
    expect(calls.at(-1)?.url.searchParams.get("sort")).toBe("-added");
    expect(at()).toBe("/library?section=2&sort=-added");
  });

  it("searches across the library and offers Discover when nothing matches", async () => {
    const { calls, at } = renderPage(<LibraryPage />, {
      path: "/library",
      routes: {
        "GET /media/libraries": () => jsonResponse(200, sections),
        "GET /media/libraries/1/items": () => jsonResponse(200, { items: [], total: 0 }),
        "GET /media/search": (url) =>
          url.searchParams.get("q") === "dune"
            ? jsonResponse(200, { items: [{ ...item(4), title: "Dune" }] })
            : jsonResponse(200, { items: [] }),
      },
    });
    expect(await screen.findByText("Films is empty.")).toBeTruthy();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Search the library"), "dune");
    expect(await screen.findByText("Dune", {}, { timeout: 2000 })).toBeTruthy();
    expect(at()).toBe("/library?q=dune");
    expect(calls.find((c) => c.path === "/media/search")?.url.searchParams.get("q")).toBe("dune");

    await user.clear(screen.getByLabelText("Search the library"));
    await user.type(screen.getByLabelText("Search the library"), "zzz");
    const link = await screen.findByRole("link", { name: /Look for it in Discover/ }, { timeout: 2000 });
    expect(link.getAttribute("href")).toBe("/discover?q=zzz");
  });

  it("says what to do when the library can't be loaded, and retries", async () => {
    renderPage(<LibraryPage />, {
      path: "/library",
      routes: {
        "GET /media/libraries": [() => apiError(503, "service_unavailable", "Plex is not answering."), () => jsonResponse(200, [])],
      },
    });
    expect((await screen.findByRole("alert")).textContent).toContain("Plex is not answering.");
    await userEvent.setup().click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Plex has no libraries to show.")).toBeTruthy();
  });
});

describe("item detail", () => {
  it("shows the poster, facts, genres, summary and seasons as text", async () => {
    renderPage(<Route path="/library/items/:id" component={ItemDetailPage} />, {
      path: "/library/items/s1",
      routes: {
        "GET /media/items/s1": () =>
          jsonResponse(200, {
            id: "s1",
            title: "Severance",
            year: 2022,
            type: "show",
            thumb_url: "/api/v1/media/thumb/s1",
            art_url: "/api/v1/media/thumb/s1?kind=art",
            summary: "<script>alert(1)</script> Office workers.",
            rating: 8.7,
            duration: 3000,
            genres: ["Drama", { tag: "Mystery" }],
            seasons: [{ id: "se1", index: 1, title: "Season 1", leaf_count: 9 }, { id: "se2", index: 2 }],
          }),
      },
    });
    expect(await screen.findByRole("heading", { level: 1, name: "Severance" })).toBeTruthy();
    expect(document.title).toBe("Severance · MediaNest");
    expect(screen.getByText("50 min")).toBeTruthy();
    expect(screen.getByText(/8\.7 \/ 10/)).toBeTruthy();
    expect(within(screen.getByRole("list", { name: "Genres" })).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["Drama", "Mystery"]);
    expect(screen.getByText("<script>alert(1)</script> Office workers.")).toBeTruthy();
    expect(document.querySelector("script")).toBeNull();
    expect(screen.getByRole("heading", { name: "2 seasons" })).toBeTruthy();
    expect(screen.getByText("9 episodes")).toBeTruthy();
    expect(screen.getByText("Season 2")).toBeTruthy();
  });

  it("says plainly when the item is gone from Plex", async () => {
    renderPage(<Route path="/library/items/:id" component={ItemDetailPage} />, {
      path: "/library/items/x",
      routes: { "GET /media/items/x": () => apiError(404, "not_found", "That item was not found.") },
    });
    expect(await screen.findByText("This item is no longer in the Plex library.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
    expect(screen.getByRole("link", { name: /Library/ }).getAttribute("href")).toBe("/library");
  });
});
