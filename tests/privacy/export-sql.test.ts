import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { identifierHashes } from "@/lib/privacy/identifiers";
import { csvCell } from "@/lib/csv";
import { CONSENT_EXPORT_PAGE_SIZE, consentExportLines } from "@/lib/privacy/consent-export";
import { listConsents, type ConsentRow } from "@/lib/privacy/queries";
import { consentListSchema, type ConsentFilters } from "@/lib/privacy/schemas";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedOrganisation, usePiiKey, type Organisation } from "./helpers";

// The consent export reads the register through its own statement (consentExportStatement, one
// pass with a cursor, every cell written as text by PostgreSQL) while the list filters through
// Prisma (consentWhere) and works states out in JavaScript (rowState). Both must keep the same
// consents for every filter, and every line must be the one the list's row gives: this compares
// them on a register with every state (valid, expiring, expired, withdrawn, renewed past or into
// the window, granted in the future), every channel, two purposes, collectors in several
// departments or none, a minor, and names with LIKE's wildcards.

let db: TestDb;
let org: Organisation;
const now = new Date("2026-11-25T06:00:00Z");
const N = 90;
const PHONE = "13912345678";

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  const collectors = [org.people.alice.id, org.people.bob.id, org.people.carol.id, org.people.eastManager.id, org.people.admin.id, null];
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query(`INSERT INTO privacy_notices (id, notice_key, notice_version, status, title, processor_name, processor_contact, purposes, purpose_codes, methods, categories, retention_days, rights_text, separate_consents, created_by_id, published_at, updated_at)
    VALUES ('exnotice000000000000001', 'ex', 1, 'PUBLISHED', 'E', 'P', 'C', '[{"code":"SERVICE","description":"s"}]', '["SERVICE","MARKETING"]', 'm', '[{"code":"CONTACT","name":"c","sensitive":false}]', 365, 'r', '[]', 'x', now(), now())`);
  const phoneHash = identifierHashes("phone", PHONE)[0];
  await c.query(
    `INSERT INTO privacy_subjects (id, name, phone_cipher, phone_hash, phone_mask, created_by_id, updated_at)
     SELECT 'exsubj' || lpad(g::text, 10, '0'), CASE WHEN g % 9 = 0 THEN '客_户' || g WHEN g % 11 = 0 THEN '客%户' || g ELSE '客户' || g END,
            'v1.x', CASE WHEN g = 4 THEN $1 ELSE 'exh' || g END, '139****0000', 'x', now() FROM generate_series(1, ${N}) g`,
    [phoneHash],
  );
  const channels = ["WECOM", "WECHAT", "MINI_PROGRAM", "PAPER", "PHONE"];
  for (let g = 1; g <= N; g++) {
    const day = (n: number) => new Date(now.getTime() + n * 86_400_000);
    const occurred = g % 13 === 0 ? day(1) : day(-g);
    const expires = [day(-5), day(10), day(100), day(25), null][g % 5];
    await c.query(
      `INSERT INTO consent_events (id, kind, subject_id, notice_id, purposes, categories, separate_consents, channel, method, evidence_ref, collected_by_id, occurred_at, expires_at,
                                   subject_minor, guardian_name, guardian_relation, guardian_consent)
       VALUES ($1, 'GRANT', $2, 'exnotice000000000000001', $3::jsonb, '["CONTACT"]', $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $13, $11)`,
      [
        `excons${String(g).padStart(10, "0")}`,
        `exsubj${String(g).padStart(10, "0")}`,
        g % 2 ? '["SERVICE"]' : '["MARKETING","SERVICE"]',
        g % 3 ? "[]" : '["SENSITIVE","THIRD_PARTY"]',
        channels[g % 5],
        g % 2 ? "勾选同意" : null,
        g % 3 ? null : `=HYPERLINK("x"),"ev${g}"`,
        collectors[g % 6],
        occurred,
        expires,
        g % 8 === 0,
        g % 8 === 0 ? `监护人${g}` : null,
        g % 8 === 0 ? "父亲" : null,
      ],
    );
    const consent = `excons${String(g).padStart(10, "0")}`;
    if (g % 7 === 0)
      await c.query(`INSERT INTO consent_events (id, kind, consent_id, subject_id, occurred_at, channel) VALUES ($1, 'WITHDRAW', $2, $3, $4, 'PHONE')`, [`exwd${g}`, consent, `exsubj${String(g).padStart(10, "0")}`, day(-(g % 60))]);
    if (g % 4 === 0)
      await c.query(`INSERT INTO consent_events (id, kind, consent_id, subject_id, occurred_at, expires_at) VALUES ($1, 'RENEW', $2, $3, $4, $5)`, [
        `exrn${g}`,
        consent,
        `exsubj${String(g).padStart(10, "0")}`,
        day(-1),
        [day(200), day(20), day(-1)][g % 3],
      ]);
  }
  await c.end();
});
afterAll(async () => db?.close());

async function listed(filters: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const r = await listConsents(db.prisma, consentListSchema.parse({ ...filters, pageSize: "100", page: String(page) }), now);
    ids.push(...r.rows.map((x) => x.id));
    if (page * 100 >= r.total) return ids.sort();
  }
}

