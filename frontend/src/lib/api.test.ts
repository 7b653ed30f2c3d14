import { describe, expect, it, vi } from "vitest";
import { apiError, jsonResponse, routeFetch } from "../testing/fakes";
import { ApiError, createApiClient } from "./api";

function headersOf(init: RequestInit): Record<string, string> {
  return (init.headers ?? {}) as Record<string, string>;
}

describe("api client", () => {
  it("sends the CSRF cookie as X-CSRF-Token on state-changing requests only", async () => {
    document.cookie = "mn_csrf=tok%20123; path=/";
    const { fetch, calls } = routeFetch({
      "GET /media/recent": () => jsonResponse(200, { items: [] }),
      "POST /media/requests": () => jsonResponse(201, { id: "r1" }),
      "DELETE /media/requests/r1": () => new Response(null, { status: 204 }),
    });
    const api = createApiClient({ fetch });

    await api.get("/media/recent", { query: { limit: 5, skip: undefined } });
    await expect(api.post("/media/requests", { tmdb_id: 1 })).resolves.toEqual({ id: "r1" });
    await expect(api.delete("/media/requests/r1")).resolves.toBeUndefined();

    expect(calls[0]?.url.search).toBe("?limit=5");
    expect(headersOf(calls[0]!.init)["X-CSRF-Token"]).toBeUndefined();
    expect(headersOf(calls[1]!.init)["X-CSRF-Token"]).toBe("tok 123");
    expect(headersOf(calls[1]!.init)["Content-Type"]).toBe("application/json");
    expect(calls[1]!.init.body).toBe(JSON.stringify({ tmdb_id: 1 }));
    expect(headersOf(calls[2]!.init)["X-CSRF-Token"]).toBe("tok 123");
  });

  it("unwraps the error shape into ApiError", async () => {
    const { fetch } = routeFetch({
      "POST /media/requests": () =>
        jsonResponse(409, { error: { code: "already_requested", message: "Already requested.", request_id: "abc" } }),
    });
    const api = createApiClient({ fetch });
    const err = await api.post("/media/requests", {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: "already_requested", message: "Already requested.", requestId: "abc" });
  });

  it("turns non-JSON errors, rate limits and network failures into ApiError too", async () => {
    const { fetch } = routeFetch({
      "GET /status/": [
        () => new Response("<html>Bad gateway</html>", { status: 502, headers: { "X-Request-Id": "gw-1" } }),
        () => apiError(429, "rate_limited", "Slow down."),
      ],
    });
    const api = createApiClient({ fetch });
    await expect(api.get("/status/")).rejects.toMatchObject({ status: 502, code: "http_502", requestId: "gw-1" });
    await expect(api.get("/status/")).rejects.toMatchObject({ status: 429, code: "rate_limited" });

    const offline = createApiClient({ fetch: vi.fn().mockRejectedValue(new TypeError("Failed to fetch")) });
    await expect(offline.get("/status/")).rejects.toMatchObject({ status: 0, code: "network_error" });
  });

  it("refreshes once for concurrent 401s, then retries each call", async () => {
    let refreshed = false;
    const { fetch, calls } = routeFetch({
      "GET /status/": () => (refreshed ? jsonResponse(200, ["ok"]) : apiError(401, "unauthenticated")),
      "GET /media/recent": () => (refreshed ? jsonResponse(200, { items: [1] }) : apiError(401, "unauthenticated")),
      "POST /auth/refresh": async () => {
        await new Promise((r) => setTimeout(r, 10));
        refreshed = true;
        return jsonResponse(200, {});
      },
    });
    const onUnauthenticated = vi.fn();
    const api = createApiClient({ fetch, onUnauthenticated });

    const [a, b] = await Promise.all([api.get("/status/"), api.get("/media/recent")]);

    expect(a).toEqual(["ok"]);
    expect(b).toEqual({ items: [1] });
    expect(calls.filter((c) => c.path === "/auth/refresh")).toHaveLength(1);
    expect(calls.filter((c) => c.path === "/status/")).toHaveLength(2);
    expect(calls.filter((c) => c.path === "/media/recent")).toHaveLength(2);
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it("does not refresh again for a 401 that raced an already finished refresh", async () => {
    let refreshed = false;
    let releaseSlow: () => void = () => {};
    const slowGate = new Promise<void>((r) => (releaseSlow = r));
    const { fetch, calls } = routeFetch({
      "GET /fast": () => (refreshed ? jsonResponse(200, "fast") : apiError(401, "unauthenticated")),
      // Sent before the refresh, answered 401 only after it completed.
      "GET /slow": [
        async () => {
          await slowGate;
          return apiError(401, "unauthenticated");
        },
        () => jsonResponse(200, "slow"),
      ],
      "POST /auth/refresh": () => {
        refreshed = true;
        return jsonResponse(200, {});
      },
    });
    const api = createApiClient({ fetch });
    const slow = api.get("/slow");
    await expect(api.get("/fast")).resolves.toBe("fast");
    releaseSlow();
    await expect(slow).resolves.toBe("slow");
    expect(calls.filter((c) => c.path === "/auth/refresh")).toHaveLength(1);
  });

  it("gives up after a failed refresh: ApiError 401 and the sign-in handler", async () => {
    const { fetch, calls } = routeFetch({
      "GET /auth/me": () => apiError(401, "unauthenticated", "Sign in first."),
      "POST /auth/refresh": () => apiError(401, "unauthenticated", "Session revoked."),
    });
    const onUnauthenticated = vi.fn();
    const api = createApiClient({ fetch, onUnauthenticated });

    await expect(api.get("/auth/me")).rejects.toMatchObject({ status: 401, code: "unauthenticated" });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(["GET /auth/me", "POST /auth/refresh"]);
  });

  it("leaves 401s of pre-session routes alone (wrong password is not an expired session)", async () => {
    const { fetch, calls } = routeFetch({
      "POST /auth/login": () => apiError(401, "invalid_credentials", "Wrong username or password."),
    });
    const onUnauthenticated = vi.fn();
    const api = createApiClient({ fetch, onUnauthenticated });
    await expect(api.post("/auth/login", { username: "a", password: "b" }, { anonymous: true })).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    expect(calls).toHaveLength(1);
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });
});
