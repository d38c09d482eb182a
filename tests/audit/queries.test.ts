import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { permissionsOf } from "@/lib/auth/permissions";
import { auditActionNames, auditEntityTypes, auditEventPages, auditTrailView, countAuditEvents, listAuditEvents, type AuditEventRow } from "@/lib/audit/queries";
import { parseAuditFilters, type AuditFilters } from "@/lib/audit/schemas";
import { verifyAuditChain } from "@/lib/server/audit-verify";
import type { AuditActor } from "@/lib/server/audit-write";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { writeEvent } from "./helpers";

// The audit list's reads: each filter, the Asia/Shanghai day boundary, keyset paging, the capped
// count, the filter selects, the export's pages, and what hostile input can (not) do.

let db: TestDb;
const alice: AuditActor = { id: "alice0000000000000000000", label: "Alice@Example.test", ip: "10.0.0.1" };
const bob: AuditActor = { id: "bob00000000000000000000000", label: "bob@example.test", ip: "10.0.0.2" };
const odd: AuditActor = { id: null, label: "a%b_c\\d@example.test", ip: null };
const ids: Record<string, string> = {};
const bulk: string[] = [];
const BULK = 120;

/** Writes an event with the clock at `at`, so created_at is exactly that instant. */
async function at(iso: string, name: string, input: Parameters<typeof writeEvent>[1]) {
  vi.setSystemTime(new Date(iso));
  ids[name] = String(await writeEvent(db.prisma, input));
}

beforeAll(async () => {
  db = await createTestDb();
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    // Around the Shanghai midnights that start 2026-03-02 (16:00 UTC on 03-01) and 2026-03-03.
    await at("2026-03-01T15:59:59.999Z", "aliceCreate", { actor: alice, action: "employee.create", entityType: "Employee", entityId: "e1", after: { name: "张三" } });
    await at("2026-03-01T16:00:00.000Z", "bobUpdate", { actor: bob, action: "employee.update", entityType: "Employee", entityId: "e1", before: { name: "张三" }, after: { name: "李四" } });
    await at("2026-03-02T15:59:59.999Z", "aliceDept", { actor: alice, action: "department.create", entityType: "Department", entityId: "d1", after: { code: "HQ" } });
    await at("2026-03-02T16:00:00.000Z", "oddSignIn", { actor: odd, action: "auth.signIn", entityType: "Employee", entityId: "e2" });
    for (let i = 0; i < BULK; i++) {
      vi.setSystemTime(new Date(Date.UTC(2026, 3, 1, 0, 0, i)));
      bulk.push(String(await writeEvent(db.prisma, { actor: bob, action: "bulk.write", entityType: "Bulk", entityId: `b${i}` })));
    }
  } finally {
    vi.useRealTimers();
  }
});
afterAll(async () => db?.close());

/** The matching events' ids, newest first, by the Prisma path and the trail's statement alike
 * (tests/audit/trail-view.test.ts compares them page by page). */
async function idsFor(filters: AuditFilters): Promise<string[]> {
  const ids = (await listAuditEvents(db.prisma, filters, 500)).events.map((e) => e.id);
  const view = await auditTrailView(db.prisma, { permissions: permissionsOf(["AUDITOR"]) }, filters, 500);
  expect(view.page.events.map((e) => e.id)).toEqual(ids);
  return ids;
}
const named = (...names: string[]) => names.map((n) => ids[n]).sort((a, b) => Number(b) - Number(a));

