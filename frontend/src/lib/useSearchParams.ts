// Page state that belongs in the address (section, sort, filter, search words), so Back, reload
// and shared links show the same view.

import { useCallback } from "react";
import { useLocation, useSearch } from "wouter";

export function useSearchParams(): [
  URLSearchParams,
  (patch: Record<string, string | null | undefined>, opts?: { replace?: boolean }) => void,
] {
  const search = useSearch();
  const [path, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const update = useCallback(
    (patch: Record<string, string | null | undefined>, opts: { replace?: boolean } = {}) => {
      const next = new URLSearchParams(search);
      for (const [key, value] of Object.entries(patch)) {
        if (value == null || value === "") next.delete(key);
        else next.set(key, value);
      }
      const qs = next.toString();
      navigate(qs ? `${path}?${qs}` : path, { replace: opts.replace });
    },
    [search, path, navigate],
  );
  return [params, update];
}
