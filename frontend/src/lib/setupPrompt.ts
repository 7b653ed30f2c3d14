// The admin is sent to first-run setup once per browser session while setup is unfinished; after
// "Skip for now" (or "Finish") the dashboard shows a banner instead of redirecting again.

const KEY = "medianest.setupDeferred";

export function setupDeferred(): boolean {
  try {
    return sessionStorage.getItem(KEY) === "1";
  } catch {
    return false;
  }
}

export function deferSetup(): void {
  try {
    sessionStorage.setItem(KEY, "1");
  } catch {
    // private mode: the redirect simply happens again next time
  }
}
