// Toasts in one aria-live region. A tiny store instead of a library: the common toast libraries
// inject <style> tags at run time, which the CSP blocks.

import { X } from "lucide-react";
import { useSyncExternalStore } from "react";

export interface Toast {
  id: number;
  title: string;
  body?: string | null;
  tone: "info" | "success" | "error";
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit() {
  for (const listener of listeners) listener();
}

export function dismissToast(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

export function toast(input: Omit<Toast, "id" | "tone"> & { tone?: Toast["tone"] }): number {
  const id = nextId++;
  // Newest last, at most four on screen.
  const next: Toast = { tone: "info", ...input, id };
  toasts = [...toasts, next].slice(-4);
  emit();
  setTimeout(() => dismissToast(id), input.tone === "error" ? 8000 : 5000);
  return id;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function Toaster() {
  const items = useSyncExternalStore(subscribe, () => toasts);
  return (
    <section className="toaster" aria-live="polite" aria-label="Notifications">
      {items.map((t) => (
        <div key={t.id} className={`toast toast--${t.tone}`} role={t.tone === "error" ? "alert" : "status"}>
          <div className="toast__text">
            <p className="toast__title">{t.title}</p>
            {t.body && <p className="toast__body">{t.body}</p>}
          </div>
          <button type="button" className="icon-btn" aria-label="Dismiss notification" onClick={() => dismissToast(t.id)}>
            <X size={16} aria-hidden="true" />
          </button>
        </div>
      ))}
    </section>
  );
}
