import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountListSchema } from "@/lib/accounts/schemas";
import { listAccounts } from "@/lib/accounts/queries";
import { decrypt, generateKey, keyringFromEnv, tokenKeyId } from "@/lib/pii";
import { rotatePii } from "@/lib/pii/rotation";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { approveAll, requestAs, seedOrganisation, uniquePlatformId, usePiiKey, type AccountsOrganisation } from "./helpers";

let db: TestDb;
let org: AccountsOrganisation;
let alice: Actor;
let admin: Actor;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  alice = await actorFor(db.prisma, org.people.alice.id);
  admin = await actorFor(db.prisma, org.people.admin.id);
});
afterAll(async () => db?.close());

describe("key rotation", () => {
  it("re-encrypts and re-hashes every row under the new key, in resumable batches", async () => {
    const oldKey = process.env.PII_ENCRYPTION_KEY!;
    const made: { id: string; platformId: string; phone: string | null }[] = [];
    for (let i = 0; i < 7; i++) {
      const platformId = uniquePlatformId("wxid_Rot");
      const phone = i % 2 ? `1390000${String(1000 + i)}` : null;
      const { id, requestId } = await requestAs(db.prisma, alice, org.dept.sh1.id, { platformId, phone: phone ?? "" });
      if (i < 3) await approveAll(db.prisma, requestId);
      made.push({ id, platformId, phone });
    }
    const oldId = keyringFromEnv().current.id;

    process.env.PII_ENCRYPTION_KEY = generateKey();
    process.env.PII_ENCRYPTION_KEY_PREVIOUS = oldKey;
    const ring = keyringFromEnv();
    expect(ring.previous?.id).toBe(oldId);

    // During the rotation a search still finds rows under the old key.
    const find = async (params: Record<string, string>) => (await listAccounts(admin, db.prisma, accountListSchema.parse(params))).rows.map((r) => r.id);
    expect(await find({ platformId: made[0].platformId })).toEqual([made[0].id]);

    // Stopped after the first batch (a batch is its own transaction) …
    const progress: number[] = [];
    await rotatePii(db.prisma, { ring, batchSize: 3, tables: [{ table: "accounts", key: "id", columns: [{ cipher: "platform_id_cipher", hash: "platform_id_hash", kind: "identifier" }] }], onProgress: (p) => progress.push(p.rewritten) });
    expect(progress).toEqual([3, 6, 7]);
    // … and run again in full: rows already under the new key are skipped where nothing is left.
    const summary = await rotatePii(db.prisma, { ring, batchSize: 3 });
    const accounts = summary.tables.find((t) => t.table === "accounts")!;
    expect(accounts.rewritten).toBe(3); // the three rows with a phone still under the old key
    expect((await rotatePii(db.prisma, { ring, batchSize: 3 })).tables[0].rewritten).toBe(0);

    const rows = await db.prisma.account.findMany({ where: { id: { in: made.map((m) => m.id) } } });
    for (const m of made) {
      const row = rows.find((r) => r.id === m.id)!;
      expect(tokenKeyId(row.platformIdCipher)).toBe(ring.current.id);
      expect(decrypt(row.platformIdCipher, { current: ring.current, previous: null })).toBe(m.platformId);
      if (m.phone) expect(decrypt(row.phoneCipher!, { current: ring.current, previous: null })).toBe(m.phone);
    }

    // Without the old key, everything still reads and is found.
    delete process.env.PII_ENCRYPTION_KEY_PREVIOUS;
    expect(await find({ platformId: made[4].platformId })).toEqual([made[4].id]);
    expect(await find({ phone: made[5].phone! })).toEqual([made[5].id]);
    const events = await db.prisma.auditEvent.findMany({ where: { action: "pii.rotate" } });
    expect(events.length).toBeGreaterThan(0);
  });
});
