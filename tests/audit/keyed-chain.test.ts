import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditKeyError, auditKeyringFromEnv, GENESIS_HASH, keyedAuditHash, legacyAuditHash, parseAuditKey, type HashedAuditContent } from "@/lib/server/audit-hash";
import { verifyAuditChain, type AuditRow } from "@/lib/server/audit-verify";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { chainEvents, connect, rewriteChainFrom, withTriggersDisabled, writeEvent } from "./helpers";

// The keyed chain (docs/decisions/0004-audit-trail.md): whoever holds the database but not the key
// (AUDIT_HMAC_KEY, kept outside it) can rewrite an event and recompute every hash after it, but
// cannot make the result verify: not with the unkeyed hash, not with a key of their own.

let db: TestDb;
let client: pg.Client;

beforeAll(async () => {
  db = await createTestDb();
  client = await connect(db.url);
});
afterAll(async () => {
  await client?.end();
  await db?.close();
});

type Row = AuditRow;
const rows = () => chainEvents(client);

/** What a database owner without the key does: change one event's `after`, then recompute the
 * hash of that event and of every one after it with `hashOf`, so each links to the one before. */
async function rewriteFrom(index: number, after: unknown, hashOf: (c: HashedAuditContent) => string): Promise<string> {
  const all = await rows();
  await rewriteChainFrom(client, all, index, after, hashOf);
  return all[index].id;
}

async function restore(original: Row[]) {
  await withTriggersDisabled(client, async () => {
    for (const r of original) await client.query(`UPDATE audit_events SET hash = 'tmp-' || id::text WHERE id = $1::bigint`, [r.id]);
    for (const r of original) {
      await client.query(`UPDATE audit_events SET after = $2::jsonb, prev_hash = $3, hash = $4 WHERE id = $1::bigint`, [r.id, JSON.stringify(r.after), r.prev_hash, r.hash]);
    }
  });
}

describe("the keyed audit chain", () => {
  it("writes every event with an HMAC that names its key, and verifies", async () => {
    for (let i = 0; i < 8; i++) await writeEvent(db.prisma, { entityId: `k${i}`, after: { amount: 100 + i, note: `第${i}笔` } });
    const keyId = auditKeyringFromEnv().current!.id;
    for (const r of await rows()) expect(r.hash).toMatch(new RegExp(`^hmac1\\.${keyId.replace(/[-]/g, "\\-")}\\.[0-9a-f]{64}$`));
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: 8 });
  });

  it("detects an event rewritten by the database owner with the unkeyed chain recomputed after it", async () => {
    const original = await rows();
    const target = await rewriteFrom(3, { amount: 1, note: "改过的" }, legacyAuditHash);
    expect(await verifyAuditChain(db.url)).toEqual({ ok: false, count: 3, brokenAt: target, reason: "UNKEYED" });
    await restore(original);
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: 8 });
  });

  it("detects the whole chain recomputed unkeyed from the first event (nothing predates the key here)", async () => {
    const original = await rows();
    const target = await rewriteFrom(0, { amount: 0 }, legacyAuditHash);
    expect(await verifyAuditChain(db.url)).toEqual({ ok: false, count: 0, brokenAt: target, reason: "UNKEYED" });
    await restore(original);
  });

  it("detects a chain recomputed with a key of the rewriter's own, and one that borrows the real key's id", async () => {
    const original = await rows();
    const theirs = parseAuditKey(randomBytes(32).toString("base64"));
    const target = await rewriteFrom(5, { amount: 5 }, (c) => keyedAuditHash(c, theirs));
    expect(await verifyAuditChain(db.url)).toEqual({ ok: false, count: 5, brokenAt: target, reason: "UNKNOWN_KEY" });
    await restore(original);

    const realId = auditKeyringFromEnv().current!.id;
    const forged = await rewriteFrom(5, { amount: 5 }, (c) => keyedAuditHash(c, { ...theirs, id: realId }));
    expect(await verifyAuditChain(db.url)).toEqual({ ok: false, count: 5, brokenAt: forged, reason: "HASH_MISMATCH" });
    await restore(original);
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: 8 });
  });

  it("needs the key to verify: without it, the first event names a key the verifier was not given", async () => {
    const [first] = await rows();
    const otherKey = parseAuditKey(randomBytes(32).toString("base64"));
    expect(await verifyAuditChain(db.url, 5000, { keyring: { current: otherKey, all: new Map([[otherKey.id, otherKey]]) } })).toEqual({
      ok: false,
      count: 0,
      brokenAt: first.id,
      reason: "UNKNOWN_KEY",
    });
  });

  it("verifies events of a previous key after a rotation (AUDIT_HMAC_KEY_PREVIOUS)", async () => {
    const oldKey = process.env.AUDIT_HMAC_KEY!;
    const newKey = randomBytes(32).toString("base64");
    try {
      process.env.AUDIT_HMAC_KEY = newKey;
      await writeEvent(db.prisma, { entityId: "after-rotation" });
      expect(await verifyAuditChain(db.url)).toMatchObject({ ok: false, reason: "UNKNOWN_KEY" });
      process.env.AUDIT_HMAC_KEY_PREVIOUS = oldKey;
      expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: 9 });
    } finally {
      process.env.AUDIT_HMAC_KEY = oldKey;
      delete process.env.AUDIT_HMAC_KEY_PREVIOUS;
    }
  });

  it("refuses to write an event without a key, and the change it records rolls back with it", async () => {
    const key = process.env.AUDIT_HMAC_KEY!;
    const before = await db.prisma.auditEvent.count();
    try {
      delete process.env.AUDIT_HMAC_KEY;
      await expect(writeEvent(db.prisma, { entityId: "no-key" })).rejects.toBeInstanceOf(AuditKeyError);
    } finally {
      process.env.AUDIT_HMAC_KEY = key;
    }
    expect(await db.prisma.auditEvent.count()).toBe(before);
  });
});

