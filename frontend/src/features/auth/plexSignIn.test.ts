import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../lib/api";
import type { PlexPin, PlexPinPoll } from "./api";
import {
  FAILURE_MESSAGES,
  resumePlexSignIn,
  startPlexSignIn,
  withForwardUrl,
  type PendingPin,
  type PlexFlowDeps,
  type PlexSignInState,
  type PopupLike,
} from "./plexSignIn";

const PIN: PlexPin = {
  pin_id: "pin-1",
  code: "abc",
  auth_url: "https://app.plex.tv/auth#?clientID=x&code=abc",
  expires_at: "2026-01-01T00:30:00Z",
};
const START = Date.parse("2026-01-01T00:00:00Z");

class FakePopup implements PopupLike {
  closed = false;
  location = { href: "/plex-loading.html" };
  close = vi.fn(() => {
    this.closed = true;
  });
}

type PollStep = PlexPinPoll | Error | ((popup: FakePopup | null) => PlexPinPoll | Error);

/** Drives the machine with scripted poll answers; time advances one second per sleep. */
function harness(steps: PollStep[], popup: FakePopup | null, pin: PlexPin = PIN) {
  let clock = START;
  const states: PlexSignInState[] = [];
  let pending: PendingPin | null = null;
  const polls: (string | number)[] = [];
  const deps: PlexFlowDeps = {
    createPin: vi.fn(async () => pin),
    pollPin: vi.fn(async (pinId) => {
      polls.push(pinId);
      const step = steps.shift() ?? { status: "waiting" };
      const answer = typeof step === "function" ? step(popup) : step;
      if (answer instanceof Error) throw answer;
      return answer;
    }),
    redirect: vi.fn(),
    pending: {
      save: (p) => (pending = p),
      load: () => pending,
      clear: () => (pending = null),
    },
    returnUrl: "http://portal.test/signin",
    onState: (s) => states.push(s),
    signal: new AbortController().signal,
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
  };
  return { deps, states, polls, getPending: () => pending, setPending: (p: PendingPin) => (pending = p) };
}

describe("Plex sign-in flow", () => {
  it("points the popup at Plex, polls until authorized, then closes the popup", async () => {
    const popup = new FakePopup();
    const { deps, states, polls } = harness([{ status: "waiting" }, { status: "waiting" }, { status: "authorized" }], popup);

    const final = await startPlexSignIn(popup, deps);

    expect(final).toEqual({ phase: "authorized" });
    expect(popup.location.href).toBe(PIN.auth_url);
    expect(popup.close).toHaveBeenCalled();
    expect(polls).toEqual(["pin-1", "pin-1", "pin-1"]);
    expect(states.map((s) => s.phase)).toEqual(["starting", "waiting", "authorized"]);
  });

  it("reports no_server_access with its own message", async () => {
    const popup = new FakePopup();
    const { deps } = harness(
      [{ status: "waiting" }, new ApiError(403, "no_server_access", "No access to this server.", "r1")],
      popup,
    );
    const final = await startPlexSignIn(popup, deps);
    expect(final).toEqual({ phase: "failed", reason: "no_server_access", message: FAILURE_MESSAGES.no_server_access });
    expect(popup.close).toHaveBeenCalled();
  });

  it("tells a disabled account and an unlinked server apart", async () => {
    const disabled = harness([new ApiError(403, "account_disabled", "Disabled.", null)], new FakePopup());
    await expect(startPlexSignIn(new FakePopup(), disabled.deps)).resolves.toMatchObject({ reason: "account_disabled" });

    const unlinked = harness([], null);
    unlinked.deps.createPin = async () => {
      throw new ApiError(409, "server_not_linked", "Not linked.", null);
    };
    const popup = new FakePopup();
    await expect(startPlexSignIn(popup, unlinked.deps)).resolves.toMatchObject({ reason: "server_not_linked" });
    expect(popup.close).toHaveBeenCalled();
  });

  it("reports an expired PIN (410 from the server)", async () => {
    const { deps } = harness([{ status: "waiting" }, new ApiError(410, "expired", "PIN expired.", null)], new FakePopup());
    await expect(startPlexSignIn(new FakePopup(), deps)).resolves.toMatchObject({ phase: "failed", reason: "expired" });
  });

  it("stops at expires_at even if the server keeps saying waiting", async () => {
    const soon = { ...PIN, expires_at: new Date(START + 3000).toISOString() };
    const popup = new FakePopup();
    const { deps, polls } = harness([], popup, soon);
    await expect(startPlexSignIn(popup, deps)).resolves.toMatchObject({ reason: "expired" });
    expect(polls.length).toBe(4);
  });

  it("reports a popup closed by the user, after one last poll", async () => {
    const popup = new FakePopup();
    const { deps, polls } = harness(
      [
        { status: "waiting" },
        (p) => {
          if (p) p.closed = true; // the user closes the window while this poll is in flight
          return { status: "waiting" };
        },
        { status: "waiting" },
      ],
      popup,
    );
    const final = await startPlexSignIn(popup, deps);
    expect(final).toEqual({ phase: "failed", reason: "popup_closed", message: FAILURE_MESSAGES.popup_closed });
    expect(polls).toHaveLength(3);
  });

  it("still signs in when the popup was closed right after approving", async () => {
    const popup = new FakePopup();
    popup.closed = false;
    const { deps } = harness(
      [
        (p) => {
          if (p) p.closed = true;
          return { status: "waiting" };
        },
        { status: "authorized" },
      ],
      popup,
    );
    await expect(startPlexSignIn(popup, deps)).resolves.toEqual({ phase: "authorized" });
  });

  it("rides out brief network errors while polling", async () => {
    const popup = new FakePopup();
    const net = () => new ApiError(0, "network_error", "offline", null);
    const { deps } = harness([net(), net(), { status: "authorized" }], popup);
    await expect(startPlexSignIn(popup, deps)).resolves.toEqual({ phase: "authorized" });
  });

  it("falls back to a full-page redirect when the popup was blocked, then resumes polling on return", async () => {
    const first = harness([], null);
    const state = await startPlexSignIn(null, first.deps);
    expect(state).toEqual({ phase: "redirecting" });
    expect(first.deps.redirect).toHaveBeenCalledWith(
      `${PIN.auth_url}&forwardUrl=${encodeURIComponent("http://portal.test/signin")}`,
    );
    expect(first.getPending()).toEqual({ pin_id: "pin-1", expires_at: PIN.expires_at });

    // Back from Plex: a new page load finds the pending PIN and finishes it.
    const back = harness([{ status: "authorized" }], null);
    back.setPending(first.getPending()!);
    await expect(resumePlexSignIn(back.deps)).resolves.toEqual({ phase: "authorized" });
    expect(back.getPending()).toBeNull();
  });

  it("does nothing on return when no sign-in was pending", async () => {
    const { deps } = harness([], null);
    await expect(resumePlexSignIn(deps)).resolves.toBeNull();
    expect(deps.pollPin).not.toHaveBeenCalled();
  });

  it("adds forwardUrl to auth URLs in any of their shapes", () => {
    expect(withForwardUrl("https://p/auth#?code=1", "http://x/")).toBe("https://p/auth#?code=1&forwardUrl=http%3A%2F%2Fx%2F");
    expect(withForwardUrl("https://p/auth?code=1", "http://x/")).toBe("https://p/auth?code=1&forwardUrl=http%3A%2F%2Fx%2F");
    expect(withForwardUrl("https://p/auth#?forwardUrl=a", "http://x/")).toBe("https://p/auth#?forwardUrl=a");
  });
});
