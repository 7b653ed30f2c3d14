// The Plex PIN sign-in as a small state machine, kept free of React so it can be tested with fake
// popups, timers and API calls. The page opens the popup on the click itself (so blockers allow
// it) and hands it here; without a popup the flow falls back to a full-page redirect and resumes
// polling when Plex sends the browser back.

import { ApiError } from "../../lib/api";
import { closePopupQuietly as closeQuietly, type PopupLike } from "../../lib/plexPopup";
import type { PlexPin, PlexPinPoll } from "./api";
import { sleep as abortableSleep } from "../../lib/sleep";

export type { PopupLike };

export type PlexFailure =
  | "no_server_access"
  | "account_disabled"
  | "expired"
  | "server_not_linked"
  | "popup_closed"
  | "rate_limited"
  | "network"
  | "unknown";

export type PlexSignInState =
  | { phase: "idle" }
  | { phase: "starting" }
  | { phase: "waiting" }
  | { phase: "redirecting" }
  | { phase: "authorized" }
  | { phase: "failed"; reason: PlexFailure; message: string };

export interface PendingPin {
  pin_id: string | number;
  expires_at: string | null;
}

export interface PendingStore {
  save(pin: PendingPin): void;
  load(): PendingPin | null;
  clear(): void;
}

export interface PlexFlowDeps {
  createPin(): Promise<PlexPin>;
  pollPin(pinId: string | number, signal: AbortSignal): Promise<PlexPinPoll>;
  redirect(url: string): void;
  pending: PendingStore;
  /** Where Plex should send the browser back to after a full-page sign-in. */
  returnUrl: string;
  onState?(state: PlexSignInState): void;
  signal: AbortSignal;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  now?(): number;
  intervalMs?: number;
}

export const FAILURE_MESSAGES: Record<PlexFailure, string> = {
  no_server_access:
    "This Plex account has no access to this server. Ask the server owner to share it with you, then try again.",
  account_disabled: "Your MediaNest account is disabled. Ask the admin to enable it again.",
  expired: "The sign-in code expired before Plex confirmed it. Please try again.",
  server_not_linked:
    "The Plex server isn't linked yet. The admin must sign in as local admin and link Plex first.",
  popup_closed: "The Plex window was closed before sign-in finished. Try again when you're ready.",
  rate_limited: "Too many sign-in attempts. Wait a minute, then try again.",
  network: "Cannot reach MediaNest. Check your connection and try again.",
  unknown: "Sign-in failed.",
};

/** Transient failures are retried while polling; this many in a row ends the attempt. */
const MAX_TRANSIENT_FAILURES = 5;

export function failureOf(err: unknown): { reason: PlexFailure; message: string } {
  const fail = (reason: PlexFailure, message = FAILURE_MESSAGES[reason]) => ({ reason, message });
  if (!(err instanceof ApiError)) return fail("unknown");
  if (err.code === "no_server_access") return fail("no_server_access");
  if (err.code === "account_disabled") return fail("account_disabled");
  if (err.code === "server_not_linked" || err.status === 409) return fail("server_not_linked");
  // An unknown PIN (404) is one the server no longer holds: to the user it has expired.
  if (err.status === 410 || err.code === "expired" || err.status === 404) return fail("expired");
  if (err.status === 429) return fail("rate_limited");
  if (err.status === 0) return fail("network");
  return fail("unknown", err.message || FAILURE_MESSAGES.unknown);
}

function isTransient(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 0 || err.status >= 500);
}

/** Adds Plex's forwardUrl to the auth URL (its parameters live in the fragment). */
export function withForwardUrl(authUrl: string, forwardUrl: string): string {
  if (authUrl.includes("forwardUrl=")) return authUrl;
  const param = `forwardUrl=${encodeURIComponent(forwardUrl)}`;
  const hash = authUrl.indexOf("#");
  if (hash >= 0 && authUrl.indexOf("?", hash) >= 0) return `${authUrl}&${param}`;
  if (hash >= 0) return `${authUrl.slice(0, hash)}${authUrl.includes("?") ? "&" : "?"}${param}${authUrl.slice(hash)}`;
  return `${authUrl}${authUrl.includes("?") ? "&" : "?"}${param}`;
}

