import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSENT_COUNT_CAP, listConsents, listConsentsKeyset } from "@/lib/privacy/queries";
import { consentListSchema } from "@/lib/privacy/schemas";
import { createTestDb, type TestDb } from "../helpers/test-db";

// The consent list's keyset paging (sorted by grant time): walking forward and back visits every
// row once, in the order the offset pages give, with equal grant times broken by id.

let db: TestDb;
const N = 57;
const now = new Date("2026-11-25T06:00:00Z");

beforeAll(async () => {
  db = await createTestDb();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query(`INSERT INTO privacy_notices (id, notice_key, notice_version, status, title, processor_name, processor_contact, purposes, purpose_codes, methods, categories, retention_days, rights_text, separate_consents, created_by_id, published_at, updated_at)
    VALUES ('ksnotice000000000000001', 'ks', 1, 'PUBLISHED', 'K', 'P', 'C', '[{"code":"SERVICE","description":"s"}]', '["SERVICE"]', 'm', '[{"code":"CONTACT","name":"c","sensitive":false}]', 365, 'r', '[]', 'x', now(), now())`);
  await c.query(`INSERT INTO privacy_subjects (id, name, phone_cipher, phone_hash, phone_mask, created_by_id, updated_at)
    SELECT 'kssubj' || lpad(g::text, 10, '0'), '客户' || g, 'v1.x', 'ksh' || g, '139****0000', 'x', now() FROM generate_series(1, 10) g`);
  // Grant times repeat (every three rows share one), so the id must break ties.
  await c.query(`INSERT INTO consent_events (id, kind, subject_id, notice_id, purposes, categories, separate_consents, channel, occurred_at, expires_at)
    SELECT 'kscons' || lpad(g::text, 10, '0'), 'GRANT', 'kssubj' || lpad((1 + g % 10)::text, 10, '0'), 'ksnotice000000000000001', '["SERVICE"]', '["CONTACT"]', '[]', 'WECOM',
           $1::timestamptz - (g / 3) * interval '1 hour', $1::timestamptz + interval '300 days'
      FROM generate_series(1, ${N}) g`, [now.toISOString()]);
  await c.end();
});
afterAll(async () => db?.close());

const params = (raw: Record<string, string>) => consentListSchema.parse({ pageSize: "25", ...raw });

describe("the consent list's keyset pages", () => {
  for (const dir of ["desc", "asc"] as const) {
    it(`visit every row once, in the offset order, forward and back (${dir})`, async () => {
      const offsetOrder: string[] = [];
      for (let page = 1; page <= 3; page++) offsetOrder.push(...(await listConsents(db.prisma, params({ dir, page: String(page) }), now)).rows.map((r) => r.id));
      expect(offsetOrder).toHaveLength(N);

      const forward: string[][] = [];
      let cursor: string | null = null;
      for (;;) {
        const page = await listConsentsKeyset(db.prisma, params(cursor ? { dir, after: cursor } : { dir }), now);
        expect(page.total).toBe(N);
        expect(page.capped).toBe(false);
        forward.push(page.rows.map((r) => r.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(forward.map((p) => p.length)).toEqual([25, 25, 7]);
      expect(forward.flat()).toEqual(offsetOrder);

      // Back from the last page: the previous page is exactly the second one, then the first.
      const last = await listConsentsKeyset(db.prisma, params({ dir, after: cursor! }), now);
      const second = await listConsentsKeyset(db.prisma, params({ dir, before: last.prevCursor! }), now);
      expect(second.rows.map((r) => r.id)).toEqual(forward[1]);
      const first = await listConsentsKeyset(db.prisma, params({ dir, before: second.prevCursor! }), now);
      expect(first.rows.map((r) => r.id)).toEqual(forward[0]);
      expect(first.prevCursor).toBeNull();
      expect(first.nextCursor).not.toBeNull();
    });
  }

  it("counts up to the cap and refuses a malformed cursor by ignoring it", async () => {
    expect(CONSENT_COUNT_CAP).toBe(10_000);
    const bad = params({ after: "not-a-cursor" });
    expect(bad.after).toBeUndefined();
    const page = await listConsentsKeyset(db.prisma, bad, now);
    expect(page.rows).toHaveLength(25);
    expect(page.prevCursor).toBeNull();
  });
});