describe("events written before the key (legacy)", () => {
  let legacyDb: TestDb;
  let legacyClient: pg.Client;
  beforeAll(async () => {
    legacyDb = await createTestDb();
    legacyClient = await connect(legacyDb.url);
  });
  afterAll(async () => {
    await legacyClient?.end();
    await legacyDb?.close();
  });

  it("verify as unkeyed up to the event the operator pins, and are refused without the pin", async () => {
    // Three events as the unkeyed chain wrote them before this change.
    let prev = GENESIS_HASH;
    for (let i = 0; i < 3; i++) {
      const c: HashedAuditContent = { actorId: null, actorLabel: "system", action: "legacy.event", entityType: "Test", entityId: `L${i}`, before: null, after: { i }, ip: null, createdAt: new Date(Date.UTC(2026, 0, 1 + i)), prevHash: prev };
      const hash = legacyAuditHash(c);
      await legacyClient.query(
        `INSERT INTO audit_events (actor_id, actor_label, action, entity_type, entity_id, after, ip, created_at, prev_hash, hash) VALUES (NULL, 'system', $1, 'Test', $2, $3::jsonb, NULL, $4, $5, $6)`,
        [c.action, c.entityId, JSON.stringify(c.after), c.createdAt, prev, hash],
      );
      prev = hash;
    }
    const { rows: legacyRows } = await legacyClient.query(`SELECT id::text FROM audit_events ORDER BY audit_events.id`);
    const pin = BigInt(legacyRows[2].id);
    // The app carries on with keyed events, chained to the last unkeyed one.
    for (let i = 0; i < 3; i++) await writeEvent(legacyDb.prisma, { entityId: `K${i}` });

    expect(await verifyAuditChain(legacyDb.url, 5000, { legacyUntil: pin })).toEqual({ ok: true, count: 6, legacy: 3 });
    // Unpinned, the unkeyed events are not taken on trust.
    expect(await verifyAuditChain(legacyDb.url, 5000, { legacyUntil: BigInt(0) })).toEqual({ ok: false, count: 0, brokenAt: legacyRows[0].id, reason: "UNKEYED" });
    // The pin read from the environment, as `npm run audit:verify` does.
    process.env.AUDIT_HMAC_LEGACY_UNTIL = String(pin);
    try {
      expect(await verifyAuditChain(legacyDb.url)).toEqual({ ok: true, count: 6, legacy: 3 });
    } finally {
      delete process.env.AUDIT_HMAC_LEGACY_UNTIL;
    }
  });
});
