import { describe, expect, it } from "vitest";
import { parentOf, sectionOf } from "@/lib/shell/navigation";

// The top bar's back link and the 404 page's "back to …" (components/shell/not-found-view.tsx).
describe("parentOf", () => {
  it("has none on a page the navigation lists", () => {
    expect(parentOf("/")).toBeNull();
    expect(parentOf("/groups")).toBeNull();
    expect(parentOf("/groups/")).toBeNull();
  });

  it("is the nearest page above a record, skipping folders without a page", () => {
    expect(parentOf("/groups/cl0000000000000000000000")).toBe("/groups");
    expect(parentOf("/training/courses/c1")).toBe("/training");
    expect(parentOf("/privacy/subjects/s1")).toBe("/privacy");
  });

  it("is home for an address outside every section, never another address that does not exist", () => {
    expect(parentOf("/no-such-page")).toBe("/");
    expect(parentOf("/no-such-page/deeper/still")).toBe("/");
    expect(sectionOf("/no-such-page").href).toBe("/");
  });
});
