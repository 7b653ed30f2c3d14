import { describe, expect, it } from "vitest";
import { ApiError } from "../../lib/api";
import { knownSeasons, parseSeasonList, requestErrorText, type DiscoverResult } from "./api";
import { quotaText, readQuota } from "./quota";

const show: DiscoverResult = { tmdb_id: 1, media_type: "tv", title: "Show", year: 2020, poster_url: null, status: "unknown" };

describe("season numbers", () => {
  it.each([
    ["1", [1]],
    ["1, 3, 5-7", [1, 3, 5, 6, 7]],
    ["2 1 2", [1, 2]],
    ["4 - 6; 1", [1, 4, 5, 6]],
  ])("reads %j", (text, expected) => {
    expect(parseSeasonList(text)).toEqual(expected);
  });

  it.each(["", "0", "a", "3-1", "1-500", "-2", "1.5"])("refuses %j", (text) => {
    expect(parseSeasonList(text)).toBeNull();
  });

  it("takes the seasons from the result when it lists them, else from a count, else none", () => {
    expect(knownSeasons({ ...show, seasons: [{ season_number: 2 }, { season_number: 1 }, 2, { season_number: 0 }] })).toEqual([1, 2]);
    expect(knownSeasons({ ...show, season_count: 3 })).toEqual([1, 2, 3]);
    expect(knownSeasons({ ...show, number_of_seasons: 2 })).toEqual([1, 2]);
    expect(knownSeasons(show)).toBeNull();
  });
});

describe("request errors", () => {
  it("explains 409s and the quota in plain words", () => {
    expect(requestErrorText(new ApiError(409, "already_available", "x", null), "Dune")).toEqual({ text: "Dune is already in Plex.", tone: "info" });
    expect(requestErrorText(new ApiError(409, "already_requested", "x", null), "Dune").text).toMatch(/already been requested/);
    expect(requestErrorText(new ApiError(429, "quota_exceeded", "You can ask again after Monday.", null), "Dune")).toEqual({
      text: "You can ask again after Monday.",
      tone: "error",
    });
    // Other conflicts say what the server said.
    expect(requestErrorText(new ApiError(409, "request_in_progress", "Another request of yours is still being sent.", null), "Dune")).toEqual({
      text: "Another request of yours is still being sent.",
      tone: "error",
    });
  });
});

describe("quota", () => {
  it("reads Overseerr's per-type shape and skips unlimited kinds", () => {
    const lines = readQuota({ movie: { limit: 5, used: 3, remaining: 2, days: 7 }, tv: { limit: 0, used: 0 } });
    expect(lines).toHaveLength(1);
    expect(quotaText(lines[0]!)).toBe("2 of 5 film requests left (every 7 days)");
  });

  it("reads a single quota and works the remainder out from used", () => {
    expect(readQuota({ limit: 10, used: 10 }).map(quotaText)).toEqual(["0 of 10 requests left"]);
  });

  it("shows nothing when there is no quota or it makes no sense", () => {
    expect(readQuota(undefined)).toEqual([]);
    expect(readQuota(null)).toEqual([]);
    expect(readQuota("5")).toEqual([]);
    expect(readQuota({ limit: 5 })).toEqual([]);
  });
});