describe("filters", () => {
  it("start from a trail whose events were written through the chain with chosen times", async () => {
    expect(await db.prisma.auditEvent.count()).toBe(BULK + 4);
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: BULK + 4 });
  });

  it("by actor: any part of the e-mail in any case, or the exact employee id", async () => {
    expect(await idsFor({ actor: "ALICE" })).toEqual(named("aliceDept", "aliceCreate"));
    expect(await idsFor({ actor: "example.TEST", entityType: "Employee" })).toEqual(named("oddSignIn", "bobUpdate", "aliceCreate"));
    expect(await idsFor({ actor: alice.id! })).toEqual(named("aliceDept", "aliceCreate"));
    expect(await idsFor({ actor: "alice000" })).toEqual([]); // part of an id is not an id
  });

  it("by actor: %, _ and \\ are literal characters, not wildcards", async () => {
    expect(await idsFor({ actor: "%" })).toEqual(named("oddSignIn"));
    expect(await idsFor({ actor: "_" })).toEqual(named("oddSignIn"));
    expect(await idsFor({ actor: "a%b" })).toEqual(named("oddSignIn"));
    expect(await idsFor({ actor: "c\\d" })).toEqual(named("oddSignIn"));
    expect(await idsFor({ actor: "b%c" })).toEqual([]);
  });

  it("by entity type and id, exactly", async () => {
    expect(await idsFor({ entityType: "Department" })).toEqual(named("aliceDept"));
    expect(await idsFor({ entityType: "Employee", entityId: "e1" })).toEqual(named("bobUpdate", "aliceCreate"));
    expect(await idsFor({ entityType: "employee" })).toEqual([]);
    expect(await idsFor({ entityId: "e" })).toEqual([]);
  });

  it("by action, exactly or by a prefix ending in a dot", async () => {
    expect(await idsFor({ action: "employee.update" })).toEqual(named("bobUpdate"));
    expect(await idsFor({ action: "employee." })).toEqual(named("bobUpdate", "aliceCreate"));
    expect(await idsFor({ action: "employee" })).toEqual([]);
    expect(await idsFor({ action: "auth." })).toEqual(named("oddSignIn"));
    expect(await idsFor({ action: "bulk_" })).toEqual([]); // _ is no wildcard in a prefix either
    expect(await idsFor({ action: "b_lk." })).toEqual([]);
  });

  it("by an action prefix through the action index's range, whatever the database's collation", async () => {
    // A plain btree index cannot serve LIKE under a collation other than C: PostgreSQL then read
    // every entry and filtered them. The index's text_pattern_ops class (migration
    // 20261210_s29_list_indexes) turns the prefix into a range of the index. Sequential scans are
    // switched off so the plan shows whether the index can answer the condition at all.
    const plan = await db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>("EXPLAIN (FORMAT TEXT) SELECT count(*) FROM audit_events e WHERE e.action LIKE $1", "employee.%");
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("audit_events_action_idx");
    expect(plan).toMatch(/Index Cond: \(\(action ~>=~ 'employee\.'::text\) AND \(action ~<~ 'employee\/'::text\)\)/);
  });

  it("by day in Asia/Shanghai, `to` inclusive of its whole day, across the 16:00 UTC boundary", async () => {
    expect(await idsFor({ from: "2026-03-02", to: "2026-03-02" })).toEqual(named("aliceDept", "bobUpdate"));
    expect(await idsFor({ to: "2026-03-01" })).toEqual(named("aliceCreate"));
    expect(await idsFor({ from: "2026-03-03", to: "2026-03-03" })).toEqual(named("oddSignIn"));
    expect(await idsFor({ from: "2026-03-01", to: "2026-03-31" })).toEqual(named("oddSignIn", "aliceDept", "bobUpdate", "aliceCreate"));
    expect((await idsFor({ from: "2026-04-01" })).length).toBe(BULK);
    expect(await idsFor({ from: "2026-02-01", to: "2026-02-28" })).toEqual([]);
  });

  it("combines filters with AND", async () => {
    expect(await idsFor({ actor: "bob", entityType: "Employee", from: "2026-03-02", to: "2026-03-02", action: "employee." })).toEqual(named("bobUpdate"));
    expect(await idsFor({ actor: "alice", action: "employee.update" })).toEqual([]);
  });
});

describe("keyset paging", () => {
  const filters: AuditFilters = { action: "bulk." };

  it("gives disjoint consecutive pages, newest first, that together hold every match", async () => {
    const p1 = await listAuditEvents(db.prisma, filters);
    const p2 = await listAuditEvents(db.prisma, { ...filters, before: p1.olderCursor! });
    const p3 = await listAuditEvents(db.prisma, { ...filters, before: p2.olderCursor! });
    expect([p1.events.length, p2.events.length, p3.events.length]).toEqual([50, 50, 20]);
    const all = [...p1.events, ...p2.events, ...p3.events].map((e) => BigInt(e.id));
    for (let i = 1; i < all.length; i++) expect(all[i] < all[i - 1]).toBe(true);
    expect(all.map(String).sort()).toEqual([...bulk].sort());
    expect([p1.newerCursor, p1.olderCursor]).toEqual([null, p1.events[49].id]);
    expect([p2.newerCursor, p2.olderCursor]).toEqual([p2.events[0].id, p2.events[49].id]);
    expect([p3.newerCursor, p3.olderCursor]).toEqual([p3.events[0].id, null]);

    // Back up: newer than page 3 is page 2; newer than page 2 is the newest page.
    const back2 = await listAuditEvents(db.prisma, { ...filters, after: p3.newerCursor! });
    expect(back2).toEqual(p2);
    const back1 = await listAuditEvents(db.prisma, { ...filters, after: p2.newerCursor! });
    expect(back1).toEqual(p1);
  });

  it("pages with other page sizes too, and copes with cursors that point nowhere", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listAuditEvents(db.prisma, { ...filters, before: cursor }, 7);
      seen.push(...page.events.map((e) => e.id));
      if (!page.olderCursor) break;
      cursor = page.olderCursor;
    }
    expect(seen.length).toBe(BULK);
    expect(new Set(seen).size).toBe(BULK);
    expect(await listAuditEvents(db.prisma, { ...filters, before: "1" })).toEqual({ events: [], newerCursor: null, olderCursor: null });
    const beyond = await listAuditEvents(db.prisma, { ...filters, after: "9223372036854775807" });
    expect(beyond.events.length).toBe(50);
    expect(beyond.newerCursor).toBeNull();
  });
});

