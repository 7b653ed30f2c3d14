// Linking the Plex server by the owner's sign-in, as a plain async flow (tested without React):
// create a PIN, send the popup to Plex, poll every second until plex.tv confirms, and hand back the
// owner's servers to pick from. Picking one is a separate call made by the page.

import { ApiError } from "../../lib/api";
import { closePopupQuietly, type PopupLike } from "../../lib/plexPopup";
import type { LinkPin, LinkStatus, PlexServer } from "./api";
import { sleep as abortableSleep } from "../../lib/sleep";

export type LinkOutcome =
  | { kind: "servers"; pinId: number | string; servers: PlexServer[] }
  | { kind: "failed"; message: string }
  | { kind: "aborted" };

export interface LinkDeps {
  startPin(): Promise<LinkPin>;
  pollPin(pinId: number | string, signal: AbortSignal): Promise<LinkStatus>;
  /** The PIN exists: show its auth URL (a link to open by hand when there is no popup). */
  onPin?(pin: LinkPin): void;
  signal: AbortSignal;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  now?(): number;
  intervalMs?: number;
}

export const LINK_MESSAGES = {
  expired: "The Plex sign-in expired before it was confirmed. Start again.",
  closed: "The Plex window was closed before the sign-in finished. Start again when you're ready.",
  noServers:
    "This Plex account owns no Plex Media Server. Sign in with the account that owns the server, or link it by URL and token.",
  network: "Cannot reach MediaNest. Check your connection and start again.",
} as const;

const MAX_TRANSIENT = 5;

/** How often plex.tv is asked; tests shorten it. */
export const linkTiming = { intervalMs: 1000 };

export function linkErrorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 410 || err.code === "expired") return LINK_MESSAGES.expired;
    if (err.status === 0) return LINK_MESSAGES.network;
    if (err.status === 403) return "Only an admin can link the Plex server.";
    return err.message;
  }
  return "Linking Plex failed.";
}

export async function runPlexLink(popup: PopupLike | null, deps: LinkDeps): Promise<LinkOutcome> {
  const sleep = deps.sleep ?? abortableSleep;
  const now = deps.now ?? Date.now;
  let pin: LinkPin;
  try {
    pin = await deps.startPin();
  } catch (err) {
    closePopupQuietly(popup);
    return { kind: "failed", message: linkErrorText(err) };
  }
  if (popup && !popup.closed) {
    try {
      popup.location.href = pin.auth_url;
    } catch {
      // The popup already left our origin; polling still decides the outcome.
    }
  }
  deps.onPin?.(pin);

  const deadline = pin.expires_at ? Date.parse(pin.expires_at) : Number.NaN;
  let transient = 0;
  for (;;) {
    await sleep(deps.intervalMs ?? linkTiming.intervalMs, deps.signal);
    if (deps.signal.aborted) {
      closePopupQuietly(popup);
      return { kind: "aborted" };
    }
    // Read before polling, so an approval made just before closing the window still counts.
    const closed = popup !== null && popup.closed;
    try {
      const status = await deps.pollPin(pin.pin_id, deps.signal);
      transient = 0;
      if (status.status === "authorized") {
        closePopupQuietly(popup);
        const servers = status.servers ?? [];
        if (servers.length === 0) return { kind: "failed", message: LINK_MESSAGES.noServers };
        return { kind: "servers", pinId: pin.pin_id, servers };
      }
    } catch (err) {
      if (deps.signal.aborted) return { kind: "aborted" };
      const retryable = err instanceof ApiError && (err.status === 0 || err.status >= 500);
      if (!retryable || ++transient >= MAX_TRANSIENT) {
        closePopupQuietly(popup);
        return { kind: "failed", message: linkErrorText(err) };
      }
    }
    if (closed) return { kind: "failed", message: LINK_MESSAGES.closed };
    if (Number.isFinite(deadline) && now() > deadline) {
      closePopupQuietly(popup);
      return { kind: "failed", message: LINK_MESSAGES.expired };
    }
  }
}

/** Local addresses first, relays last: the order the server tries them in when none is picked. */
export function orderedConnections(server: PlexServer) {
  return [...server.connections].sort((a, b) => Number(a.relay) - Number(b.relay) || Number(b.local) - Number(a.local));
}
