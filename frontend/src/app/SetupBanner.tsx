import { useQuery } from "@tanstack/react-query";
import { Wrench } from "lucide-react";
import { Link, Redirect, useLocation } from "wouter";
import { setupQuery } from "../features/auth/api";
import { useCurrentUser } from "../lib/currentUser";
import { setupDeferred } from "../lib/setupPrompt";

function useNeedsSetup(): boolean {
  const user = useCurrentUser();
  const setup = useQuery({ ...setupQuery(), enabled: user.role === "admin" });
  return user.role === "admin" && setup.data?.needs_setup === true;
}

/** Until Plex is linked nobody else can sign in: admins see this on every page but setup itself. */
export function SetupBanner() {
  const needsSetup = useNeedsSetup();
  const [path] = useLocation();
  if (!needsSetup || path === "/admin/setup") return null;
  return (
    <div className="banner banner--info" role="status" data-testid="setup-banner">
      <Wrench size={18} aria-hidden="true" />
      <span>
        MediaNest isn't set up yet: until the Plex server is linked, nobody else can sign in.{" "}
        <Link href="/admin/setup">Finish the setup</Link>
      </span>
    </div>
  );
}

/** The first visit to the dashboard in a session goes to setup while it is unfinished. */
export function SetupRedirect() {
  const needsSetup = useNeedsSetup();
  return needsSetup && !setupDeferred() ? <Redirect to="/admin/setup" replace /> : null;
}