describe("count, filter selects and export pages", () => {
  it("counts up to a cap", async () => {
    expect(await countAuditEvents(db.prisma, {})).toEqual({ count: BULK + 4, capped: false });
    expect(await countAuditEvents(db.prisma, { action: "bulk." }, { cap: 100 })).toEqual({ count: 100, capped: true });
    expect(await countAuditEvents(db.prisma, { action: "bulk." }, { cap: 120 })).toEqual({ count: 120, capped: false });
    expect(await countAuditEvents(db.prisma, { actor: "nobody" })).toEqual({ count: 0, capped: false });
  });

  it("lists the entity types and actions present", async () => {
    expect(await auditEntityTypes(db.prisma)).toEqual(["Bulk", "Department", "Employee"]);
    expect(await auditActionNames(db.prisma)).toEqual(["auth.signIn", "bulk.write", "department.create", "employee.create", "employee.update"]);
  });

  it("pages the export oldest first, a bounded page at a time, up to the newest event at its start", async () => {
    const pages = auditEventPages(db.prisma, { action: "bulk." }, 7);
    const first = await pages.next();
    expect(first.value).toHaveLength(7);
    // An event written while the export runs is not part of it.
    await writeEvent(db.prisma, { actor: bob, action: "bulk.write", entityType: "Bulk", entityId: "late" });
    const rows: AuditEventRow[] = [...(first.value as AuditEventRow[])];
    const sizes: number[] = [7];
    for await (const page of pages) {
      sizes.push(page.length);
      rows.push(...page);
    }
    expect(sizes.every((n) => n <= 7)).toBe(true);
    expect(rows.map((r) => r.id)).toEqual(bulk);
    expect(rows.every((r) => r.action === "bulk.write")).toBe(true);
  });
});

describe("hostile input", () => {
  it("cannot change the query: SQL fragments are matched as plain text", async () => {
    const before = await db.prisma.auditEvent.count();
    for (const hostile of ["' OR '1'='1", "'; DELETE FROM audit_events; --", "x') OR 1=1 --", "\\' OR 1=1", "%' OR actor_label LIKE '%"]) {
      expect(await idsFor({ actor: hostile }), hostile).toEqual([]);
      expect(await idsFor({ entityId: hostile }), hostile).toEqual([]);
      expect(await idsFor({ entityType: hostile, action: hostile }), hostile).toEqual([]);
      expect(await countAuditEvents(db.prisma, { actor: hostile })).toEqual({ count: 0, capped: false });
    }
    expect(await db.prisma.auditEvent.count()).toBe(before);
  });

  it("is refused by the schema before it reaches a query, or is harmless there", async () => {
    const cases: Record<string, string>[] = [
      { actor: "x".repeat(1_000_000) },
      { entityId: "y".repeat(1_000_000) },
      { actor: "\u0000" },
      { entityType: "Employee\u0000" },
      { action: "employee.\r\n" },
      { from: "2026-03-01'; --" },
      { before: "1; DROP TABLE audit_events" },
      { after: "-5" },
      { actor: "\u202Eevil\u200B" },
    ];
    for (const raw of cases) {
      const parsed = parseAuditFilters(raw);
      if (parsed.ok) await expect(idsFor(parsed.filters)).resolves.toBeDefined();
      else expect(parsed.error.issues.length).toBeGreaterThan(0);
    }
    expect(parseAuditFilters({ actor: "x".repeat(1_000_000) }).ok).toBe(false);
    expect(parseAuditFilters({ actor: "\u0000" }).ok).toBe(false);
    expect(parseAuditFilters({ before: "1; DROP TABLE audit_events" })).toMatchObject({ ok: true, cursorIgnored: true, filters: {} });
  });
});
