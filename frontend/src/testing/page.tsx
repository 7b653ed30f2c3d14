// Renders one page the way the app would (query cache, router, signed-in user, toasts) against a
// scripted fetch, without going through sign-in.

import { QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { vi } from "vitest";
import { Router } from "wouter";
import { memoryLocation } from "wouter/memory-location";
import { Toaster } from "../components/ui/Toaster";
import { CurrentUserContext } from "../lib/currentUser";
import type { User } from "../lib/types";
import { routeFetch } from "./fakes";
import { testQueryClient } from "./render";

export const friend: User = {
  id: "u1",
  username: "friend",
  email: "friend@example.com",
  role: "user",
  thumb_url: null,
  created_at: "2026-01-01T00:00:00Z",
  last_login_at: null,
};

export const admin: User = { ...friend, id: "u0", username: "admin", email: null, role: "admin" };

type Routes = Parameters<typeof routeFetch>[0];

export function renderPage(ui: ReactElement, { path = "/", user = friend, routes = {} as Routes } = {}) {
  const { fetch, calls } = routeFetch(routes);
  vi.stubGlobal("fetch", fetch);
  const client = testQueryClient();
  const location = memoryLocation({ path, record: true });
  const result = render(
    <QueryClientProvider client={client}>
      <Router hook={location.hook} searchHook={location.searchHook}>
        <CurrentUserContext.Provider value={user}>{ui}</CurrentUserContext.Provider>
      </Router>
      <Toaster />
    </QueryClientProvider>,
  );
  /** The current address, path and query, as the page sees it. */
  const at = () => location.history?.at(-1) ?? path;
  return { ...result, calls, client, location, at };
}

/** The JSON body a recorded call sent. */
export function bodyOf(call: { init: RequestInit } | undefined): unknown {
  return call?.init.body ? JSON.parse(String(call.init.body)) : undefined;
}
