import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/server/audit-verify";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { connect, rawEvent, writeEvent } from "./helpers";

// SPEC §12: the database itself refuses to change or remove an audit event, whoever connects.

let db: TestDb;
let client: pg.Client;
let id: bigint;
let original: Record<string, unknown> | undefined;

beforeAll(async () => {
  db = await createTestDb();
  client = await connect(db.url);
  await writeEvent(db.prisma, { action: "test.first" });
  id = await writeEvent(db.prisma, { action: "employee.update", entityType: "Employee", entityId: "e1", before: { name: "张三" }, after: { name: "李四" } });
  original = await rawEvent(client, id);
  expect(original).toBeDefined();
});
afterAll(async () => {
  await client?.end();
  await db?.close();
});

const refused = (op: string) => ({ code: "42501", message: expect.stringContaining(`append-only: ${op} refused`) });

describe("audit_events is append-only", () => {
  it("refuses UPDATE and leaves the row as it was", async () => {
    await expect(client.query(`UPDATE audit_events SET after = '{"name":"王五"}'::jsonb WHERE id = $1`, [String(id)])).rejects.toMatchObject(refused("UPDATE"));
    await expect(client.query(`UPDATE audit_events SET action = 'x'`)).rejects.toMatchObject(refused("UPDATE"));
    expect(await rawEvent(client, id)).toEqual(original);
  });

  it("refuses DELETE and leaves the row in place", async () => {
    await expect(client.query(`DELETE FROM audit_events WHERE id = $1`, [String(id)])).rejects.toMatchObject(refused("DELETE"));
    await expect(client.query(`DELETE FROM audit_events`)).rejects.toMatchObject(refused("DELETE"));
    expect(await rawEvent(client, id)).toEqual(original);
    expect((await client.query(`SELECT count(*)::int AS n FROM audit_events`)).rows[0].n).toBe(2);
  });

  it("refuses TRUNCATE and keeps every row", async () => {
    await expect(client.query(`TRUNCATE audit_events`)).rejects.toMatchObject(refused("TRUNCATE"));
    await expect(client.query(`TRUNCATE audit_events RESTART IDENTITY CASCADE`)).rejects.toMatchObject(refused("TRUNCATE"));
    expect(await rawEvent(client, id)).toEqual(original);
    expect((await client.query(`SELECT count(*)::int AS n FROM audit_events`)).rows[0].n).toBe(2);
  });

  // The app's role is refused by privilege before the trigger runs (PostgreSQL; docs/decisions/0008),
  // by the trigger on PGlite, which has one user.
  it("refuses the same through the app's Prisma client", async () => {
    await expect(db.prisma.auditEvent.update({ where: { id }, data: { action: "x" } })).rejects.toThrow(/append-only: UPDATE refused|permission denied for table audit_events/);
    await expect(db.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only: DELETE refused|permission denied for table audit_events/);
    expect(await rawEvent(client, id)).toEqual(original);
  });

  it("still verifies after the refused attempts", async () => {
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: 2 });
  });
});
