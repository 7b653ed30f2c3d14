import { useQueryClient } from "@tanstack/react-query";
import { Compass, Download, Inbox, LayoutDashboard, Library, LogOut, Shield, type LucideIcon } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { logout } from "../features/auth/api";
import { NotificationsBell } from "../features/notifications/NotificationsBell";
import { useCurrentUser } from "../lib/currentUser";
import { OfflineBanner } from "./OfflineBanner";
import { SetupBanner } from "./SetupBanner";
import { useScrollRestoration } from "./scrollRestoration";
import { ThemeToggle } from "./ThemeToggle";

interface NavItem {
  href: string;
  label: string;
  Icon: LucideIcon;
  adminOnly?: boolean;
}

const NAV: NavItem[] = [
  { href: "/", label: "Dashboard", Icon: LayoutDashboard },
  { href: "/library", label: "Library", Icon: Library },
  { href: "/discover", label: "Discover", Icon: Compass },
  { href: "/requests", label: "Requests", Icon: Inbox },
  { href: "/downloads", label: "Downloads", Icon: Download },
  { href: "/admin", label: "Admin", Icon: Shield, adminOnly: true },
];

function isActive(current: string, href: string): boolean {
  return href === "/" ? current === "/" : current === href || current.startsWith(`${href}/`);
}

export function Shell({ children }: { children: ReactNode }) {
  const user = useCurrentUser();
  const [path, navigate] = useLocation();
  const client = useQueryClient();
  const [signingOut, setSigningOut] = useState(false);
  useScrollRestoration();

  async function signOut() {
    setSigningOut(true);
    try {
      await logout();
    } catch {
      // The cookies may already be gone; leaving for the sign-in page is right either way.
    }
    navigate("/signin", { replace: true });
    client.clear();
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          <img src="/icons/icon.svg" alt="" width={28} height={28} />
          <span>MediaNest</span>
        </Link>
        <div className="topbar__actions">
          <NotificationsBell />
          <ThemeToggle />
          <span className="topbar__user" title={user.email ?? undefined}>
            {user.username}
          </span>
          <button
            type="button"
            className="icon-btn"
            aria-label="Sign out"
            title="Sign out"
            disabled={signingOut}
            onClick={() => void signOut()}
          >
            <LogOut size={18} aria-hidden="true" />
          </button>
        </div>
      </header>
      <nav className="nav" aria-label="Main">
        <ul className="nav__list">
          {NAV.filter((item) => !item.adminOnly || user.role === "admin").map(({ href, label, Icon }) => {
            const active = isActive(path, href);
            return (
              <li key={href}>
                <Link href={href} className="nav__link" aria-current={active ? "page" : undefined}>
                  <Icon size={20} aria-hidden="true" />
                  <span>{label}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        <OfflineBanner />
        <SetupBanner />
        {children}
      </main>
    </div>
  );
}
