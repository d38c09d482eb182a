import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./url";

describe("safeReturnPath", () => {
  it("keeps a path on this site with its query and fragment", () => {
    expect(safeReturnPath("/groups?page=2&q=%E4%B8%AD#top")).toBe("/groups?page=2&q=%E4%B8%AD#top");
    expect(safeReturnPath("/")).toBe("/");
    expect(safeReturnPath("/privacy/consents/abc")).toBe("/privacy/consents/abc");
  });

  it.each([
    "/\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "///evil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "/\n/evil.example",
    "/%0A/evil.example",
    "/%0D%0ALocation:%20http://evil.example",
    "/\r\n/evil.example",
    "/\u0000x",
    "/%00x",
    "/\u0085x",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " /groups",
    "evil.example",
    "",
    "/%E0%A4%A",
    `/${"a".repeat(2001)}`,
  ])("refuses %j", (value) => {
    expect(safeReturnPath(value)).toBe("/");
  });

  it("refuses what is not a string, and uses the fallback given", () => {
    expect(safeReturnPath(null)).toBe("/");
    expect(safeReturnPath(["/groups"])).toBe("/");
    expect(safeReturnPath("//evil.example", "/login")).toBe("/login");
  });
});
