// The one HTTP client for /api/v1. Every call goes through `request`, which adds the CSRF header,
// turns error bodies into ApiError, and renews an expired session once before giving up.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    /** Seconds from a 429's Retry-After header, when present. */
    readonly retryAfter: number | null = null,
    /** Per-field problems of a 422 (`details: [{field, message}]`), when the server lists them. */
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

export function isApiError(err: unknown, status?: number, code?: string): err is ApiError {
  return (
    err instanceof ApiError &&
    (status === undefined || err.status === status) &&
    (code === undefined || err.code === code)
  );
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: Method;
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /**
   * For the pre-session routes (setup, login, Plex PIN): a 401 there means "wrong credentials",
   * not "session expired", so it must not trigger a refresh or a trip to the sign-in page.
   */
  anonymous?: boolean;
}

export interface ApiClientConfig {
  baseUrl?: string;
  fetch?: typeof fetch;
  readCookie?: (name: string) => string | null;
  /** Called when the session is gone for good (refresh failed). */
  onUnauthenticated?: () => void;
}

export const CSRF_COOKIE = "mn_csrf";
export const CSRF_HEADER = "X-CSRF-Token";

export function readDocumentCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

function buildUrl(base: string, path: string, query?: Record<string, QueryValue>): string {
  let url = base + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) params.set(key, String(value));
    }
    const qs = params.toString();
    if (qs) url += (url.includes("?") ? "&" : "?") + qs;
  }
  return url;
}

async function toApiError(res: Response): Promise<ApiError> {
  const headerId = res.headers.get("X-Request-Id");
  const retry = Number(res.headers.get("Retry-After"));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's HTML error page, an empty body): fall through to the generic message.
  }
  const err = (
    body as { error?: { code?: unknown; message?: unknown; request_id?: unknown; details?: unknown } } | null
  )?.error;
  if (err && typeof err.code === "string") {
    return new ApiError(
      res.status,
      err.code,
      typeof err.message === "string" ? err.message : fallbackMessage(res.status),
      typeof err.request_id === "string" ? err.request_id : headerId,
      retryAfter,
      fieldProblems(err.details),
    );
  }
  return new ApiError(res.status, `http_${res.status}`, fallbackMessage(res.status), headerId, retryAfter);
}

function fieldProblems(details: unknown): FieldProblem[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d: unknown) => {
    const { field, message } = (d ?? {}) as { field?: unknown; message?: unknown };
    return typeof field === "string" && typeof message === "string" ? [{ field, message }] : [];
  });
}

function fallbackMessage(status: number): string {
  if (status === 429) return "Too many requests. Wait a moment and try again.";
  if (status >= 500) return "The server had a problem. Try again in a moment.";
  return `The request failed (HTTP ${status}).`;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient(config: ApiClientConfig = {}) {
  const base = config.baseUrl ?? "/api/v1";
  const readCookie = config.readCookie ?? readDocumentCookie;
  let onUnauthenticated = config.onUnauthenticated ?? (() => {});
  // Bumped after each successful refresh, so a request that was already in flight when another
  // call renewed the session retries directly instead of refreshing a second time.
  let generation = 0;
  let refreshing: Promise<boolean> | null = null;

  async function send(path: string, opts: RequestOptions): Promise<Response> {
    const method = opts.method ?? "GET";
    const headers: Record<string, string> = { Accept: "application/json" };
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET") {
      const token = readCookie(CSRF_COOKIE);
      if (token) headers[CSRF_HEADER] = token;
    }
    const doFetch = config.fetch ?? globalThis.fetch;
    try {
      return await doFetch(buildUrl(base, path, opts.query), {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        credentials: "same-origin",
        signal: opts.signal,
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") throw err;
      throw new ApiError(0, "network_error", "Cannot reach MediaNest. Check your connection.", null);
    }
  }

  function refreshSession(): Promise<boolean> {
    // Single flight: concurrent 401s share one refresh, because the refresh token rotates and a
    // second use of the old one would revoke the whole session.
    refreshing ??= send("/auth/refresh", { method: "POST" })
      .then((res) => {
        if (res.ok) generation += 1;
        return res.ok;
      })
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const startedAt = generation;
    let res = await send(path, opts);
    if (res.status === 401 && !opts.anonymous) {
      const renewed = generation !== startedAt || (await refreshSession());
      if (renewed) res = await send(path, opts);
      if (res.status === 401) {
        const error = await toApiError(res);
        onUnauthenticated();
        throw error;
      }
    }
    if (!res.ok) throw await toApiError(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    request,
    get: <T>(path: string, opts?: Omit<RequestOptions, "method" | "body">) =>
      request<T>(path, { ...opts, method: "GET" }),
    post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, "method" | "body">) =>
      request<T>(path, { ...opts, method: "POST", body }),
    put: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, "method" | "body">) =>
      request<T>(path, { ...opts, method: "PUT", body }),
    patch: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, "method" | "body">) =>
      request<T>(path, { ...opts, method: "PATCH", body }),
    delete: <T>(path: string, opts?: Omit<RequestOptions, "method" | "body">) =>
      request<T>(path, { ...opts, method: "DELETE" }),
    setUnauthenticatedHandler(handler: () => void) {
      onUnauthenticated = handler;
    },
  };
}

/** The app's client. The shell installs the sign-in redirect with setUnauthenticatedHandler. */
export const api = createApiClient();
