import { execFile } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legacyAuditHash } from "@/lib/server/audit-hash";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { chainEvents, connect, rewriteChainFrom, withTriggersDisabled, writeEvent } from "./helpers";

// `npm run audit:verify` end to end: the script as an operator runs it, against this test's
// database, judged by its output and exit code.

const ROOT = path.resolve(import.meta.dirname, "../..");
let db: TestDb;
let client: pg.Client;

function runVerify(url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Async, not execFileSync: on PGlite the database is served from this very process.
    execFile("npx", ["tsx", "scripts/audit-verify.ts"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  db = await createTestDb();
  client = await connect(db.url);
});
afterAll(async () => {
  await client?.end();
  await db?.close();
});

describe("npm run audit:verify", () => {
  it("prints OK with the count and exits 0 for an empty trail", async () => {
    const result = await runVerify(db.url);
    expect(result.stdout).toMatch(/^OK: 0 audit events/);
    expect(result.code).toBe(0);
  }, 60_000);

  it("prints OK with the count and exits 0 for an intact chain", async () => {
    for (let i = 0; i < 12; i++) await writeEvent(db.prisma, { entityId: `e${i}`, after: { i, name: `第${i}条` } });
    const result = await runVerify(db.url);
    expect(result.stdout).toMatch(/^OK: 12 audit events, hash chain intact\./);
    expect(result.code).toBe(0);
  }, 60_000);

  it("names the first broken event and exits 1 after tampering", async () => {
    const { rows } = await client.query(`SELECT id::text AS id FROM audit_events ORDER BY audit_events.id`);
    const target = rows[4].id as string;
    await withTriggersDisabled(client, () => client.query(`UPDATE audit_events SET after = '{"i":999}'::jsonb WHERE id = $1::bigint`, [target]));
    const altered = await runVerify(db.url);
    expect(altered.stdout).toMatch(new RegExp(`^BROKEN at audit event #${target} \\(its content does not match its hash\\); 4 events before it verified\\.`));
    expect(altered.code).toBe(1);

    const removed = rows[2].id as string;
    await withTriggersDisabled(client, () => client.query(`DELETE FROM audit_events WHERE id = $1::bigint`, [removed]));
    const gap = await runVerify(db.url);
    expect(gap.stdout).toMatch(new RegExp(`^BROKEN at audit event #${rows[3].id} \\(it does not chain to the event before it\\)`));
    expect(gap.code).toBe(1);
  }, 90_000);
});

describe("npm run audit:verify against the database owner", () => {
  let own: TestDb;
  let ownClient: pg.Client;
  beforeAll(async () => {
    own = await createTestDb();
    ownClient = await connect(own.url);
  });
  afterAll(async () => {
    await ownClient?.end();
    await own?.close();
  });

  it("reports an event rewritten as a superuser with the unkeyed chain recomputed after it", async () => {
    for (let i = 0; i < 6; i++) await writeEvent(own.prisma, { entityId: `o${i}`, after: { amount: i } });
    expect((await runVerify(own.url)).code).toBe(0);
    const rows = await chainEvents(ownClient);
    // Rewrite event #3's amount and recompute every hash from there the way the chain used to be
    // computed (SHA-256 over the content, no key), each linking to the one before.
    await rewriteChainFrom(ownClient, rows, 2, { amount: 1_000_000 }, legacyAuditHash);
    const result = await runVerify(own.url);
    expect(result.stdout).toMatch(new RegExp(`^BROKEN at audit event #${rows[2].id} \\(it carries an unkeyed hash .*recomputed without the key\\); 2 events before it verified\\.`));
    expect(result.code).toBe(1);
  }, 120_000);
});
