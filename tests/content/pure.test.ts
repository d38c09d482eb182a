import { describe, expect, it } from "vitest";
import { diffChars, diffLines } from "@/lib/content/diff";
import { checkMedia, dayKey, expiredAssets, licenceValidOn } from "@/lib/content/media-check";
import { body, plannedAt, toPlannedValue } from "@/lib/content/schemas";

const d = (s: string) => new Date(`${s}T00:00:00.000Z`);

describe("media licence checks", () => {
  it("no licence is a finding; an end date before the publishing day is a finding; the last day itself is valid", () => {
    const assets = [
      { id: "a", name: "无授权", licenceType: "NONE" as const, licenceExpiresOn: null },
      { id: "b", name: "短期", licenceType: "PURCHASED" as const, licenceExpiresOn: d("2027-02-28") },
      { id: "c", name: "当天", licenceType: "PURCHASED" as const, licenceExpiresOn: d("2027-03-01") },
      { id: "e", name: "长期", licenceType: "OWN_WORK" as const, licenceExpiresOn: null },
    ];
    // 2027-03-01 09:00 China time.
    expect(checkMedia(assets, new Date("2027-03-01T01:00:00Z"))).toEqual([
      { rule: "MEDIA_LICENCE_MISSING", mediaId: "a", term: "无授权" },
      { rule: "MEDIA_LICENCE_EXPIRES", mediaId: "b", term: "短期" },
    ]);
  });
  it("days are China days: 2027-02-28 20:00 UTC is already 1 March in Shanghai", () => {
    expect(dayKey(new Date("2027-02-28T20:00:00Z"))).toBe("2027-03-01");
    expect(licenceValidOn({ licenceType: "PURCHASED", licenceExpiresOn: d("2027-02-28") }, new Date("2027-02-28T20:00:00Z"))).toBe(false);
  });
  it("expired assets are those whose end date is before today (NONE is a finding, not an expiry)", () => {
    const list = [
      { licenceType: "PURCHASED" as const, licenceExpiresOn: d("2026-01-01") },
      { licenceType: "PURCHASED" as const, licenceExpiresOn: d("2026-06-01") },
      { licenceType: "NONE" as const, licenceExpiresOn: null },
    ];
    expect(expiredAssets(list, new Date("2026-06-01T03:00:00Z"))).toEqual([list[0]]);
  });
});

describe("the diff", () => {
  it("keeps unchanged lines, marks added and removed ones, and a replaced line with its characters", () => {
    expect(diffLines("秋季新品\n销量全网第一\n欢迎选购", "秋季新品\n深受喜爱\n欢迎选购\n地址：上海")).toEqual([
      { op: "same", text: "秋季新品" },
      { op: "change", text: "深受喜爱", parts: [{ op: "del", text: "销量全网第一" }, { op: "add", text: "深受喜爱" }] },
      { op: "same", text: "欢迎选购" },
      { op: "add", text: "地址：上海" },
    ]);
  });
  it("character diff keeps the common parts", () => {
    expect(diffChars("销量全网第一", "销量领先")).toEqual([
      { op: "same", text: "销量" },
      { op: "del", text: "全网第一" },
      { op: "add", text: "领先" },
    ]);
  });
  it("identical texts are all same; a huge change falls back to removed-then-added", () => {
    expect(diffLines("a\nb", "a\nb").every((l) => l.op === "same")).toBe(true);
    const before = Array.from({ length: 3000 }, (_, i) => `old ${i}`).join("\n");
    const after = Array.from({ length: 3000 }, (_, i) => `new ${i}`).join("\n");
    const lines = diffLines(before, after);
    expect(lines.filter((l) => l.op === "del")).toHaveLength(3000);
    expect(lines.filter((l) => l.op === "add")).toHaveLength(3000);
  });
});

describe("form values", () => {
  it("the planned time is read as China time and written back the same", () => {
    const parsed = plannedAt.parse("2027-03-01T10:00");
    expect(parsed.toISOString()).toBe("2027-03-01T02:00:00.000Z");
    expect(toPlannedValue(parsed)).toBe("2027-03-01T10:00");
    expect(plannedAt.safeParse("2027-13-01").success).toBe(false);
  });
  it("the body keeps markup as text, makes line ends \\n, and refuses control characters", () => {
    expect(body.parse("<b>hi</b>\r\nline")).toBe("<b>hi</b>\nline");
    expect(body.safeParse("bad\u0000").success).toBe(false);
    expect(body.safeParse("   ").success).toBe(false);
  });
});
