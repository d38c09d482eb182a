import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditChangeMarkup } from "@/components/audit/audit-change";
import { permissionsOf, type RoleCode } from "@/lib/auth/permissions";
import { auditChangedFields } from "@/lib/audit/diff";
import { auditActionNames, auditEntityTypes, auditTrailView, countAuditEvents, listAuditEvents, type AuditPage, type AuditTrailPage } from "@/lib/audit/queries";
import type { AuditFilters } from "@/lib/audit/schemas";
import type { AuditActor } from "@/lib/server/audit-write";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { writeEvent } from "./helpers";

// The audit trail's one statement (auditTrailView) against the Prisma path it replaced on the page
// (listAuditEvents, countAuditEvents, auditEntityTypes, auditActionNames): for every filter, the
// same events in the same order, the same cursors walking down (`before=`) and back up
// (`after=`), the same count; each event's changed fields, computed by PostgreSQL, equal to
// auditDiff's over the values; and who may read it.

let db: TestDb;
const alice: AuditActor = { id: "alice0000000000000000000", label: "Alice@Example.test", ip: "10.0.0.1" };
const bob: AuditActor = { id: "bob00000000000000000000000", label: "bob@example.test", ip: "10.0.0.2" };
const odd: AuditActor = { id: null, label: "a%b_c\\d@example.test", ip: null };
const admin = { permissions: permissionsOf(["ADMIN"]) };

/** Before/after pairs: every branch of the change summary (lib/audit/diff.ts). */
const CHANGES: [unknown, unknown][] = [
  [null, null],
  [undefined, { name: "张三" }],
  [{ name: "张三" }, undefined],
  [{ name: "张三", dept: "d1" }, { name: "李四", dept: "d1" }],
  [{ a: 1 }, { a: 1 }],
  [{ x: { a: 1, b: 2 } }, { x: { b: 2, a: 1 } }],
  [{ x: [1, 2] }, { x: [2, 1] }],
  [{ a: 1, b: 2, c: 3, d: 4, e: 5 }, { a: 2, b: 3, c: 4, d: 5, e: 6 }],
  [{ z: 1, a: 1, M: 1, _: 1, "": 1, 名: 1 }, {}],
  [{ k: null }, {}],
  [{ k: null }, { k: null }],
  [{ k: null }, { k: 0 }],
  [{ k: 1 }, { k: 1.0 }],
  [{ k: 0.1 }, { k: 0.30000000000000004 }],
  [{ k: "1" }, { k: 1 }],
  [{ k: true }, { k: false }],
  [{ k: { deep: { er: [1, { a: "x" }] } } }, { k: { deep: { er: [1, { a: "x" }] } } }],
  [{ k: { deep: { er: [1, { a: "x" }] } } }, { k: { deep: { er: [1, { a: "y" }] } } }],
  [{ constructor: 1, toString: "x" }, {}],
  ["old", "new"],
  ["same", "same"],
  [[1], [1]],
  [[1], { a: 1 }],
  [null, [1]],
  [5, null],
  [{ a: 1 }, "text"],
  [{ big: "y".repeat(5_000) }, { big: "y".repeat(4_999) }],
];

const ACTIONS = ["employee.create", "employee.update", "department.create", "auth.signIn"];
const TYPES = ["Employee", "Department", "Session"];

beforeAll(async () => {
  db = await createTestDb();
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    let i = 0;
    const next = () => vi.setSystemTime(new Date(Date.UTC(2026, 2, 1, 13, 0, 0) + i++ * 3 * 3_600_000)); // every 3 hours, on the Shanghai midnights (16:00 UTC) too
    for (const [before, after] of CHANGES) {
      next();
      await writeEvent(db.prisma, { actor: alice, action: "employee.update", entityType: "Employee", entityId: `c${i}`, before, after });
    }
    for (let n = 0; n < 100; n++) {
      next();
      const actor = [alice, bob, odd][n % 3];
      await writeEvent(db.prisma, { actor, action: ACTIONS[n % 4], entityType: TYPES[n % 3], entityId: `e${n % 5}`, after: n % 2 ? { n } : undefined });
    }
  } finally {
    vi.useRealTimers();
  }
  // JSON null in a column (the app writes SQL NULL; a hand-made row may not): the same as none.
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  try {
    await owner.query(
      `INSERT INTO audit_events (actor_id, actor_label, action, entity_type, entity_id, before, after, ip, created_at, prev_hash, hash)
       VALUES (NULL, 'system', 'test.null', 'Test', 'n1', 'null', 'null', NULL, now(), 'x', 'test-null-1'),
              (NULL, 'system', 'test.null', 'Test', 'n2', 'null', '{"a": 1}', NULL, now(), 'x', 'test-null-2'),
              (NULL, 'system', 'test.null', 'Test', 'n3', '[]', 'null', NULL, now(), 'x', 'test-null-3')`,
    );
  } finally {
    await owner.end();
  }
});
afterAll(async () => db?.close());

/** The Prisma path's page, shaped as the trail's (the events' ids, order and cursors). */
function idsOf(page: AuditPage | AuditTrailPage) {
  return { ids: page.events.map((e) => e.id), newerCursor: page.newerCursor, olderCursor: page.olderCursor };
}