async function pollUntilDone(
  pinId: string | number,
  expiresAt: string | null,
  popup: PopupLike | null,
  deps: PlexFlowDeps,
): Promise<PlexSignInState> {
  const sleep = deps.sleep ?? abortableSleep;
  const now = deps.now ?? Date.now;
  const deadline = expiresAt ? Date.parse(expiresAt) : Number.NaN;
  let transient = 0;

  const finish = (state: PlexSignInState): PlexSignInState => {
    closeQuietly(popup);
    deps.pending.clear();
    deps.onState?.(state);
    return state;
  };
  const failWith = (reason: PlexFailure, message = FAILURE_MESSAGES[reason]) =>
    finish({ phase: "failed", reason, message });

  for (;;) {
    await sleep(deps.intervalMs ?? 1000, deps.signal);
    if (deps.signal.aborted) {
      closeQuietly(popup);
      return { phase: "idle" };
    }
    // Read before polling: if the user closed the popup right after approving, this last poll
    // still picks the session up.
    const popupClosed = popup !== null && popup.closed;
    try {
      const result = await deps.pollPin(pinId, deps.signal);
      transient = 0;
      if (result.status === "authorized") return finish({ phase: "authorized" });
    } catch (err) {
      if (deps.signal.aborted) return { phase: "idle" };
      if (!isTransient(err)) {
        const { reason, message } = failureOf(err);
        return failWith(reason, message);
      }
      transient += 1;
      if (transient >= MAX_TRANSIENT_FAILURES) return failWith("network");
    }
    if (popupClosed) return failWith("popup_closed");
    if (Number.isFinite(deadline) && now() > deadline) return failWith("expired");
  }
}

/**
 * Starts a sign-in. `popup` is the window the click opened (or null when it was blocked).
 * Resolves with the final state; "redirecting" means the page is leaving for Plex.
 */
export async function startPlexSignIn(popup: PopupLike | null, deps: PlexFlowDeps): Promise<PlexSignInState> {
  deps.onState?.({ phase: "starting" });
  let pin: PlexPin;
  try {
    pin = await deps.createPin();
  } catch (err) {
    closeQuietly(popup);
    const state: PlexSignInState = { phase: "failed", ...failureOf(err) };
    deps.onState?.(state);
    return state;
  }

  if (!popup || popup.closed) {
    deps.pending.save({ pin_id: pin.pin_id, expires_at: pin.expires_at });
    deps.onState?.({ phase: "redirecting" });
    deps.redirect(withForwardUrl(pin.auth_url, deps.returnUrl));
    return { phase: "redirecting" };
  }

  try {
    popup.location.href = pin.auth_url;
  } catch {
    // The popup left our origin already; it still counts as open, polling decides the outcome.
  }
  deps.onState?.({ phase: "waiting" });
  return pollUntilDone(pin.pin_id, pin.expires_at, popup, deps);
}

/** After Plex sends the browser back from a full-page sign-in: finish polling that PIN. */
export async function resumePlexSignIn(deps: PlexFlowDeps): Promise<PlexSignInState | null> {
  const pending = deps.pending.load();
  if (!pending) return null;
  deps.onState?.({ phase: "waiting" });
  return pollUntilDone(pending.pin_id, pending.expires_at, null, deps);
}

const PENDING_KEY = "medianest.plexPin";

export const sessionPendingStore: PendingStore = {
  save(pin) {
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(pin));
  },
  load() {
    try {
      const raw = sessionStorage.getItem(PENDING_KEY);
      const parsed = raw ? (JSON.parse(raw) as PendingPin) : null;
      return parsed && (typeof parsed.pin_id === "string" || typeof parsed.pin_id === "number") ? parsed : null;
    } catch {
      return null;
    }
  },
  clear() {
    sessionStorage.removeItem(PENDING_KEY);
  },
};
