import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditDiff } from "@/lib/audit/diff";
import { auditFilterSchema, filterParams, parseAuditFilters } from "@/lib/audit/schemas";
import { auditDayRange } from "@/lib/audit/time";
import { fieldErrorsFrom } from "@/lib/forms";
import { en } from "@/lib/i18n/messages";
import { createTranslator } from "@/lib/i18n/translate";

// The audit filters as they come from a URL, and the per-field change view. Pure logic.

const t = createTranslator(en);
const errorsOf = (raw: Record<string, string>) => {
  const parsed = parseAuditFilters(raw);
  return parsed.ok ? {} : fieldErrorsFrom(parsed.error, t);
};

describe("the audit filter schema", () => {
  it("accepts a full set of filters and treats blanks as absent", () => {
    const parsed = parseAuditFilters({ actor: " Alice ", entityType: "Employee", entityId: "e1", action: "employee.", from: "2026-03-01", to: "2026-03-02", before: "120", extra: "ignored" });
    expect(parsed).toEqual({
      ok: true,
      cursorIgnored: false,
      filters: { actor: "Alice", entityType: "Employee", entityId: "e1", action: "employee.", from: "2026-03-01", to: "2026-03-02", before: "120" },
    });
    expect(parseAuditFilters({ actor: "", entityType: "  ", from: "", to: "" })).toEqual({ ok: true, cursorIgnored: false, filters: {} });
    if (parsed.ok) expect(filterParams(parsed.filters)).toEqual({ actor: "Alice", entityType: "Employee", entityId: "e1", action: "employee.", from: "2026-03-01", to: "2026-03-02" });
  });

  it("says clearly when the start date is after the end date", () => {
    expect(errorsOf({ from: "2026-03-05", to: "2026-03-01" })).toEqual({ to: ["The start date cannot be after the end date."] });
    expect(parseAuditFilters({ from: "2026-03-01", to: "2026-03-01" }).ok).toBe(true);
  });

  it("refuses dates that are not real days", () => {
    for (const bad of ["2026-02-30", "2026-13-01", "26-03-01", "2026-3-1", "2026-03-01T00:00", "today", "0000-01-01", "１２３４-０１-０１"]) {
      expect(errorsOf({ from: bad }).from, bad).toBeDefined();
    }
  });

  it("refuses hostile filter values with a message, never by throwing", () => {
    const megabyte = "x".repeat(1_000_000);
    expect(errorsOf({ actor: megabyte }).actor).toEqual(["At most 254 characters."]);
    expect(errorsOf({ entityId: megabyte }).entityId).toEqual(["At most 200 characters."]);
    expect(errorsOf({ action: megabyte }).action).toBeDefined();
    expect(errorsOf({ from: megabyte }).from).toBeDefined();
    expect(errorsOf({ actor: "a\u0000b" }).actor).toEqual(["Must not contain control characters."]);
    expect(errorsOf({ actor: "a\nb" }).actor).toEqual(["Must not contain control characters."]);
    expect(errorsOf({ entityId: "\u001b[31m" }).entityId).toEqual(["Must not contain control characters."]);
    expect(errorsOf({ entityType: "Employee'; DROP TABLE audit_events; --" }).entityType).toBeDefined();
    expect(errorsOf({ action: "employee.% OR 1=1" }).action).toBeDefined();
  });

  it("lets SQL-looking text through as plain text where free text belongs (it is only ever a parameter)", () => {
    expect(parseAuditFilters({ actor: "' OR '1'='1" })).toMatchObject({ ok: true, filters: { actor: "' OR '1'='1" } });
  });

  it("ignores a bad paging cursor with a notice instead of failing the page", () => {
    for (const bad of ["1 OR 1=1", "-1", "0", "1.5", "99999999999999999999", "9223372036854775808", "0x10", " "]) {
      const parsed = parseAuditFilters({ before: bad, actor: "alice" });
      expect(parsed, bad).toMatchObject({ ok: true, filters: { actor: "alice" } });
      if (parsed.ok) expect(parsed.filters.before, bad).toBeUndefined();
      expect(parsed.cursorIgnored, bad).toBe(bad.trim() !== "");
    }
    expect(parseAuditFilters({ before: "9223372036854775807" })).toMatchObject({ ok: true, filters: { before: "9223372036854775807" } });
    expect(parseAuditFilters({ before: "10", after: "20" })).toEqual({ ok: true, cursorIgnored: true, filters: { before: "10" } });
  });

  it("never throws, whatever the URL holds", () => {
    const keys = fc.constantFrom("actor", "entityType", "entityId", "action", "from", "to", "before", "after", "other");
    fc.assert(
      fc.property(fc.dictionary(keys, fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.stringMatching(/^\d{0,25}$/), fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/))), (raw) => {
        const parsed = parseAuditFilters(raw);
        if (!parsed.ok) expect(Object.keys(fieldErrorsFrom(parsed.error, t)).length).toBeGreaterThan(0);
        else expect(auditFilterSchema.safeParse(parsed.filters).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe("days in Asia/Shanghai", () => {
  it("runs from 16:00 UTC the evening before to 16:00 UTC, with `to` inclusive of its whole day", () => {
    expect(auditDayRange("2026-03-02", "2026-03-02")).toEqual({ gte: new Date("2026-03-01T16:00:00.000Z"), lt: new Date("2026-03-02T16:00:00.000Z") });
    expect(auditDayRange(undefined, "2026-12-31")).toEqual({ lt: new Date("2026-12-31T16:00:00.000Z") });
    expect(auditDayRange("2027-01-01", undefined)).toEqual({ gte: new Date("2026-12-31T16:00:00.000Z") });
  });
});

describe("the per-field change", () => {
  it("lists only the keys whose values differ, in key order", () => {
    expect(auditDiff({ name: "张三", dept: "d1", roles: ["HR"] }, { name: "李四", dept: "d1", roles: ["HR", "ADMIN"], title: "经理" })).toEqual([
      { field: "name", before: '"张三"', after: '"李四"' },
      { field: "roles", before: '["HR"]', after: '["HR","ADMIN"]' },
      { field: "title", before: undefined, after: '"经理"' },
    ]);
  });

  it("treats a creation and a removal as every field changing", () => {
    expect(auditDiff(null, { a: 1 })).toEqual([{ field: "a", before: undefined, after: "1" }]);
    expect(auditDiff({ a: 1 }, undefined)).toEqual([{ field: "a", before: "1", after: undefined }]);
    expect(auditDiff(null, null)).toEqual([]);
  });

  it("ignores key order inside values, as the hash does", () => {
    expect(auditDiff({ x: { a: 1, b: 2 } }, { x: { b: 2, a: 1 } })).toEqual([]);
  });

  it("compares non-object values whole", () => {
    expect(auditDiff("old", "new")).toEqual([{ field: null, before: '"old"', after: '"new"' }]);
    expect(auditDiff([1], [1])).toEqual([]);
  });

  it("keeps markup as text, treats inherited names as plain fields, and shortens huge values", () => {
    expect(auditDiff({ note: "<script>alert(1)</script>" }, {})).toEqual([{ field: "note", before: '"<script>alert(1)</script>"', after: undefined }]);
    expect(auditDiff({}, { constructor: 1, toString: "x" })).toEqual([
      { field: "constructor", before: undefined, after: "1" },
      { field: "toString", before: undefined, after: '"x"' },
    ]);
    const [change] = auditDiff({ big: "y".repeat(5_000) }, {}, 100);
    expect(change.before).toHaveLength(101);
    expect(change.before?.endsWith("…")).toBe(true);
  });
});
