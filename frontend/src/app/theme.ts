// Dark by default; the choice is remembered per browser. Applied before the first render so a
// light-theme user sees no dark flash (without an inline script, which the CSP forbids).

export type Theme = "dark" | "light";
const KEY = "medianest.theme";

export function storedTheme(): Theme {
  try {
    return localStorage.getItem(KEY) === "light" ? "light" : "dark";
  } catch {
    return "dark";
  }
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.querySelector('meta[name="theme-color"]')?.setAttribute("content", theme === "light" ? "#f6f7f9" : "#0f1115");
}

export function saveTheme(theme: Theme): void {
  applyTheme(theme);
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // private mode: the theme still applies for this visit
  }
}
