import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { verifyAuditChain } from "@/lib/server/audit-verify";
import { createPrismaClient, type DbClient } from "@/lib/server/prisma-client";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";

// Every change is audited in its own transaction (SPEC §12): concurrent writers still form one
// chain, and a change that records no audit event does not survive.

let db: TestDb;
let actor: Actor;
let rootId: string;

beforeAll(async () => {
  db = await createTestDb();
  const root = await db.prisma.$transaction((tx) => makeDepartment(tx, { name: "总公司", code: "ROOT" }));
  rootId = root.id;
  const admin = await db.prisma.$transaction((tx) => makeEmployee(tx, { departmentId: root.id, roles: ["ADMIN"], email: "admin@example.test" }));
  actor = await actorFor(db.prisma, admin.id);
});
afterAll(async () => db?.close());

describe("concurrent units of work", () => {
  it("chain 20 concurrent transactions' events into one verifiable chain", async () => {
    // On PostgreSQL, a pool as wide as the burst so all 20 really run at once and meet at the
    // advisory lock; PGlite serialises transactions itself and takes the test database's pool.
    const wide: DbClient = process.env.DATABASE_URL ? createPrismaClient(db.url, 20) : db.prisma;
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          inUnitOfWork(wide, actor, async ({ tx, audit }) => {
            const d = await makeDepartment(tx, { name: `并发部门 ${i}`, code: `C${i}`, parentId: rootId });
            await audit({ action: "department.create", entityType: "Department", entityId: d.id, after: { name: d.name, code: d.code } });
            // Hold the chain's lock a moment, so the writers really queue behind one another.
            await tx.$executeRaw`SELECT pg_sleep(0.005)`;
            return d.id;
          }),
        ),
      );
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    } finally {
      if (wide !== db.prisma) await wide.$disconnect();
    }

    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: 20 });
    const events = await db.prisma.auditEvent.findMany({ orderBy: { id: "asc" }, select: { prevHash: true, hash: true, entityId: true } });
    expect(events).toHaveLength(20);
    expect(new Set(events.map((e) => e.prevHash)).size).toBe(20);
    expect(new Set(events.map((e) => e.entityId)).size).toBe(20);
    expect(await db.prisma.department.count({ where: { parentId: rootId } })).toBe(20);
  });
});

describe("a unit of work that records no audit event", () => {
  it("is rolled back, and the change it made is gone", async () => {
    const eventsBefore = await db.prisma.auditEvent.count();
    await expect(
      inUnitOfWork(db.prisma, actor, async ({ tx }) => {
        const d = await makeDepartment(tx, { name: "未审计", code: "NO-AUDIT", parentId: rootId });
        await tx.employee.updateMany({ where: { id: actor.id }, data: { name: "悄悄改名" } });
        return d;
      }),
    ).rejects.toThrow(/every change must be audited/);
    expect(await db.prisma.department.findUnique({ where: { code: "NO-AUDIT" } })).toBeNull();
    expect((await db.prisma.employee.findUniqueOrThrow({ where: { id: actor.id } })).name).toBe(actor.name);
    expect(await db.prisma.auditEvent.count()).toBe(eventsBefore);
  });

  it("rolls back the change and its audit event together when the command fails after auditing", async () => {
    const eventsBefore = await db.prisma.auditEvent.count();
    await expect(
      inUnitOfWork(db.prisma, actor, async ({ tx, audit }) => {
        const d = await makeDepartment(tx, { name: "半途", code: "HALF", parentId: rootId });
        await audit({ action: "department.create", entityType: "Department", entityId: d.id, after: { code: "HALF" } });
        throw new Error("the command changed its mind");
      }),
    ).rejects.toThrow(/changed its mind/);
    expect(await db.prisma.department.findUnique({ where: { code: "HALF" } })).toBeNull();
    expect(await db.prisma.auditEvent.count()).toBe(eventsBefore);
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: eventsBefore });
  });

  it("lets a read (mutation: false) through without an event", async () => {
    const n = await inUnitOfWork(db.prisma, actor, ({ tx }) => tx.department.count(), { mutation: false });
    expect(n).toBe(21);
  });
});
