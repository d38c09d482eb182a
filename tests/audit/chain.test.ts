import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENESIS_HASH } from "@/lib/server/audit-hash";
import { verifyAuditChain } from "@/lib/server/audit-verify";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { connect, rawEvent, withTriggersDisabled, writeEvent } from "./helpers";

// The hash chain: each event's hash covers its content and the previous event's hash, so an
// altered or removed event is found by verifyAuditChain (and `npm run audit:verify`).

let db: TestDb;
let client: pg.Client;
const N = 25;

beforeAll(async () => {
  db = await createTestDb();
  client = await connect(db.url);
});
afterAll(async () => {
  await client?.end();
  await db?.close();
});

async function chainRows() {
  const { rows } = await client.query(`SELECT id::text AS id, prev_hash, hash FROM audit_events ORDER BY audit_events.id`);
  return rows as { id: string; prev_hash: string; hash: string }[];
}

describe("writeAuditEvent", () => {
  it("verifies an empty trail", async () => {
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: 0 });
  });

  // More than nine events on purpose: a walk that ordered ids as text (1, 10, 11, …, 2) would
  // report a break at #10 on any real trail.
  it("chains every event to the one before it: N events verify as N, walked in numeric id order", async () => {
    for (let i = 0; i < N; i++) {
      await writeEvent(db.prisma, {
        action: i % 2 ? "employee.update" : "department.rename",
        entityType: i % 2 ? "Employee" : "Department",
        entityId: `x${i}`,
        // Values jsonb hands back differently from how they went in: key order, dates, big numbers.
        before: i % 3 ? { z: 1, a: [1, { y: null, b: "二" }], when: new Date(Date.UTC(2026, 0, i + 1)) } : undefined,
        after: { name: `名字 ${i}`, n: i, quote: `"'<b>`, big: BigInt(2) ** BigInt(70), nested: { b: 2, a: 1 } },
        actor: { id: `emp${i % 4}`, label: `user${i % 4}@example.test`, ip: i % 5 ? `10.0.0.${i}` : null },
      });
    }
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: N });
    const rows = await chainRows();
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
  });

  it("chains several events written in one unit of work, and pages through a long chain", async () => {
    const dept = await db.prisma.$transaction((tx) => makeDepartment(tx, { name: "总部", code: "HQ" }));
    const boss = await db.prisma.$transaction((tx) => makeEmployee(tx, { departmentId: dept.id, roles: ["ADMIN"] }));
    const actor = await actorFor(db.prisma, boss.id);
    await inUnitOfWork(db.prisma, actor, async ({ tx, audit }) => {
      const d = await makeDepartment(tx, { name: "法务部", code: "LEGAL", parentId: dept.id });
      await audit({ action: "department.create", entityType: "Department", entityId: d.id, after: { name: d.name, code: d.code } });
      await audit({ action: "department.setManager", entityType: "Department", entityId: d.id, before: { managerId: null }, after: { managerId: boss.id } });
      await audit({ action: "employee.update", entityType: "Employee", entityId: boss.id, before: { title: null }, after: { title: "负责人" } });
    });
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: N + 3 });
    // A page size smaller than the chain makes the walk cross page boundaries.
    expect(await verifyAuditChain(db.url, 4)).toEqual({ ok: true, count: N + 3 });
  });
});

describe("tampering (as a superuser who switches the triggers off)", () => {
  it("finds an altered event: HASH_MISMATCH at that event", async () => {
    const rows = await chainRows();
    const target = rows[10];
    const before = await rawEvent(client, target.id);
    await withTriggersDisabled(client, () => client.query(`UPDATE audit_events SET after = '{"name":"篡改"}'::jsonb WHERE id = $1::bigint`, [target.id]));
    expect(await verifyAuditChain(db.url)).toEqual({ ok: false, count: 10, brokenAt: target.id, reason: "HASH_MISMATCH" });
    expect(await verifyAuditChain(db.url, 3)).toMatchObject({ ok: false, brokenAt: target.id, reason: "HASH_MISMATCH" });

    // Putting the exact content back restores the chain: the hash is over content, not storage.
    await withTriggersDisabled(client, () => client.query(`UPDATE audit_events SET after = $2::jsonb WHERE id = $1::bigint`, [target.id, before!.after]));
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: rows.length });
  });

  it("finds an altered time, actor or address as well", async () => {
    const rows = await chainRows();
    const target = rows[3];
    const original = await rawEvent(client, target.id);
    for (const [column, value] of [
      ["created_at", "2020-01-01T00:00:00Z"],
      ["actor_label", "someone-else@example.test"],
      ["ip", "192.0.2.1"],
    ] as const) {
      await withTriggersDisabled(client, () => client.query(`UPDATE audit_events SET ${column} = $2 WHERE id = $1::bigint`, [target.id, value]));
      expect(await verifyAuditChain(db.url)).toMatchObject({ ok: false, brokenAt: target.id, reason: "HASH_MISMATCH" });
      await withTriggersDisabled(client, () => client.query(`UPDATE audit_events SET ${column} = $2 WHERE id = $1::bigint`, [target.id, original![column]]));
    }
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: rows.length });
  });

  it("finds a removed event: CHAIN_BROKEN at the next event", async () => {
    const rows = await chainRows();
    const removed = rows[12];
    const next = rows[13];
    const original = await rawEvent(client, removed.id);
    await withTriggersDisabled(client, () => client.query(`DELETE FROM audit_events WHERE id = $1::bigint`, [removed.id]));
    expect(await verifyAuditChain(db.url)).toEqual({ ok: false, count: 12, brokenAt: next.id, reason: "CHAIN_BROKEN" });

    // Re-inserting the same row mends it (and proves the test left the data as it found it).
    const o = original!;
    await withTriggersDisabled(client, () =>
      client.query(
        `INSERT INTO audit_events (id, actor_id, actor_label, action, entity_type, entity_id, before, after, ip, created_at, prev_hash, hash)
         VALUES ($1::bigint, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11, $12)`,
        [o.id, o.actor_id, o.actor_label, o.action, o.entity_type, o.entity_id, o.before, o.after, o.ip, o.created_at, o.prev_hash, o.hash],
      ),
    );
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: rows.length });
  });

  it("finds a forged first link (the first event's prev_hash)", async () => {
    const rows = await chainRows();
    const first = await rawEvent(client, rows[0].id);
    await withTriggersDisabled(client, () => client.query(`UPDATE audit_events SET prev_hash = $2 WHERE id = $1::bigint`, [rows[0].id, "f".repeat(64)]));
    expect(await verifyAuditChain(db.url)).toEqual({ ok: false, count: 0, brokenAt: rows[0].id, reason: "CHAIN_BROKEN" });
    await withTriggersDisabled(client, () => client.query(`UPDATE audit_events SET prev_hash = $2 WHERE id = $1::bigint`, [rows[0].id, first!.prev_hash]));
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: rows.length });
  });

  it("leaves the triggers on afterwards", async () => {
    const [row] = await chainRows();
    await expect(client.query(`UPDATE audit_events SET action = 'x' WHERE id = $1::bigint`, [row.id])).rejects.toMatchObject({ code: "42501" });
    await expect(client.query(`DELETE FROM audit_events WHERE id = $1::bigint`, [row.id])).rejects.toMatchObject({ code: "42501" });
    const { rows } = await client.query(`SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal ORDER BY tgname`);
    expect(rows).toEqual([
      { tgname: "audit_events_no_truncate", tgenabled: "O" },
      { tgname: "audit_events_no_update_delete", tgenabled: "O" },
    ]);
  });
});
