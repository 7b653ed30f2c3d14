import { queryOptions } from "@tanstack/react-query";
import { api } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";
import type { User } from "../../lib/types";

export interface SetupState {
  needs_setup: boolean;
}

export interface PlexPin {
  pin_id: string | number;
  code: string;
  auth_url: string;
  expires_at: string | null;
}

export type PlexPinPoll = { status: "waiting" } | { status: "authorized"; user?: User };

export const meQuery = () =>
  queryOptions({
    queryKey: queryKeys.auth.me,
    queryFn: ({ signal }) => api.get<User>("/auth/me", { signal }),
    staleTime: 60_000,
  });

// Anonymous: asked on the sign-in page, where there is no session to refresh.
export const setupQuery = () =>
  queryOptions({
    queryKey: queryKeys.auth.setup,
    queryFn: ({ signal }) => api.get<SetupState>("/auth/setup", { signal, anonymous: true }),
    staleTime: 5 * 60_000,
  });

export function localLogin(username: string, password: string): Promise<{ user: User }> {
  return api.post("/auth/login", { username, password }, { anonymous: true });
}

export function createPlexPin(forwardUrl: string): Promise<PlexPin> {
  // forward_url is where Plex sends the browser back in the full-page fallback; a server that
  // ignores it still works, because the client also adds it to the auth URL (see plexSignIn.ts).
  return api.post<PlexPin>("/auth/plex/pin", { forward_url: forwardUrl }, { anonymous: true });
}

export function pollPlexPin(pinId: string | number, signal?: AbortSignal): Promise<PlexPinPoll> {
  return api.get<PlexPinPoll>(`/auth/plex/pin/${encodeURIComponent(String(pinId))}`, {
    signal,
    anonymous: true,
  });
}

export function logout(): Promise<void> {
  return api.post<void>("/auth/logout");
}
