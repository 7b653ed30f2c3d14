import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../lib/api";
import type { LinkPin, LinkStatus, PlexServer } from "./api";
import { LINK_MESSAGES, orderedConnections, runPlexLink, type LinkDeps } from "./plexLink";

const PIN: LinkPin = { pin_id: 77, code: "c", auth_url: "https://app.plex.tv/auth#?code=c", expires_at: "2026-01-01T00:15:00Z" };
const START = Date.parse("2026-01-01T00:00:00Z");
const SERVER: PlexServer = {
  machine_identifier: "abc",
  name: "Home",
  connections: [
    { uri: "https://relay.plex.direct", local: false, relay: true },
    { uri: "https://remote.plex.direct:32400", local: false, relay: false },
    { uri: "http://192.168.1.10:32400", local: true, relay: false },
  ],
};

class FakePopup {
  closed = false;
  location = { href: "/plex-loading.html" };
  close = vi.fn(() => {
    this.closed = true;
  });
}

function deps(answers: (LinkStatus | Error | (() => LinkStatus | Error))[], pin = PIN) {
  let clock = START;
  const polls: (string | number)[] = [];
  const onPin = vi.fn();
  const d: LinkDeps = {
    startPin: vi.fn(async () => pin),
    pollPin: vi.fn(async (id) => {
      polls.push(id);
      const step = answers.shift() ?? { status: "waiting" as const };
      const a = typeof step === "function" ? step() : step;
      if (a instanceof Error) throw a;
      return a;
    }),
    onPin,
    signal: new AbortController().signal,
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
  };
  return { d, polls, onPin };
}

describe("Plex server linking", () => {
  it("sends the popup to Plex, polls until authorized and returns the owner's servers", async () => {
    const popup = new FakePopup();
    const { d, polls, onPin } = deps([{ status: "waiting" }, { status: "authorized", servers: [SERVER] }]);
    await expect(runPlexLink(popup, d)).resolves.toEqual({ kind: "servers", pinId: 77, servers: [SERVER] });
    expect(popup.location.href).toBe(PIN.auth_url);
    expect(popup.close).toHaveBeenCalled();
    expect(onPin).toHaveBeenCalledWith(PIN);
    expect(polls).toEqual([77, 77]);
  });

  it("works without a popup (blocked): the page shows the link and keeps polling", async () => {
    const { d, onPin } = deps([{ status: "authorized", servers: [SERVER] }]);
    await expect(runPlexLink(null, d)).resolves.toMatchObject({ kind: "servers" });
    expect(onPin).toHaveBeenCalled();
  });

  it("reports an account that owns no server", async () => {
    const { d } = deps([{ status: "authorized", servers: [] }]);
    await expect(runPlexLink(new FakePopup(), d)).resolves.toEqual({ kind: "failed", message: LINK_MESSAGES.noServers });
  });

  it("reports an expired PIN, from the server (410) or from the clock", async () => {
    const gone = deps([new ApiError(410, "expired", "This Plex sign-in expired; start again.", null)]);
    await expect(runPlexLink(new FakePopup(), gone.d)).resolves.toEqual({ kind: "failed", message: LINK_MESSAGES.expired });

    const soon = deps([], { ...PIN, expires_at: new Date(START + 2500).toISOString() });
    await expect(runPlexLink(new FakePopup(), soon.d)).resolves.toEqual({ kind: "failed", message: LINK_MESSAGES.expired });
    expect(soon.polls).toHaveLength(3);
  });

  it("reports a closed popup after one last poll, which can still succeed", async () => {
    const popup = new FakePopup();
    const closedThenWaiting = deps([
      () => {
        popup.closed = true;
        return { status: "waiting" };
      },
      { status: "waiting" },
    ]);
    await expect(runPlexLink(popup, closedThenWaiting.d)).resolves.toEqual({ kind: "failed", message: LINK_MESSAGES.closed });
    expect(closedThenWaiting.polls).toHaveLength(2);

    const late = new FakePopup();
    const approvedThenClosed = deps([
      () => {
        late.closed = true;
        return { status: "waiting" };
      },
      { status: "authorized", servers: [SERVER] },
    ]);
    // Closed right after approving: the last poll still picks the servers up.
    await expect(runPlexLink(late, approvedThenClosed.d)).resolves.toMatchObject({ kind: "servers" });
  });

  it("rides out brief server trouble but gives up after five failures in a row", async () => {
    const blip = deps([new ApiError(503, "x", "x", null), { status: "authorized", servers: [SERVER] }]);
    await expect(runPlexLink(new FakePopup(), blip.d)).resolves.toMatchObject({ kind: "servers" });

    const down = deps(Array.from({ length: 5 }, () => new ApiError(0, "network_error", "Cannot reach MediaNest.", null)));
    await expect(runPlexLink(new FakePopup(), down.d)).resolves.toEqual({ kind: "failed", message: LINK_MESSAGES.network });
  });

  it("closes the popup when the PIN can't be created", async () => {
    const popup = new FakePopup();
    const { d } = deps([]);
    d.startPin = async () => {
      throw new ApiError(403, "forbidden", "You are not allowed to do that.", null);
    };
    await expect(runPlexLink(popup, d)).resolves.toEqual({ kind: "failed", message: "Only an admin can link the Plex server." });
    expect(popup.close).toHaveBeenCalled();
  });

  it("stops quietly when aborted", async () => {
    const controller = new AbortController();
    const { d } = deps([]);
    d.signal = controller.signal;
    d.sleep = async () => controller.abort();
    await expect(runPlexLink(new FakePopup(), d)).resolves.toEqual({ kind: "aborted" });
  });

  it("orders a server's addresses local first, relay last", () => {
    expect(orderedConnections(SERVER).map((c) => c.uri)).toEqual([
      "http://192.168.1.10:32400",
      "https://remote.plex.direct:32400",
      "https://relay.plex.direct",
    ]);
  });
});
