import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { StatusBadge, statusLook } from "./StatusBadge";

describe("StatusBadge", () => {
  it.each([
    ["up", "Up", "success"],
    ["down", "Down", "danger"],
    ["degraded", "Degraded", "warning"],
    ["unknown", "Unknown", "neutral"],
    ["disabled", "Disabled", "neutral"],
    ["partially_available", "Partly available", "accent"],
    ["downloading", "Downloading", "info"],
  ])("shows %s as a word, an icon and a colour", (status, word, tone) => {
    const { container } = render(<StatusBadge status={status} />);
    const badge = screen.getByText(word).closest(".badge");
    expect(badge).not.toBeNull();
    expect(badge?.className).toContain(`badge--${tone}`);
    const icon = container.querySelector(`svg[data-status-icon="${status}"]`);
    expect(icon).not.toBeNull();
    expect(icon?.getAttribute("aria-hidden")).toBe("true");
  });

  it("gives every service state a distinct icon, so colour is never the only signal", () => {
    const icons = ["up", "down", "degraded", "unknown", "disabled"].map((s) => statusLook(s).Icon);
    expect(new Set(icons).size).toBe(icons.length);
  });

  it("shows an unexpected status as its own text, never as markup", () => {
    render(<StatusBadge status="<b>weird</b>" />);
    expect(screen.getByText("<b>weird</b>")).toBeTruthy();
    expect(document.querySelector("b")).toBeNull();
  });
});
