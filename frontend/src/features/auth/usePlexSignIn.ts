import { useCallback, useEffect, useRef, useState } from "react";
import { createPlexPin, pollPlexPin } from "./api";
import { openPlexPopup } from "../../lib/plexPopup";
import {
  resumePlexSignIn,
  sessionPendingStore,
  startPlexSignIn,
  type PlexFlowDeps,
  type PlexSignInState,
} from "./plexSignIn";

/** Binds the sign-in machine to the page: one attempt at a time, stopped when the page unmounts. */
export function usePlexSignIn(returnUrl: string, onAuthorized: () => void) {
  const [state, setState] = useState<PlexSignInState>({ phase: "idle" });
  const attempt = useRef<AbortController | null>(null);
  const authorized = useRef(onAuthorized);
  useEffect(() => {
    authorized.current = onAuthorized;
  });

  const run = useCallback(
    (go: (deps: PlexFlowDeps) => Promise<PlexSignInState | null>) => {
      attempt.current?.abort();
      const controller = new AbortController();
      attempt.current = controller;
      const deps: PlexFlowDeps = {
        createPin: () => createPlexPin(returnUrl),
        pollPin: (pinId, signal) => pollPlexPin(pinId, signal),
        redirect: (url) => window.location.assign(url),
        pending: sessionPendingStore,
        returnUrl,
        signal: controller.signal,
        onState: (next) => {
          if (!controller.signal.aborted) setState(next);
        },
      };
      void go(deps).then((final) => {
        if (final?.phase === "authorized" && !controller.signal.aborted) authorized.current();
      });
    },
    [returnUrl],
  );

  // Coming back from a full-page sign-in at Plex: finish the PIN that was left pending.
  useEffect(() => {
    if (sessionPendingStore.load()) run((deps) => resumePlexSignIn(deps));
    return () => attempt.current?.abort();
  }, [run]);

  /** Must be called from the click handler itself, so the popup counts as user-initiated. */
  const start = useCallback(() => {
    const popup = openPlexPopup();
    run((deps) => startPlexSignIn(popup, deps));
  }, [run]);

  return { state, start };
}
