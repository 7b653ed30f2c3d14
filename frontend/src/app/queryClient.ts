import { MutationCache, QueryClient } from "@tanstack/react-query";
import { ApiError } from "../lib/api";
import { toast } from "../components/ui/Toaster";

/** Client errors will fail the same way again; only network trouble and 5xx are retried. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408) return false;
  return failureCount < 2;
}

declare module "@tanstack/react-query" {
  interface Register {
    // A mutation with meta.silent shows its own error message, so the global toast stays quiet.
    mutationMeta: { silent?: boolean };
  }
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => {
        if (mutation.meta?.silent) return;
        if (error instanceof ApiError && error.status === 401) return; // sign-in page takes over
        toast({ tone: "error", title: error instanceof ApiError ? error.message : "Something went wrong." });
      },
    }),
  });
}
