import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decrypt, generateKey, hashValue, PiiKeyError } from "@/lib/pii";
import { migrate, readMigrations } from "@/lib/server/migrate";

// Customer contacts imported before external ids went through lib/pii hold them in plain text. The
// migration 20261206110000 cannot encrypt (SQL has no key); migrate() then runs the backfill, which
// encrypts every plain row and clears the plain value, and is a no-op once done. A migrate without
// the key, with plain rows left, stops and says why.

const MIGRATION = "20261206110000_customer_contacts_pii";
const adminUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const name = `wg_test_backfill_${randomBytes(4).toString("hex")}`;
let url: string;
let client: pg.Client;

beforeAll(async () => {
  process.env.AUDIT_HMAC_KEY ??= randomBytes(32).toString("base64");
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(adminUrl!);
  u.pathname = `/${name}`;
  url = u.toString();
  client = new pg.Client({ connectionString: url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

describe.runIf(adminUrl)("the external-id backfill", () => {
  it("encrypts, hashes and masks the plain rows a migrate finds, clears the plain values, audits per batch, and then has nothing to do", async () => {
    // The schema as it stood before, with contacts and a transfer written then.
    const all = await readMigrations();
    const before = all.filter((m) => m.name < MIGRATION);
    expect(before.length).toBe(all.findIndex((m) => m.name === MIGRATION));
    await migrate(url, { migrations: before, appRole: null, backfill: false });
    await client.query(`INSERT INTO accounts (id, type, display_name, platform_id_cipher, platform_id_hash, platform_id_mask, custodian_department_id, status, requested_by_id, updated_at)
                        VALUES ('acct1', 'WECOM_MEMBER', '旧账号', 'x', 'h1', 'wx****01', 'dept', 'ACTIVE', 'emp', now())`);
    const plain = Array.from({ length: 7 }, (_, i) => `wmLegacyCustomer${i}`);
    await client.query(
      `INSERT INTO customer_contacts (id, account_id, external_id, name, added_at, updated_at) SELECT 'c' || k, 'acct1', v, '客户' || k, now(), now() FROM unnest($1::text[]) WITH ORDINALITY AS u(v, k)`,
      [plain],
    );
    await client.query(`INSERT INTO contact_transfers (id, contact_id, external_id, from_account_id, to_employee_id, status, started_at, due_at, finished_at, updated_at)
                        VALUES ('t1', 'c1', $1, 'acct1', 'emp2', 'DONE', now(), now(), now(), now())`, [plain[0]]);

    // Without the key the SQL applies (masks computed there) but the plain values cannot be moved.
    const saved = { key: process.env.PII_ENCRYPTION_KEY, previous: process.env.PII_ENCRYPTION_KEY_PREVIOUS };
    delete process.env.PII_ENCRYPTION_KEY;
    delete process.env.PII_ENCRYPTION_KEY_PREVIOUS;
    try {
      const refused = migrate(url, { appRole: null });
      await expect(refused).rejects.toBeInstanceOf(PiiKeyError);
      await expect(refused).rejects.toThrow(/customer_contacts and contact_transfers still hold plain personal information/);
    } finally {
      if (saved.key) process.env.PII_ENCRYPTION_KEY = saved.key;
    }
    const half = await client.query(`SELECT count(*)::int AS plain, count(external_id_cipher)::int AS ciphers, min(external_id_mask) AS mask FROM customer_contacts`);
    expect(half.rows[0]).toEqual({ plain: 7, ciphers: 0, mask: "wm****r0" });

    process.env.PII_ENCRYPTION_KEY = generateKey();
    const lines: string[] = [];
    expect(await migrate(url, { appRole: null, log: (l) => lines.push(l) })).toEqual([]);
    expect(lines).toContain("encrypted 7 plain value(s) in customer_contacts (1 batch(es))");

    const { rows } = await client.query(`SELECT id, external_id, external_id_cipher, external_id_hash, external_id_mask FROM customer_contacts ORDER BY id`);
    expect(rows).toHaveLength(7);
    for (const r of rows) {
      const value = plain[Number(r.id.slice(1)) - 1];
      expect(r.external_id).toBeNull();
      expect(decrypt(r.external_id_cipher)).toBe(value);
      expect(r.external_id_hash).toBe(hashValue("identifier", value));
      expect(r.external_id_mask).toBe(`wm****r${Number(r.id.slice(1)) - 1}`);
    }
    const transfer = await client.query(`SELECT external_id, external_id_hash FROM contact_transfers`);
    expect(transfer.rows).toEqual([{ external_id: null, external_id_hash: hashValue("identifier", plain[0]) }]);
    // No plain value left anywhere in those rows.
    for (const table of ["customer_contacts", "contact_transfers"]) {
      const left = await client.query(`SELECT count(*)::int AS n FROM ${table} t WHERE strpos(t::text, 'wmLegacyCustomer') > 0`);
      expect(left.rows[0].n, table).toBe(0);
    }
    const audit = await client.query(`SELECT entity_type, after FROM audit_events WHERE action = 'pii.backfill' ORDER BY id`);
    expect(audit.rows.map((r) => [r.entity_type, r.after.rows])).toEqual([
      ["customer_contacts", 7],
      ["contact_transfers", 1],
    ]);
    expect(JSON.stringify(audit.rows)).not.toContain("wmLegacyCustomer");

    // Done: the next migrate changes nothing and audits nothing.
    await migrate(url, { appRole: null });
    expect((await client.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'pii.backfill'`)).rows[0].n).toBe(2);
    // A row cannot hold both, nor neither.
    await expect(client.query(`UPDATE customer_contacts SET external_id = 'again' WHERE id = 'c1'`)).rejects.toThrow(/customer_contacts_external_id_protected_check/);
    await expect(client.query(`UPDATE customer_contacts SET external_id_cipher = NULL WHERE id = 'c1'`)).rejects.toThrow(/customer_contacts_external_id_protected_check/);
    if (saved.previous) process.env.PII_ENCRYPTION_KEY_PREVIOUS = saved.previous;
  });
});
