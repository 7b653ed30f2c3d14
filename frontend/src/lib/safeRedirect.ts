// Where to go after signing in. Only paths on this site are accepted, so a crafted
// "?next=//evil.example" or "?next=https://..." link cannot send a fresh session elsewhere.

export function safeNextPath(next: string | null | undefined, fallback = "/"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f]/.test(next)) return fallback;
  try {
    const url = new URL(next, window.location.origin);
    if (url.origin !== window.location.origin) return fallback;
    if (url.pathname.startsWith("/signin")) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

export function signInPath(from: string): string {
  const next = safeNextPath(from, "");
  return next && next !== "/" ? `/signin?next=${encodeURIComponent(next)}` : "/signin";
}

/** A link from server data, kept only when it stays on this site (never another origin or a script URL). */
export function sameSiteLink(link: string | null | undefined): string | null {
  if (!link) return null;
  return safeNextPath(link, "") || null;
}
