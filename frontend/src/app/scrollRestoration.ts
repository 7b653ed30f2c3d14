// Back and Forward return to where the user was on that page; a new navigation starts at the top.
// The browser's own restoration runs before an SPA has rendered the old page, so we do it here:
// positions are kept per path and re-applied once the page is tall enough (its data may come from
// the cache at once, or a moment later).

import { useEffect, useLayoutEffect, useRef } from "react";
import { useLocation, useSearch } from "wouter";

const positions = new Map<string, number>();
const MAX_WAIT_FRAMES = 60;

// Registered when this module loads, before the router subscribes, so it runs first: React may
// render the new route in a microtask right after the router's own popstate listener.
let cameFromHistory = false;
if (typeof window !== "undefined") {
  window.addEventListener("popstate", () => {
    cameFromHistory = true;
    // A history step that changes no route (a hash) must not leave the flag set for a later click.
    setTimeout(() => {
      cameFromHistory = false;
    }, 100);
  });
}

export function useScrollRestoration(): void {
  const [path] = useLocation();
  const search = useSearch();
  const key = search ? `${path}?${search}` : path;
  const current = useRef(key);

  useEffect(() => {
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    let frame = 0;
    const onScroll = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        positions.set(current.current, window.scrollY);
      });
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      window.removeEventListener("scroll", onScroll);
      if (frame) cancelAnimationFrame(frame);
    };
  }, []);

  useLayoutEffect(() => {
    if (current.current === key) return;
    current.current = key;
    const fromHistory = cameFromHistory;
    cameFromHistory = false;
    const target = fromHistory ? (positions.get(key) ?? 0) : 0;
    let frames = 0;
    let raf = 0;
    const apply = () => {
      const reachable = document.documentElement.scrollHeight - window.innerHeight >= target;
      if (reachable || frames >= MAX_WAIT_FRAMES) {
        window.scrollTo(0, target);
        return;
      }
      frames += 1;
      raf = requestAnimationFrame(apply);
    };
    apply();
    return () => cancelAnimationFrame(raf);
  }, [key]);
}
