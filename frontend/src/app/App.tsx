import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Router } from "wouter";
import { navigate } from "wouter/use-browser-location";
import { Toaster } from "../components/ui/Toaster";
import { api } from "../lib/api";
import { signInPath } from "../lib/safeRedirect";
import { createQueryClient } from "./queryClient";
import { AppRoutes } from "./routes";

// The session is gone for good (refresh failed): send the user to sign in, then back here.
api.setUnauthenticatedHandler(() => {
  const { pathname, search } = window.location;
  if (pathname.startsWith("/signin")) return;
  navigate(signInPath(pathname + search), { replace: true });
});

export function App({ client }: { client?: QueryClient }) {
  const [queryClient] = useState(() => client ?? createQueryClient());
  return (
    <QueryClientProvider client={queryClient}>
      <Router>
        <AppRoutes />
      </Router>
      <Toaster />
    </QueryClientProvider>
  );
}
