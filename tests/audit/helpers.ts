import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import type { AuditInput } from "@/lib/server/audit-write";
import { writeAuditEvent, type AuditActor } from "@/lib/server/audit-write";
import { GENESIS_HASH, type HashedAuditContent } from "@/lib/server/audit-hash";
import { auditContentOf, type AuditRow } from "@/lib/server/audit-verify";
import type { DbClient } from "@/lib/server/prisma-client";

// Helpers shared by the audit trail's tests.

export const SYSTEM: AuditActor = { id: null, label: "system", ip: null };

/** One audit event in its own transaction, the way a request writes it. */
export async function writeEvent(prisma: DbClient, input: Partial<AuditInput> & { actor?: AuditActor } = {}): Promise<bigint> {
  const { actor = SYSTEM, ...rest } = input;
  await prisma.$transaction((tx) =>
    writeAuditEvent(tx, actor, { action: "test.event", entityType: "Test", entityId: "1", ...rest }),
  );
  const last = await prisma.auditEvent.findFirstOrThrow({ orderBy: { id: "desc" }, select: { id: true } });
  return last.id;
}

export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/**
 * Runs `tamper` with the append-only triggers switched off, as a superuser could (the test's
 * connection is one, on PostgreSQL and on PGlite), and switches them on again whatever happens.
 */
export async function withTriggersDisabled<T>(client: pg.Client, tamper: () => Promise<T>): Promise<T> {
  await client.query("ALTER TABLE audit_events DISABLE TRIGGER USER");
  try {
    return await tamper();
  } finally {
    await client.query("ALTER TABLE audit_events ENABLE TRIGGER USER");
  }
}

/** Every column of one event as the database holds it (jsonb as text, so nothing is normalised). */
export async function rawEvent(client: pg.Client, id: bigint | string) {
  const { rows } = await client.query(
    `SELECT id::text, actor_id, actor_label, action, entity_type, entity_id, before::text AS before, after::text AS after, ip,
            created_at, prev_hash, hash FROM audit_events WHERE id = $1::bigint`,
    [String(id)],
  );
  return rows[0] as Record<string, unknown> | undefined;
}

/** Every event of the chain, in id order, as the verifier reads it. */
export async function chainEvents(client: pg.Client): Promise<AuditRow[]> {
  const { rows } = await client.query<AuditRow>(
    `SELECT id::text, actor_id, actor_label, action, entity_type, entity_id, before, after, ip, created_at, prev_hash, hash FROM audit_events ORDER BY audit_events.id`,
  );
  return rows;
}

/** What a database owner does to hide a change: event `index` of `events` gets a new `after`, then
 * it and every event after it get a hash recomputed with `hashOf`, each linking to the one before
 * (triggers off; each hash moved aside first for the unique index). */
export async function rewriteChainFrom(client: pg.Client, events: readonly AuditRow[], index: number, after: unknown, hashOf: (c: HashedAuditContent) => string): Promise<void> {
  await withTriggersDisabled(client, async () => {
    let prev = index === 0 ? GENESIS_HASH : events[index - 1].hash;
    for (let i = index; i < events.length; i++) {
      const r = i === index ? { ...events[i], after } : events[i];
      const hash = hashOf(auditContentOf(r, prev));
      await client.query(`UPDATE audit_events SET hash = 'tmp-' || id::text WHERE id = $1::bigint`, [r.id]);
      await client.query(`UPDATE audit_events SET after = $2::jsonb, prev_hash = $3, hash = $4 WHERE id = $1::bigint`, [r.id, JSON.stringify(r.after), prev, hash]);
      prev = hash;
    }
  });
}

export type AuditRouteEnv = { db: TestDb; dept: { id: string }; auditor: Actor; hr: Actor; hrEmployee: { id: string; email: string } };

/** The lifecycle of the tests that call the audit trail's routes and actions through their real
 * wrappers (export-and-verify, changes-route): a fresh database that the app is pointed at
 * (DATABASE_URL, restored afterwards: the chain verification reads the configured database), a
 * department, an AUDITOR and an HR employee and their actors. `setup` runs before `ready`. */
export function withAuditRouteEnv(ready: (env: AuditRouteEnv) => void, setup: (env: AuditRouteEnv) => Promise<void> = async () => {}): void {
  let db: TestDb | undefined;
  let savedUrl: string | undefined;
  beforeAll(async () => {
    db = await createTestDb();
    savedUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = db.url;
    const dept = await db.prisma.$transaction((tx) => makeDepartment(tx, { name: "法务部", code: "LEGAL" }));
    const a = await db.prisma.$transaction((tx) => makeEmployee(tx, { departmentId: dept.id, roles: ["AUDITOR"], email: "auditor@example.test" }));
    const h = await db.prisma.$transaction((tx) => makeEmployee(tx, { departmentId: dept.id, roles: ["HR"], email: "hr@example.test" }));
    const env: AuditRouteEnv = { db, dept, auditor: await actorFor(db.prisma, a.id), hr: await actorFor(db.prisma, h.id), hrEmployee: { id: h.id, email: h.email } };
    await setup(env);
    ready(env);
  });
  afterAll(async () => {
    process.env.DATABASE_URL = savedUrl;
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    await db?.close();
  });
}
