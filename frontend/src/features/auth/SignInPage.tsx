import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Info, LoaderCircle } from "lucide-react";
import { useState } from "react";
import { useLocation, useSearch } from "wouter";
import { usePageTitle } from "../../components/layout/Page";
import { Button } from "../../components/ui/Button";
import { Dialog } from "../../components/ui/Dialog";
import { safeNextPath } from "../../lib/safeRedirect";
import { setupQuery } from "./api";
import { LocalLoginForm } from "./LocalLoginForm";
import { usePlexSignIn } from "./usePlexSignIn";

const BUTTON_TEXT = {
  idle: "Sign in with Plex",
  failed: "Sign in with Plex",
  starting: "Opening Plex…",
  waiting: "Waiting for Plex…",
  redirecting: "Taking you to Plex…",
  authorized: "Signed in",
} as const;

export function SignInPage() {
  usePageTitle("Sign in");
  const [, navigate] = useLocation();
  const search = useSearch();
  const client = useQueryClient();
  const [localOpen, setLocalOpen] = useState(false);
  const next = safeNextPath(new URLSearchParams(search).get("next"));
  const setup = useQuery(setupQuery());

  function signedIn() {
    // Whatever was cached belonged to the previous session.
    client.clear();
    navigate(next, { replace: true });
  }

  const returnUrl = `${window.location.origin}/signin${next !== "/" ? `?next=${encodeURIComponent(next)}` : ""}`;
  const { state, start } = usePlexSignIn(returnUrl, signedIn);
  const busy = state.phase === "starting" || state.phase === "waiting" || state.phase === "redirecting";

  return (
    <main className="signin">
      <div className="signin__card">
        <div className="signin__brand">
          <img src="/icons/icon.svg" alt="" width={48} height={48} />
          <h1 className="signin__title">MediaNest</h1>
        </div>
        <p className="signin__lead">Sign in with the Plex account that has access to this server.</p>

        {setup.data?.needs_setup && (
          <div className="banner banner--info" role="note">
            <Info size={18} aria-hidden="true" />
            <span>
              MediaNest isn't set up yet. The admin signs in as local admin first and links the Plex server;
              after that, everyone with access to the server signs in with Plex.
            </span>
          </div>
        )}

        <Button
          variant="primary"
          className="signin__plex"
          onClick={start}
          disabled={busy}
          data-testid="signin-plex"
          icon={busy ? <LoaderCircle className="spin" size={18} aria-hidden="true" /> : undefined}
        >
          {BUTTON_TEXT[state.phase]}
        </Button>

        <div className="signin__status" aria-live="polite">
          {state.phase === "waiting" && (
            <p className="muted">Finish signing in in the Plex window. This page continues on its own.</p>
          )}
          {state.phase === "failed" && (
            <p className="form__error" role="alert">
              {state.message}
            </p>
          )}
        </div>

        <button type="button" className="link-btn" onClick={() => setLocalOpen(true)} data-testid="signin-local">
          Sign in as local admin
        </button>
      </div>

      <Dialog
        open={localOpen}
        onClose={() => setLocalOpen(false)}
        title="Local admin sign-in"
        description="For the first setup, or when Plex can't be reached."
      >
        <LocalLoginForm onSuccess={signedIn} />
      </Dialog>
    </main>
  );
}
