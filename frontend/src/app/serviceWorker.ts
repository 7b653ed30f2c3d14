/** Registers the app-shell worker in production builds (the dev server serves no sw.js shell). */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !("serviceWorker" in navigator)) return;
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      // Without the worker the app still works online; only offline start-up is lost.
    });
  });
}