/** Walks down from the newest page to the oldest and back up, comparing every page of both paths. */
async function compareWalk(filters: AuditFilters, pageSize: number) {
  const downs: ReturnType<typeof idsOf>[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 200; guard++) {
    const f = { ...filters, before: cursor };
    const [old, view] = await Promise.all([listAuditEvents(db.prisma, f, pageSize), auditTrailView(db.prisma, admin, f, pageSize)]);
    expect(idsOf(view.page), JSON.stringify(f)).toEqual(idsOf(old));
    downs.push(idsOf(old));
    if (!old.olderCursor) break;
    cursor = old.olderCursor;
  }
  // Back up from each page: the page above it (or the newest page when fewer than a page remain).
  for (const page of downs) {
    if (!page.newerCursor) continue;
    const f = { ...filters, after: page.newerCursor };
    const [old, view] = await Promise.all([listAuditEvents(db.prisma, f, pageSize), auditTrailView(db.prisma, admin, f, pageSize)]);
    expect(idsOf(view.page), JSON.stringify(f)).toEqual(idsOf(old));
  }
  // Cursors that point between, before and beyond the events.
  for (const edge of ["1", "2", "9223372036854775807", downs[0]?.ids[1]].filter((v): v is string => v !== undefined)) {
    for (const f of [{ ...filters, before: edge }, { ...filters, after: edge }]) {
      const [old, view] = await Promise.all([listAuditEvents(db.prisma, f, pageSize), auditTrailView(db.prisma, admin, f, pageSize)]);
      expect(idsOf(view.page), JSON.stringify(f)).toEqual(idsOf(old));
    }
  }
  return downs.flatMap((p) => p.ids);
}

const FILTERS: AuditFilters[] = [
  {},
  { actor: "ALICE" },
  { actor: "example.TEST" },
  { actor: alice.id! },
  { actor: "%" },
  { actor: "c\\d" },
  { actor: "nobody" },
  { entityType: "Employee" },
  { entityType: "Department", entityId: "e1" },
  { entityId: "e3" },
  { action: "employee.update" },
  { action: "employee." },
  { action: "auth." },
  { action: "e_ployee." },
  { from: "2026-03-05" },
  { to: "2026-03-04" },
  { from: "2026-03-03", to: "2026-03-07" },
  { actor: "bob", action: "employee.", from: "2026-03-02", to: "2026-03-20" },
  { actor: "' OR '1'='1", entityId: "'; DELETE FROM audit_events; --" },
];

describe("auditTrailView against the Prisma path", () => {
  it("starts from the events written", async () => {
    expect(await db.prisma.auditEvent.count()).toBe(CHANGES.length + 100 + 3);
  });

  it.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))("gives the same pages, cursors and count for %s, down and back up", async (_name, filters) => {
    for (const pageSize of [13, 50]) {
      const ids = await compareWalk(filters, pageSize);
      const count = await countAuditEvents(db.prisma, filters);
      expect(count?.count).toBe(ids.length);
      expect((await auditTrailView(db.prisma, admin, filters, pageSize)).count).toEqual(count);
    }
  });

  it("counts up to the cap, unfiltered in its own statement as filtered in the transaction", async () => {
    expect((await auditTrailView(db.prisma, admin, {})).count).toEqual(await countAuditEvents(db.prisma, {}));
    expect((await auditTrailView(db.prisma, admin, { before: "5" })).count).toEqual({ count: CHANGES.length + 103, capped: false });
    expect((await auditTrailView(db.prisma, admin, { action: "employee." })).count).toEqual(await countAuditEvents(db.prisma, { action: "employee." }));
  });

  it("lists the same entity types and actions for the filter selects", async () => {
    const view = await auditTrailView(db.prisma, admin, { actor: "nobody" });
    expect(view.entityTypes).toEqual(await auditEntityTypes(db.prisma));
    expect(view.actions).toEqual(await auditActionNames(db.prisma));
    expect(view.actions).toEqual(["auth.signIn", "department.create", "employee.create", "employee.update", "test.null"]);
  });

  it("reads every row's shown columns as the Prisma path does, and its changed fields as auditDiff gives them", async () => {
    const view = await auditTrailView(db.prisma, admin, {}, 500);
    const rows = await db.prisma.auditEvent.findMany({ orderBy: { id: "desc" } });
    expect(view.page.events.map((e) => e.id)).toEqual(rows.map((r) => r.id.toString()));
    const labels = { summary: "{count} fields", noChange: "no change", nothing: "—", value: "value" };
    for (const [i, r] of rows.entries()) {
      const e = view.page.events[i];
      expect({ ...e, changed: undefined }).toEqual({
        id: r.id.toString(),
        createdAt: r.createdAt,
        actorId: r.actorId,
        actorLabel: r.actorLabel,
        action: r.action,
        entityType: r.entityType,
        entityId: r.entityId,
        ip: r.ip,
        changed: undefined,
      });
      const expected = auditChangedFields(r.before, r.after);
      expect(e.changed, `${JSON.stringify(r.before)} → ${JSON.stringify(r.after)}`).toEqual(expected);
      expect(auditChangeMarkup({ changed: e.changed, labels })).toBe(auditChangeMarkup({ changed: expected, labels }));
    }
    // Each branch is there: nothing, no change, fields, the value as a whole.
    const changed = view.page.events.map((e) => e.changed);
    expect(changed).toContainEqual(null);
    expect(changed).toContainEqual([]);
    expect(changed).toContainEqual(["", "M", "_", "a", "z", "名"]);
    expect(changed).toContainEqual([null]);
  });
});

describe("who may read the trail", () => {
  it("reads everything for the roles with audit.read, and refuses the others", async () => {
    const all = await auditTrailView(db.prisma, admin, {}, 500);
    for (const role of ["ADMIN", "AUDITOR"] as RoleCode[]) {
      expect(await auditTrailView(db.prisma, { permissions: permissionsOf([role]) }, {}, 500)).toEqual(all);
    }
    expect(all.page.events.length).toBe(await db.prisma.auditEvent.count());
    for (const role of ["MANAGER", "EMPLOYEE", "HR", "PRIVACY_OFFICER"] as RoleCode[]) {
      await expect(auditTrailView(db.prisma, { permissions: permissionsOf([role]) }, {})).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });
});
