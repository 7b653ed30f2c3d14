// Linking the Plex server by signing in with the owner's Plex account, then picking one of the
// owner's servers (and, optionally, which of its addresses MediaNest should use).

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CircleCheck, ExternalLink, LoaderCircle } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "../../components/ui/Button";
import { openPlexPopup } from "../../lib/plexPopup";
import { queryKeys } from "../../lib/queryKeys";
import { pollPlexLink, selectPlexServer, startPlexLink, type LinkPin, type PlexServer } from "./api";
import { linkErrorText, orderedConnections, runPlexLink } from "./plexLink";

type Phase =
  | { phase: "idle" }
  | { phase: "waiting"; pin: LinkPin | null }
  | { phase: "choosing"; pinId: number | string; servers: PlexServer[] }
  | { phase: "linked"; server: PlexServer | null }
  | { phase: "failed"; message: string };

function connectionLabel(c: { uri: string; local: boolean; relay: boolean }): string {
  const kind = c.relay ? "relay, slow" : c.local ? "local network" : "remote";
  return `${c.uri} (${kind})`;
}

function ServerPicker({
  pinId,
  servers,
  onLinked,
}: {
  pinId: number | string;
  servers: PlexServer[];
  onLinked: (server: PlexServer | null) => void;
}) {
  const client = useQueryClient();
  const group = useId();
  const [chosen, setChosen] = useState(servers[0]?.machine_identifier ?? "");
  const [url, setUrl] = useState("");
  const server = servers.find((s) => s.machine_identifier === chosen) ?? null;
  const select = useMutation({
    mutationFn: () => selectPlexServer(pinId, url ? { machine_identifier: chosen, url } : { machine_identifier: chosen }),
    meta: { silent: true },
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: queryKeys.status.all });
      void client.invalidateQueries({ queryKey: queryKeys.auth.setup });
      onLinked(result.servers?.[0] ?? server);
    },
  });

  return (
    <div className="plex-link__servers" data-testid="plex-link-servers">
      <fieldset className="fieldset">
        <legend className="field__label">Which server should MediaNest use?</legend>
        {servers.map((s) => (
          <label key={s.machine_identifier} className="choice">
            <input
              type="radio"
              name={group}
              value={s.machine_identifier}
              checked={chosen === s.machine_identifier}
              onChange={() => {
                setChosen(s.machine_identifier);
                setUrl("");
              }}
            />
            <span>
              <span className="choice__title">{s.name}</span>
              <span className="choice__meta">
                {s.connections.length} address{s.connections.length === 1 ? "" : "es"}
                {s.version ? ` · version ${s.version}` : ""}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      {server && server.connections.length > 0 && (
        <label className="field">
          <span className="field__label">Address</span>
          <select className="input" value={url} onChange={(e) => setUrl(e.target.value)}>
            <option value="">Automatic: the first address that answers (local first)</option>
            {orderedConnections(server).map((c) => (
              <option key={c.uri} value={c.uri}>
                {connectionLabel(c)}
              </option>
            ))}
          </select>
        </label>
      )}
      {select.isError && (
        <p className="form__error" role="alert" data-testid="plex-link-error">
          {linkErrorText(select.error)}
        </p>
      )}
      <Button variant="primary" busy={select.isPending} disabled={!chosen} onClick={() => select.mutate()}>
        Link this server
      </Button>
    </div>
  );
}

export function PlexLink() {
  const [state, setState] = useState<Phase>({ phase: "idle" });
  const attempt = useRef<AbortController | null>(null);
  useEffect(() => () => attempt.current?.abort(), []);

  function start() {
    // Opened inside the click handler itself, so popup blockers let it through.
    const popup = openPlexPopup();
    attempt.current?.abort();
    const controller = new AbortController();
    attempt.current = controller;
    setState({ phase: "waiting", pin: null });
    void runPlexLink(popup, {
      startPin: startPlexLink,
      pollPin: pollPlexLink,
      onPin: (pin) => {
        if (!controller.signal.aborted) setState({ phase: "waiting", pin });
      },
      signal: controller.signal,
    }).then((outcome) => {
      if (controller.signal.aborted || outcome.kind === "aborted") return;
      setState(
        outcome.kind === "servers"
          ? { phase: "choosing", pinId: outcome.pinId, servers: outcome.servers }
          : { phase: "failed", message: outcome.message },
      );
    });
  }

  function cancel() {
    attempt.current?.abort();
    setState({ phase: "idle" });
  }

  return (
    <div className="plex-link" aria-live="polite">
      {(state.phase === "idle" || state.phase === "failed") && (
        <>
          <p className="muted">
            Sign in with the Plex account that owns the server; MediaNest lists its servers and stores that server's
            token encrypted. Your Plex password never reaches MediaNest.
          </p>
          {state.phase === "failed" && (
            <p className="form__error" role="alert" data-testid="plex-link-error">
              {state.message}
            </p>
          )}
          <Button variant="primary" onClick={start} data-testid="plex-link-start">
            {state.phase === "failed" ? "Try again" : "Sign in with Plex to link"}
          </Button>
        </>
      )}
      {state.phase === "waiting" && (
        <div className="plex-link__waiting" data-testid="plex-link-waiting">
          <p className="plex-link__status">
            <LoaderCircle className="spin" size={18} aria-hidden="true" />
            <span>Waiting for Plex… Finish signing in in the Plex window; this page continues on its own.</span>
          </p>
          {state.pin && (
            <p className="muted">
              No window opened?{" "}
              <a href={state.pin.auth_url} target="_blank" rel="noopener noreferrer">
                Open the Plex sign-in page <ExternalLink size={14} aria-hidden="true" className="inline-icon" />
              </a>
            </p>
          )}
          <Button size="sm" onClick={cancel}>
            Cancel
          </Button>
        </div>
      )}
      {state.phase === "choosing" && (
        <ServerPicker pinId={state.pinId} servers={state.servers} onLinked={(server) => setState({ phase: "linked", server })} />
      )}
      {state.phase === "linked" && (
        <p className="test-result test-result--ok" role="status" data-testid="plex-link-done">
          <CircleCheck size={18} aria-hidden="true" />
          <span>{state.server ? `Linked to ${state.server.name}.` : "The Plex server is linked."}</span>
        </p>
      )}
    </div>
  );
}
