import { describe, expect, it } from "vitest";
import { safeNextPath, signInPath } from "./safeRedirect";

describe("safeNextPath", () => {
  it.each([
    ["/downloads", "/downloads"],
    ["/library/items/12?x=1#top", "/library/items/12?x=1#top"],
    [null, "/"],
    ["", "/"],
    ["https://evil.example/", "/"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/signin?next=/x", "/"],
    ["/ok\n", "/"],
  ])("%s → %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  it("builds the sign-in link with a same-site next only", () => {
    expect(signInPath("/requests?status=pending")).toBe("/signin?next=%2Frequests%3Fstatus%3Dpending");
    expect(signInPath("/")).toBe("/signin");
    expect(signInPath("//evil.example")).toBe("/signin");
  });
});
