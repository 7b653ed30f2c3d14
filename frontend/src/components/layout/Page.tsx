import { useEffect, useRef, type ReactNode } from "react";

export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · MediaNest` : "MediaNest";
  }, [title]);
}

let firstPage = true;

/** A page's frame: title in the tab, one h1, focus moved there after in-app navigation. */
export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  usePageTitle(title);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // After a route change, screen readers and keyboard users start at the new page's heading.
    if (firstPage) firstPage = false;
    else heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div className="page">
      <header className="page__header">
        <h1 ref={heading} tabIndex={-1} className="page__title">
          {title}
        </h1>
        {actions && <div className="page__actions">{actions}</div>}
      </header>
      {children}
    </div>
  );
}
