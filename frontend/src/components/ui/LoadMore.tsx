// The end of a long list: loads the next page by itself when it scrolls into view (infinite
// scroll), and is also a real button, for keyboards, screen readers and browsers without
// IntersectionObserver.

import { useEffect, useRef } from "react";
import { Button } from "./Button";

export function LoadMore({
  onLoad,
  loading,
  label = "Load more",
  auto = true,
}: {
  onLoad: () => void;
  loading: boolean;
  label?: string;
  auto?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const load = useRef(onLoad);
  useEffect(() => {
    load.current = onLoad;
  });

  // Observed afresh after each load: an observer reports once when it starts, so a button still in
  // view after the new items arrived (a tall screen) asks for the next page too.
  useEffect(() => {
    const node = ref.current;
    if (!auto || loading || !node || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) load.current();
      },
      // Start a screen early, so the next posters are there before the user reaches the end.
      { rootMargin: "0px 0px 800px 0px" },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [auto, loading]);

  return (
    <div ref={ref} className="load-more">
      <Button onClick={onLoad} busy={loading}>
        {loading ? "Loading…" : label}
      </Button>
    </div>
  );
}
