import { describe, expect, it } from "vitest";
import { payloadLines, subjectHref } from "@/lib/approvals/payload";
import { createTranslator, messagesFor } from "@/lib/i18n/translate";

// The request page's rendering of a payload: the capability's summary, or a generic key/value list.
const t = createTranslator(messagesFor("en"));

describe("payloadLines", () => {
  it("uses the summary a capability gave, translating keys", () => {
    const payload = { summary: [{ labelKey: "approvals.detail.type", valueKey: "approvals.types.GROUP_CREATE" }, { label: "人数", value: 35 }, { label: "备注", value: null }], raw: 1 };
    expect(payloadLines(payload, t)).toEqual([
      { label: "Type", value: "New work group" },
      { label: "人数", value: "35" },
      { label: "备注", value: "—" },
    ]);
  });

  it("otherwise lists every top-level key, objects as JSON, long values cut", () => {
    expect(payloadLines({ name: "群", tags: ["a", "b"], ok: true, subjectHref: "/x", long: "长".repeat(600) }, t)).toEqual([
      { label: "name", value: "群" },
      { label: "tags", value: '["a","b"]' },
      { label: "ok", value: "true" },
      { label: "long", value: `${"长".repeat(500)}…` },
    ]);
    expect(payloadLines(null, t)).toEqual([]);
    expect(payloadLines("text", t)).toEqual([{ label: "payload", value: "text" }]);
    expect(payloadLines({ summary: [{ nonsense: 1 }] }, t)).toEqual([]);
  });
});

describe("subjectHref", () => {
  it("links only to paths inside the portal", () => {
    expect(subjectHref({ subjectHref: "/groups/abc" })).toBe("/groups/abc");
    for (const bad of ["//evil.example/x", "/\\evil.example", "javascript:alert(1)", "https://evil.example", "/a b", 42]) {
      expect(subjectHref({ subjectHref: bad }), String(bad)).toBeNull();
    }
    expect(subjectHref(null)).toBeNull();
  });
});
