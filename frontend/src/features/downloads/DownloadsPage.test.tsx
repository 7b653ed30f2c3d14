import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { createLiveEventDispatcher } from "../../lib/liveEvents";
import type { Download } from "../../lib/types";
import { apiError, jsonResponse } from "../../testing/fakes";
import { bodyOf, renderPage } from "../../testing/page";
import { Route } from "wouter";
import { DownloadDetailPage } from "./DownloadDetailPage";
import { DownloadsPage } from "./DownloadsPage";

function dl(over: Partial<Download>): Download {
  return {
    id: "d1",
    url: "https://www.youtube.com/playlist?list=PL1",
    title: "Talks",
    status: "downloading",
    progress: { percent: 40, downloaded_bytes: 40 * 1024 * 1024, total_bytes: 100 * 1024 * 1024, speed: 2 * 1024 * 1024, eta: 30, current_item: "Talk 2", items_done: 1, items_total: 3 },
    files: [],
    collection: "Talks",
    error: null,
    created_at: "2026-01-01T00:00:00Z",
    started_at: "2026-01-01T00:00:01Z",
    completed_at: null,
    ...over,
  };
}

const list = (...items: Download[]) => () => jsonResponse(200, { items, total: items.length });

describe("downloads", () => {
  it("previews a playlist, then queues it with the chosen quality and collection", async () => {
    const { calls } = renderPage(<DownloadsPage />, {
      path: "/downloads",
      routes: {
        "GET /downloads/": list(),
        "POST /downloads/preview": () =>
          jsonResponse(200, {
            title: "Conference 2025",
            kind: "playlist",
            count: 7,
            entries: [1, 2, 3, 4, 5, 6].map((n) => ({ id: `v${n}`, title: `Talk ${n}`, duration: 600 })),
          }),
        "POST /downloads/": () => jsonResponse(202, { id: "d9", status: "queued" }),
      },
    });
    const user = userEvent.setup();
    expect(await screen.findByText("Nothing is downloading.")).toBeTruthy();
    await user.type(screen.getByTestId("download-url"), "https://www.youtube.com/playlist?list=PLx");
    await user.click(screen.getByTestId("download-preview-button"));
    const preview = await screen.findByTestId("download-preview");
    expect(within(preview).getByText("Conference 2025")).toBeTruthy();
    expect(within(preview).getByText("Playlist · 7 videos")).toBeTruthy();
    expect(within(preview).getByText("and 2 more")).toBeTruthy();

    await user.selectOptions(screen.getByTestId("download-quality"), "720p");
    await user.type(screen.getByTestId("download-collection"), "Conf");
    await user.click(screen.getByTestId("download-submit"));
    expect(await screen.findByText("Download queued")).toBeTruthy();
    expect(bodyOf(calls.find((c) => c.method === "POST" && c.path === "/downloads/"))).toEqual({
      url: "https://www.youtube.com/playlist?list=PLx",
      quality: "720p",
      collection: "Conf",
    });
    expect((screen.getByTestId("download-url") as HTMLInputElement).value).toBe("");
  });

  it.each([
    [422, "url_not_allowed", "Only YouTube links.", null, /can't download this link: it must be a YouTube video or playlist\. Only YouTube links\./],
    [422, "too_many_items", "This playlist has more than 50 videos.", null, /^This playlist has more than 50 videos\.$/],
    [429, "rate_limited", "Too many.", "1800", /hourly download limit\. Try again in about 30m 0s/],
    [507, "insufficient_storage", "Disk full.", null, /media disk is nearly full/],
  ])("explains a %i in plain words", async (status, code, message, retryAfter, expected) => {
    renderPage(<DownloadsPage />, {
      path: "/downloads",
      routes: {
        "GET /downloads/": list(),
        "POST /downloads/": () =>
          new Response(JSON.stringify({ error: { code, message, request_id: "r" } }), {
            status,
            headers: { "Content-Type": "application/json", ...(retryAfter ? { "Retry-After": retryAfter } : {}) },
          }),
      },
    });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("download-url"), "https://example.com/x");
    await user.click(screen.getByTestId("download-submit"));
    expect((await screen.findByTestId("download-error")).textContent).toMatch(expected);
  });

  it("moves the progress bar live and shows speed, ETA, current item and items done", async () => {
    const { client } = renderPage(<DownloadsPage />, { path: "/downloads", routes: { "GET /downloads/": list(dl({})) } });
    const card = (await screen.findAllByTestId("download-card"))[0]!;
    const bar = within(card).getByRole("progressbar", { name: "Talks: download progress" });
    expect(bar.getAttribute("aria-valuenow")).toBe("40");
    expect(within(card).getByText("Now: Talk 2")).toBeTruthy();
    expect(within(card).getByText("40% · 1 of 3 videos · 40 MB of 100 MB · 2.0 MB/s · 30s left")).toBeTruthy();

    createLiveEventDispatcher(client).dispatch({
      type: "download:progress",
      data: { id: "d1", progress: { percent: 90, items_done: 2, current_item: "Talk 3" } },
    });
    await waitFor(() => expect(bar.getAttribute("aria-valuenow")).toBe("90"));
    expect(within(card).getByText("Now: Talk 3")).toBeTruthy();
  });

  it("cancels a running download, retries a failed one, and deletes with files", async () => {
    const { calls } = renderPage(<DownloadsPage />, {
      path: "/downloads",
      routes: {
        "GET /downloads/": list(
          dl({}),
          dl({ id: "d2", title: "Broken", status: "failed", error: "Video unavailable", progress: null }),
          dl({ id: "d3", title: "Done", status: "completed", completed_at: "2026-01-01T01:00:00Z" }),
        ),
        "POST /downloads/d1/cancel": () => jsonResponse(200, {}),
        "POST /downloads/d2/retry": () => jsonResponse(202, {}),
        "DELETE /downloads/d3": () => new Response(null, { status: 204 }),
        "GET /downloads/d3": () =>
          jsonResponse(200, {
            ...dl({ id: "d3", title: "Done", status: "completed" }),
            files: [
              { position: 1, title: "Talk 1", status: "completed", name: "Talk 1.mp4", error: null },
              { position: 2, title: null, status: "failed", name: null, error: "Private video" },
            ],
          }),
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Cancel Talks" }));
    await waitFor(() => expect(calls.some((c) => c.path === "/downloads/d1/cancel")).toBe(true));

    const history = screen.getByRole("list", { name: "Finished downloads" });
    expect(within(history).getByText("Video unavailable")).toBeTruthy();
    expect(within(history).queryByRole("button", { name: "Cancel Broken" })).toBeNull();
    await user.click(within(history).getByRole("button", { name: "Retry Broken" }));
    expect(await screen.findByText("Queued again: Broken")).toBeTruthy();

    // The videos are fetched when their list is opened.
    const done = within(history).getByText("Done").closest("li")!;
    expect(calls.some((c) => c.path === "/downloads/d3")).toBe(false);
    await user.click(within(done).getByText("The 3 videos"));
    expect(await within(done).findByText("Talk 1")).toBeTruthy();
    expect(within(done).getByText("Video 2")).toBeTruthy();
    expect(within(done).getByText("Private video")).toBeTruthy();
    await user.click(within(history).getByRole("button", { name: "Delete Done" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete Done?" });
    await user.click(within(dialog).getByLabelText("Also delete the downloaded files and the Plex collection"));
    await user.click(within(dialog).getByRole("button", { name: "Delete" }));
    expect(await screen.findByText("Deleted Done and its files")).toBeTruthy();
    expect(calls.find((c) => c.method === "DELETE")?.url.searchParams.get("files")).toBe("1");
  });

  it("deletes only the record when the box is left unticked", async () => {
    const { calls } = renderPage(<DownloadsPage />, {
      path: "/downloads",
      routes: {
        "GET /downloads/": list(dl({ id: "d3", title: "Done", status: "cancelled", progress: null })),
        "DELETE /downloads/d3": () => new Response(null, { status: 204 }),
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Delete Done" }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(calls.some((c) => c.method === "DELETE")).toBe(true));
    expect(calls.find((c) => c.method === "DELETE")?.url.search).toBe("");
  });

  it("shows an error state that retries", async () => {
    renderPage(<DownloadsPage />, {
      path: "/downloads",
      routes: { "GET /downloads/": [() => apiError(500, "internal_error", "Something went wrong on our side."), list()] },
    });
    await userEvent.setup().click(await screen.findByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Nothing is downloading.")).toBeTruthy();
  });
});

describe("one download", () => {
  it("shows the download with its videos, and goes back to the list after deleting it", async () => {
    const { at } = renderPage(<Route path="/downloads/:id" component={DownloadDetailPage} />, {
      path: "/downloads/d3",
      routes: {
        "GET /downloads/d3": () =>
          jsonResponse(200, {
            ...dl({ id: "d3", title: "Done", status: "completed", completed_at: "2026-01-01T01:00:00Z" }),
            files: [{ position: 1, title: "Talk 1", status: "completed", name: "Talk 1.mp4", error: null }],
          }),
        "DELETE /downloads/d3": () => new Response(null, { status: 204 }),
      },
    });
    expect(await screen.findByRole("heading", { level: 1, name: "Done" })).toBeTruthy();
    expect(await screen.findByText("Talk 1")).toBeTruthy();
    const bar = screen.getByRole("progressbar", { name: "Done: download progress" });
    expect(bar.getAttribute("aria-valuenow")).toBe("100");
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Delete Done" }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(at()).toBe("/downloads"));
  });

  it("says so when the download is gone", async () => {
    renderPage(<Route path="/downloads/:id" component={DownloadDetailPage} />, {
      path: "/downloads/zz",
      routes: { "GET /downloads/zz": () => apiError(404, "not_found", "That download was not found.") },
    });
    expect(await screen.findByText("This download is no longer there.")).toBeTruthy();
  });
});
