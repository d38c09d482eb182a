import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvCell, csvRow } from "@/lib/csv";
import { CONSENT_EXPORT_PAGE_SIZE, codes, consentExportCsv, consentExportLines } from "@/lib/privacy/consent-export";
import { listConsents, type ConsentRow } from "@/lib/privacy/queries";
import { consentListSchema, type ConsentFilters } from "@/lib/privacy/schemas";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { CONSENT_FILTER_CASES, CONSENT_REGISTER_SIZE, seedConsentRegister, seedOrganisation, usePiiKey, type Organisation } from "./helpers";

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
const N = CONSENT_REGISTER_SIZE;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  await seedConsentRegister(db.url, org, now, N);
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

const cases = CONSENT_FILTER_CASES;

describe("the consent export keeps what the list keeps", () => {
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

// The download (consentExportCsv: PostgreSQL's COPY, its text format turned into CSV bytes without
// a string per cell) must be the CSV the lines above give through csvRow, byte for byte: same
// lines, same order, same escaping. The free-text cells here get every kind of value COPY escapes
// (backslash, tab, CR, LF, NULL's own "\\N") and every one csvCell changes (formula starts, quotes,
// commas, whitespace at either end, full-width and other Unicode spaces, and look-alikes it leaves).
describe("the CSV download is the lines as csvRow writes them, byte for byte", () => {
  const TRICKY = [
    "", " ", "a\tb", "tab\t", "\ttab", "line\nbreak", "cr\rx", "\r\n", "back\\slash", "\\N", "\\", "\\t", "=1+2", "+86 139", "-5", "@x", "'quoted'",
    'q"uote', '"', "a,b", ",", "\u3000全角", "全角\u3000", "\u00a0x", "x\u00a0", "\ufeffbom", "x\u2028", "\u000bv", "f\f", "\b", "中 间", "😀", "x😀", "😀 ",
    "\u1680x", "x\u205f", "\u200bzw", "zw\u200b", "\u0085x", "x\u0085", "\u001cx", "é", "\u180ex", "ÿ", "\u2000", "x\u200a", "=", "-", " lead", "trail ", "mid dle",
  ];

  beforeAll(async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query("SET session_replication_role = replica"); // past the register's append-only trigger, for this test's data only
    const ids = (await c.query<{ id: string }>("SELECT id FROM consent_events WHERE kind = 'GRANT' ORDER BY id")).rows.map((r) => r.id);
    for (let i = 0; i < TRICKY.length; i++) {
      const value = TRICKY[i];
      await c.query("UPDATE consent_events SET method = $2, source = $3, evidence_ref = $4 WHERE id = $1", [ids[i % ids.length], value, TRICKY[(i + 1) % TRICKY.length], i % 3 ? null : value]);
      await c.query("UPDATE privacy_subjects SET name = $2 WHERE id = (SELECT subject_id FROM consent_events WHERE id = $1)", [ids[(i + 40) % ids.length], `客户${value}`]);
    }
    // Times with each length of fraction PostgreSQL writes (none, one, two or three digits): the
    // download has COPY write them as text and turns that into to_char's ISO form itself.
    const ms = (column: string, k: number) => `${column} + (ARRAY[0, 100, 120, 123, 5, 50, 999])[1 + (abs(hashtext(id)) + ${k}) % 7] * interval '1 millisecond'`;
    await c.query(`UPDATE consent_events SET occurred_at = ${ms("occurred_at", 0)}, expires_at = ${ms("expires_at", 3)}`);
    await c.end();
  });

  async function download(filters: ConsentFilters, chunkBytes?: number): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of consentExportCsv(filters, now, chunkBytes)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  async function throughCsvRow(filters: ConsentFilters): Promise<Buffer> {
    let csv = "";
    for await (const page of consentExportLines(db.prisma, filters, now)) for (const line of page) csv += csvRow(line);
    return Buffer.from(csv, "utf8");
  }

  for (const filters of [...cases, { subject: "客户 " }, { subject: "\\" }, { subject: "'" }]) {
    it(`for ${JSON.stringify(filters)}`, async () => {
      const parsed = consentListSchema.parse(filters) as ConsentFilters;
      const expected = await throughCsvRow(parsed);
      expect((await download(parsed)).equals(expected)).toBe(true);
    });
  }

  it("in chunks of any size, and the tricky values are there to compare", async () => {
    const expected = await throughCsvRow({});
    const text = expected.toString("utf8");
    for (const value of ["'=1+2", '"q""uote"', '"a,b"', '"line\nbreak"', '"\u3000全角"', "x😀", '"😀 "', "\u200bzw"]) expect(text).toContain(value);
    for (const fraction of [".000Z,", ".100Z,", ".120Z,", ".123Z,", ".005Z,", ".050Z,", ".999Z,"]) expect(text).toContain(fraction);
    for (const chunkBytes of [1, 2, 100, 250, 1000, 4096, expected.length - 1, expected.length, expected.length + 1]) expect((await download({}, chunkBytes)).equals(expected), `chunks of ${chunkBytes} bytes`).toBe(true);
  });
});

describe("codes: a JSON array's elements joined by ';'", () => {
  it("as array_to_string over jsonb_array_elements_text gives them, for every length and kind of element", async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const values = ["[]", '["A"]', '["A","B"]', '["A","B","C"]', '["A","B","C","D"]', '["A","B","C","D","E"]', '["A","B","C","D","E","F","G"]', "[null]", '["A",null,"C"]', '[null,null,null,null,"E"]',
      '[1,true,{"a":1},[2]]', '["a;b","",""]', '[""]', "null", '"A"', '{"a":1}', "3"];
    const { rows } = await c.query<{ v: string; fast: string; full: string }>(
      `SELECT v::text, ${codes("v")} AS fast, CASE WHEN jsonb_typeof(v) = 'array' THEN array_to_string(ARRAY(SELECT jsonb_array_elements_text(v)), ';') ELSE '' END AS full
         FROM unnest($1::jsonb[]) v`,
      [values],
    );
    await c.end();
    expect(rows).toHaveLength(values.length);
    for (const r of rows) expect(r.fast, r.v).toBe(r.full);
    expect(rows.map((r) => r.fast)).toContain("A;B;C;D;E");
  });
});
