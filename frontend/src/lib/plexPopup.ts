// The Plex sign-in window, shared by user sign-in and the admin's server linking. It must be opened
// inside the click handler itself (so popup blockers allow it), at a same-site loading page; the
// caller points it at Plex once the PIN exists.

export interface PopupLike {
  closed: boolean;
  close(): void;
  location: { href: string };
}

/** Opens the popup synchronously inside the click handler, at our own loading page. */
export function openPlexPopup(): PopupLike | null {
  const width = 600;
  const height = 720;
  const left = Math.max(0, window.screenX + (window.outerWidth - width) / 2);
  const top = Math.max(0, window.screenY + (window.outerHeight - height) / 2);
  const popup = window.open(
    "/plex-loading.html",
    "medianest-plex-auth",
    `popup=yes,width=${width},height=${height},left=${left},top=${top}`,
  );
  // The opener link is kept on purpose: once the popup is on plex.tv, browsers let only its opener
  // close it (a disowned cross-origin window refuses close() and logs an error), and the flow closes
  // it when sign-in ends. plex.tv is the identity provider we trust with the sign-in anyway.
  return popup;
}

export function closePopupQuietly(popup: PopupLike | null): void {
  try {
    if (popup && !popup.closed) popup.close();
  } catch {
    // a popup we can no longer reach needs no closing
  }
}
