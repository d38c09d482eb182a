import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentKeysetView, consentOffsetView } from "@/lib/privacy/consent-list-sql";
import { CONSENT_COUNT_CAP, departmentOptions, listConsents, listConsentsKeyset } from "@/lib/privacy/queries";
import { consentListSchema } from "@/lib/privacy/schemas";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { CONSENT_FILTER_CASES, CONSENT_REGISTER_SIZE, seedConsentRegister, seedOrganisation, usePiiKey, type Organisation } from "./helpers";

// The consent list's one statement (consent-list-sql.ts) against the Prisma path it replaces on the
// page (listConsentsKeyset / listConsents, consentWhere, withRefs, departmentOptions): for every
// filter, both directions of the keyset walked forward and back, and the offset pages of both sorts
// (past the end too), the same rows (ids, order, every field), totals, capped flag and cursors.
// The list has one kind of reader: the page asks privacy.read:all and shows the whole register, so
// there is no scope to compare beyond the filters.

let db: TestDb;
let org: Organisation;
const now = new Date("2026-11-25T06:00:00Z");
/** Offset pages of 7; keyset pages of 4, so that a cursor falls among the consents granted at one
 * time (six of them, the newest) and the id must break the tie. */
const SIZE = "7";
const KEYSET_SIZE = "4";

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  await seedConsentRegister(db.url, org, now);
});
afterAll(async () => db?.close());

const params = (raw: Record<string, string>) => consentListSchema.parse({ pageSize: SIZE, ...raw });

/** Walks the keyset forward to the end, then back to the start, on both paths at once; returns the ids met going forward. */
async function walkKeyset(filters: Record<string, string>, dir: "asc" | "desc"): Promise<string[]> {
  const seen: string[] = [];
  let step: Record<string, string> = {};
  for (let guard = 0; guard < 100; guard++) {
    const p = params({ ...filters, dir, pageSize: KEYSET_SIZE, ...step });
    const [prisma, sql] = await Promise.all([listConsentsKeyset(db.prisma, p, now), consentKeysetView(db.prisma, p, now)]);
    const { departments, ...list } = sql;
    expect(list, JSON.stringify(p)).toEqual(prisma);
    expect(departments).toEqual(await departmentOptions(db.prisma));
    if (step.before) {
      if (!prisma.prevCursor) return seen;
      step = { before: prisma.prevCursor };
    } else {
      seen.push(...prisma.rows.map((r) => r.id));
      step = prisma.nextCursor ? { after: prisma.nextCursor } : prisma.prevCursor ? { before: prisma.prevCursor } : {};
      if (!step.after && !step.before) return seen;
    }
  }
  throw new Error("the walk did not end");
}

describe("the consent list's statement gives what the Prisma path gives", () => {
  for (const filters of CONSENT_FILTER_CASES) {
    it(`keyset, both directions, forward and back, for ${JSON.stringify(filters)}`, async () => {
      const desc = await walkKeyset(filters, "desc");
      const asc = await walkKeyset(filters, "asc");
      expect(asc).toEqual([...desc].reverse());
      expect(desc.length).toBe((await listConsents(db.prisma, params({ ...filters, pageSize: "100" }), now)).total);
    });

    it(`offset pages of both sorts, past the end too, for ${JSON.stringify(filters)}`, async () => {
      for (const sort of ["occurredAt", "expiresAt"] as const)
        for (const dir of ["asc", "desc"] as const) {
          const total = (await listConsents(db.prisma, params({ ...filters, sort, dir }), now)).total;
          const pages = Math.max(1, Math.ceil(total / Number(SIZE)));
          for (const page of [...new Set([1, 2, pages, pages + 1, 99])]) {
            const p = params({ ...filters, sort, dir, page: String(page) });
            const [prisma, sql] = await Promise.all([listConsents(db.prisma, p, now), consentOffsetView(db.prisma, p, now)]);
            const { departments, ...list } = sql;
            expect(list, JSON.stringify(p)).toEqual(prisma);
            expect(departments.length).toBeGreaterThan(0);
          }
        }
    });
  }

  it("for a department (the collector's subtree), a leaf team, and an unknown department", async () => {
    for (const department of [org.dept.sales.id, org.dept.sh1.id, "nonexistentdept00000"]) {
      const desc = await walkKeyset({ department }, "desc");
      await walkKeyset({ department, state: "expiring" }, "asc");
      const p = params({ department, sort: "expiresAt", page: "2" });
      const sql = await consentOffsetView(db.prisma, p, now);
      expect({ ...sql, departments: undefined }).toEqual(await listConsents(db.prisma, p, now));
      if (department === "nonexistentdept00000") expect(desc).toEqual([]);
      else expect(desc.length).toBeGreaterThan(0);
    }
  });

  it("rows carry every field the page shows: subject masks, notice, follow-ups, collector, state", async () => {
    const p = params({ pageSize: "100" });
    const sql = await consentKeysetView(db.prisma, p, now);
    expect(sql.rows).toHaveLength(CONSENT_REGISTER_SIZE);
    expect(new Set(sql.rows.map((r) => r.state))).toEqual(new Set(["valid", "expiring", "expired", "withdrawn"]));
    expect(sql.rows.some((r) => r.followUps.length === 2 && r.collector && r.notice && r.withdrawnAt && r.effectiveExpiresAt)).toBe(true);
    expect(sql.rows.some((r) => r.collector === null)).toBe(true);
    expect(sql.rows[0].occurredAt).toBeInstanceOf(Date);
  });

  it("counts up to the cap, as the Prisma path does, with the capped flag", async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query(`INSERT INTO consent_events (id, kind, subject_id, notice_id, purposes, categories, separate_consents, channel, occurred_at, expires_at)
      SELECT 'capcons' || lpad(g::text, 10, '0'), 'GRANT', 'exsubj0000000001', 'exnotice000000000000001', '["SERVICE"]', '["CONTACT"]', '[]', 'PAPER',
             $1::timestamptz - g * interval '1 minute', NULL FROM generate_series(1, ${CONSENT_COUNT_CAP}) g`, [now.toISOString()]);
    await c.end();
    const cases: Record<string, string>[] = [{}, { channel: "PAPER" }, { channel: "WECHAT" }];
    for (const filters of cases) {
      const p = params(filters);
      const prisma = await listConsentsKeyset(db.prisma, p, now);
      const sql = await consentKeysetView(db.prisma, p, now);
      expect({ ...sql, departments: undefined }).toEqual(prisma);
      expect(prisma.capped).toBe(filters.channel !== "WECHAT");
    }
  });
});
