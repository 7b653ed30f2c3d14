// Tabs that are links: each view has its own address, so Back, reload and bookmarks work.

import { Link, useLocation } from "wouter";

export interface SubNavItem {
  href: string;
  label: string;
  /** Exact match only (for an index tab whose href prefixes the others). */
  exact?: boolean;
  /** Other addresses that show this tab. */
  aliases?: string[];
}

export function SubNav({ label, items }: { label: string; items: SubNavItem[] }) {
  const [path] = useLocation();
  return (
    <nav className="subnav" aria-label={label}>
      <ul className="subnav__list">
        {items.map((item) => {
          const active = [item.href, ...(item.aliases ?? [])].some((href) =>
            item.exact ? path === href : path === href || path.startsWith(`${href}/`),
          );
          return (
            <li key={item.href}>
              <Link href={item.href} className="subnav__link" aria-current={active ? "page" : undefined}>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
