import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Redirect, useLocation, useSearch } from "wouter";
import { WifiOff } from "lucide-react";
import { EmptyState } from "../components/ui/EmptyState";
import { ErrorState } from "../components/ui/ErrorState";
import { Skeleton } from "../components/ui/Skeleton";
import { meQuery } from "../features/auth/api";
import { isApiError } from "../lib/api";
import { signInPath } from "../lib/safeRedirect";
import { CurrentUserContext } from "../lib/currentUser";
import { OfflineBanner } from "./OfflineBanner";

/**
 * Renders its children only for a signed-in user. GET /auth/me decides; the API client has
 * already tried a silent refresh by the time a 401 gets here, so 401 means "sign in again".
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useQuery(meQuery());
  const [path] = useLocation();
  const search = useSearch();

  if (isApiError(me.error, 401)) {
    return <Redirect to={signInPath(search ? `${path}?${search}` : path)} replace />;
  }
  if (me.data) {
    return <CurrentUserContext.Provider value={me.data}>{children}</CurrentUserContext.Provider>;
  }
  if (me.isPending && me.fetchStatus === "paused") {
    // Offline: the query waits for the network and resumes by itself when it returns.
    return (
      <main className="boot">
        <OfflineBanner />
        <EmptyState icon={<WifiOff size={28} />} title="MediaNest can't be reached while you're offline.">
          It opens by itself as soon as the connection is back.
        </EmptyState>
      </main>
    );
  }
  if (me.isPending) {
    return (
      <div className="boot" aria-busy="true" aria-label="Loading MediaNest">
        <Skeleton className="boot__bar" />
        <Skeleton className="boot__block" />
      </div>
    );
  }
  return (
    <main className="boot">
      <OfflineBanner />
      <ErrorState title="MediaNest is not answering" error={me.error} onRetry={() => void me.refetch()} />
    </main>
  );
}