async function exported(filters: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  const parsed = consentListSchema.parse(filters) as ConsentFilters;
  for await (const page of consentExportLines(db.prisma, parsed, now, 7)) ids.push(...page.map((line) => line[0]!));
  expect(new Set(ids).size, "each consent once").toBe(ids.length);
  return ids.sort();
}

/** The line the list's row gives, cell by cell as a CSV writes it (the export before it was SQL). */
function expectedLine(c: ConsentRow): string[] {
  return [
    c.id, c.subjectId, c.subject.name, c.subject.kind, c.subject.phoneMask, c.subject.wecomIdMask, c.subject.emailMask, c.notice?.noticeKey, c.notice?.noticeVersion,
    c.purposes.join(";"), c.categories.join(";"), c.separateConsents.join(";"), c.channel, c.method, c.evidenceRef, c.collector?.name, c.occurredAt, c.effectiveExpiresAt, c.state,
    c.withdrawnAt, c.withdrawalChannel, c.subjectMinor ? "yes" : "no", c.guardianName, c.guardianRelation, c.source,
  ].map(csvCell);
}

describe("the consent export keeps what the list keeps", () => {
  const cases: Record<string, string>[] = [
    {},
    { state: "valid" },
    { state: "expiring" },
    { state: "expired" },
    { state: "withdrawn" },
    { withdrawnDays: "7" },
    { withdrawnDays: "30" },
    { state: "withdrawn", withdrawnDays: "30" },
    { channel: "WECHAT" },
    { channel: "PAPER" },
    { purpose: "MARKETING" },
    { subject: "客户1" },
    { subject: "_" },
    { subject: "%" },
    { identifier: PHONE },
    { collector: "李小雨" },
    { collector: "e-00" },
    { state: "expiring", channel: "WECOM" },
    { state: "valid", purpose: "MARKETING", subject: "客" },
  ];
  for (const filters of cases) {
    it(`for ${JSON.stringify(filters)}`, async () => {
      const fromList = await listed(filters);
      expect(await exported(filters)).toEqual(fromList);
    });
  }

  it("for a department (collector's subtree), a leaf team, and an unknown department", async () => {
    const sales = await listed({ department: org.dept.sales.id });
    const sh1 = await listed({ department: org.dept.sh1.id });
    expect(sales.length).toBeGreaterThan(sh1.length);
    expect(sh1.length).toBeGreaterThan(0);
    expect(await exported({ department: org.dept.sales.id })).toEqual(sales);
    expect(await exported({ department: org.dept.sh1.id })).toEqual(sh1);
    expect(await exported({ department: org.dept.sales.id, state: "expiring" })).toEqual(await listed({ department: org.dept.sales.id, state: "expiring" }));
    expect(await exported({ department: "nonexistentdept00000" })).toEqual([]);
  });

  it("writes every line as the list's row gives it: state, effective expiry, withdrawal, codes, collector, times", async () => {
    const rows = new Map<string, ConsentRow>();
    for (let page = 1; page <= 1; page++) for (const r of (await listConsents(db.prisma, consentListSchema.parse({ pageSize: "100" }), now)).rows) rows.set(r.id, r);
    expect(rows.size).toBe(N);
    let lines = 0;
    for await (const page of consentExportLines(db.prisma, {}, now, 11)) {
      for (const line of page) {
        expect(line.map(csvCell), line[0]!).toEqual(expectedLine(rows.get(line[0]!)!));
        lines++;
      }
    }
    expect(lines).toBe(N);
    // The register holds each state and the cells that vary, so the comparison means something.
    const states = new Set([...rows.values()].map((r) => r.state));
    expect([...states].sort()).toEqual(["expired", "expiring", "valid", "withdrawn"]);
    expect([...rows.values()].some((r) => r.withdrawnAt && r.collector && r.effectiveExpiresAt && r.subjectMinor)).toBe(true);
  });

  it("pages of any size hold every line once, in the same order: none lost or repeated at a page boundary", async () => {
    const all = await listed({});
    let first: string[] | null = null;
    for (const pageSize of [1, 2, 7, N - 1, N, N + 1, CONSENT_EXPORT_PAGE_SIZE]) {
      const lines: string[] = [];
      const sizes: number[] = [];
      for await (const page of consentExportLines(db.prisma, {}, now, pageSize)) {
        sizes.push(page.length);
        lines.push(...page.map((line) => line.map(csvCell).join(",")));
      }
      expect(sizes.every((n) => n > 0 && n <= pageSize), `pages of ${pageSize}`).toBe(true);
      expect(sizes.length, `pages of ${pageSize}`).toBe(Math.ceil(N / pageSize));
      expect(lines.map((l) => l.split(",")[0]).sort(), `pages of ${pageSize}`).toEqual(all);
      first ??= lines;
      expect(lines, `pages of ${pageSize}`).toEqual(first);
    }
  });

  it("the cases are not trivial: every state and filter keeps some consents and leaves out others", async () => {
    const all = (await listed({})).length;
    expect(all).toBe(N);
    for (const filters of cases.slice(1)) {
      const n = (await listed(filters)).length;
      expect(n, JSON.stringify(filters)).toBeGreaterThan(0);
      expect(n, JSON.stringify(filters)).toBeLessThan(all);
    }
  });
});
