import { describe, expect, it } from "vitest";
import type { ServiceConfig } from "./api";
import { linePath, niceMax } from "./charts";
import { dayAxis } from "./InsightsPanel";
import { missingFields, toFormValues, toUpdate } from "./serviceForm";

function svc(over: Partial<ServiceConfig>): ServiceConfig {
  return { name: "overseerr", display_name: "Overseerr", url: null, enabled: false, configured: false, api_key_set: false, options: {}, updated_at: null, ...over };
}

describe("service form", () => {
  it("never fills in a stored key and leaves it out of the update unless a new one is typed", () => {
    const stored = svc({ url: "http://o:5055", enabled: true, configured: true, api_key_set: true, updated_at: "2026-01-01T00:00:00Z" });
    const values = toFormValues(stored);
    expect(values.apiKey).toBe("");
    expect(toUpdate(stored, values)).toEqual({
      url: "http://o:5055",
      enabled: true,
      options: { quota_movies_per_week: null, quota_seasons_per_week: null },
    });
    expect(toUpdate(stored, { ...values, apiKey: " new " }).api_key).toBe("new");
    expect(missingFields(stored, values)).toEqual([]);
  });

  it("switches a never-saved service on and asks for what it needs", () => {
    const kuma = svc({ name: "uptime_kuma", display_name: "Uptime Kuma" });
    const values = toFormValues(kuma);
    expect(values.enabled).toBe(true);
    expect(missingFields(kuma, values)).toEqual(["URL", "Status page slug"]);
    expect(toUpdate(kuma, { ...values, url: " http://k:3001 ", slug: "home" })).toEqual({
      url: "http://k:3001",
      enabled: true,
      options: { slug: "home" },
    });
    expect(missingFields(svc({}), toFormValues(svc({})))).toEqual(["URL", "API key"]);
    // A switched-off service needs nothing.
    expect(missingFields(kuma, { ...values, enabled: false })).toEqual([]);
  });

  it("sends YouTube no URL and only its own options", () => {
    const yt = svc({
      name: "youtube",
      display_name: "YouTube",
      enabled: true,
      configured: true,
      updated_at: "2026-01-01T00:00:00Z",
      options: { allowed_hosts: ["youtube.com"], library_folder: "youtube", hourly_quota: 5, max_items: 50, min_free_gb: 5 },
    });
    const values = toFormValues(yt);
    expect(values.allowedHosts).toBe("youtube.com");
    expect(toUpdate(yt, { ...values, allowedHosts: "youtube.com, youtu.be", hourlyQuota: "10" })).toEqual({
      url: null,
      enabled: true,
      options: { allowed_hosts: ["youtube.com", "youtu.be"], library_folder: "youtube", hourly_quota: 10, max_items: 50, min_free_gb: 5 },
    });
  });
});

describe("charts", () => {
  it.each([
    [0, 1],
    [3, 5],
    [7, 10],
    [12, 20],
    [100, 100],
    [101, 200],
  ])("rounds %i up to %i for the axis", (value, nice) => {
    expect(niceMax(value)).toBe(nice);
  });

  it("draws gaps where a day has no value", () => {
    const d = linePath([1, null, 2, 2], 2);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.match(/L/g)).toHaveLength(1);
  });

  it("puts the days of several series on one sorted axis", () => {
    expect(dayAxis([{ day: "2026-01-02T00:00:00Z" }], [{ day: "2026-01-01T00:00:00Z" }, { day: "2026-01-02T00:00:00Z" }])).toEqual([
      "2026-01-01T00:00:00Z",
      "2026-01-02T00:00:00Z",
    ]);
  });
});
