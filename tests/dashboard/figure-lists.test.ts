import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { permissionsOf } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { parseCsv } from "../helpers/csv";
import { createTestDb, type TestDb } from "../helpers/test-db";

// Every dashboard figure links to "the exact list behind it" (issue 9): the list reached by the
// figure's own href — its query string read through the list page's zod schema, then the page's
// query — holds exactly as many rows as the figure counts, for the whole company and for every
// department, on a generated company where the department filter excludes something.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { generateLargeDataset } = await import("@/lib/large-dataset/generate");
const { planFor } = await import("@/lib/large-dataset/plan");
const { generateKey, parseKey } = await import("@/lib/pii");
const { loadDashboard } = await import("@/lib/dashboard/compute");
const { resolveDashboardScope } = await import("@/lib/dashboard/scope");
const { FIGURES } = await import("@/lib/dashboard/figures");
const privacy = await import("@/lib/privacy/queries");
const privacySchemas = await import("@/lib/privacy/schemas");
const accountQueries = await import("@/lib/accounts/queries");
const accountSchemas = await import("@/lib/accounts/schemas");
const offboarding = await import("@/lib/offboarding/queries");
const offboardingSchemas = await import("@/lib/offboarding/schemas");
const serviceQueue = await import("@/lib/service/queries");
const serviceReports = await import("@/lib/service/reports");
const serviceSchemas = await import("@/lib/service/schemas");
const { GET: consentExport } = await import("@/app/(portal)/privacy/consents/export/route");

const now = new Date("2026-11-25T06:00:00Z");
let db: TestDb;
let client: pg.Client;
/** dashboard.read:all with every list the figures link to (the auditor's permissions). */
let auditor: Actor;
let manager: Actor;
let departments: { id: string; path: string; depth: number }[];

beforeAll(async () => {
  db = await createTestDb();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const plan = { ...planFor(0.001), employees: 400, groups: 300, contacts: 1_000, auditEvents: 100, serviceCases: 3_000, consents: 6_000 };
  await generateLargeDataset(client, plan, { now, ring: { current: parseKey(generateKey()), previous: null }, passwordHash: "x", log: () => {} });
  // The generator gives every data-subject request to one person; spread them over the company
  // (a quarter unassigned, registered by someone else) so the department filter has work to do.
  await client.query(`
    WITH people AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM employees WHERE id LIKE 'lgemp%')
    UPDATE privacy_requests r
       SET assignee_id = CASE WHEN (hashtext(r.id) & 3) = 0 THEN NULL ELSE (SELECT id FROM people WHERE n = abs(hashtext(r.id || 'a')) % total) END,
           created_by_id = (SELECT id FROM people WHERE n = abs(hashtext(r.id || 'c')) % total)`);
  // Some more overdue open requests, so that several departments have one.
  await client.query(`UPDATE privacy_requests SET status = 'RECEIVED', closed_at = NULL, closed_by_id = NULL, resolution = NULL WHERE due_at < $1 AND (hashtext(id) & 7) = 0`, [now]);
  // Some account holders have left since: their accounts are still held by departed people (a
  // quarter of those already dissolved, which no longer counts), spread over the company.
  await client.query(`
    WITH departed AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM employees WHERE id LIKE 'lgemp%' AND status = 'DEPARTED')
    UPDATE accounts a SET holder_id = (SELECT id FROM departed WHERE n = abs(hashtext(a.id || 'h')) % total),
                          status = CASE WHEN (hashtext(a.id) & 6) = 0 THEN 'DISSOLVED'::"AccountStatus" ELSE a.status END
     WHERE a.status IN ('ACTIVE', 'SUSPENDED') AND (hashtext(a.id) & 1) = 0`);
  const admin = await actorFor(db.prisma, "lgdemo1");
  auditor = { ...admin, roles: ["AUDITOR"], permissions: permissionsOf(["AUDITOR"]) };
  manager = await actorFor(db.prisma, "lgdemo5"); // runs the first division
  departments = (await client.query<{ id: string; path: string; depth: number }>("SELECT id, path, depth FROM departments ORDER BY path")).rows;
}, 120_000);
afterAll(async () => {
  await client?.end();
  await db?.close();
});

type Counted = { value: number; total: number };
const FIGURE_KEYS_CHANGED = ["privacy.consentsExpiring", "privacy.consentsWithdrawn", "privacy.requestsOverdue", "service.firstResponse", "service.resolution"];
/** Count figures whose list shows something else than the rows counted (and why). */
const NOT_A_COUNT_OF_THE_LIST: Record<string, string> = {
  "offboarding.contactsAtRisk": "counts customer-contact handover items; the list shows the open cases holding them",
};

/**
 * What the list behind an href holds, read as the page reads it: the query string through the
 * page's zod schema, then the page's own query, as `actor`. For the attainment report, the
 * by-team rows summed (met, and met + breached) for the figure's measure; for a list, its total.
 */
async function listBehind(actor: Actor, key: string, href: string): Promise<Counted | null> {
  const url = new URL(href, "http://localhost");
  const query = Object.fromEntries(url.searchParams);
  switch (url.pathname) {
    case "/privacy/consents": {
      const params = privacySchemas.consentListSchema.parse(query);
      const keyset = await privacy.listConsentsKeyset(db.prisma, params, now);
      expect(keyset.capped).toBe(false);
      // The offset list (other sorts) counts the same rows.
      expect((await privacy.listConsents(db.prisma, { ...params, sort: "expiresAt" }, now)).total).toBe(keyset.total);
      return { value: keyset.total, total: 0 };
    }
    case "/privacy/requests":
      return { value: (await privacy.listRequests(db.prisma, privacySchemas.requestListSchema.parse(query), now)).total, total: 0 };
    case "/accounts":
      return { value: (await accountQueries.listAccounts(actor, db.prisma, accountSchemas.accountListSchema.parse(query))).total, total: 0 };
    case "/offboarding": {
      const params = offboardingSchemas.caseListSchema.parse(query);
      return { value: (await offboarding.listCases(actor, db.prisma, params, now)).total, total: 0 };
    }
    case "/service":
      return { value: (await serviceQueue.listCases(actor, db.prisma, serviceSchemas.caseListSchema.parse(query), now)).total, total: 0 };
    case "/service/reports": {
      const params = serviceSchemas.reportParamsSchema.parse(query);
      const rows = await serviceReports.attainment(actor, db.prisma, "team", serviceReports.reportRange(params, now), now, { department: params.department });
      const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + pick(r), 0);
      if (key === "service.firstResponse") return { value: sum((r) => r.frMet), total: sum((r) => r.frMet + r.frBreached) };
      if (key === "service.resolution") return { value: sum((r) => r.resMet), total: sum((r) => r.resMet + r.resBreached) };
      return null;
    }
    default:
      return null;
  }
}

/** Each figure the actor may open, its value in the scope, and the list its href reaches. */
async function compare(actor: Actor, departmentId: string | null) {
  const scope = await resolveDashboardScope(actor, db.prisma, departmentId);
  const dashboard = await loadDashboard(db.prisma, scope, now);
  const out = new Map<string, { figure: Counted; list: Counted; href: string }>();
  for (const f of dashboard.figures) {
    const list = f.def.list;
    if (!list || !list.anyOf.some((p) => actor.permissions.has(p))) continue;
    if (f.def.kind !== "count" && !FIGURE_KEYS_CHANGED.includes(f.def.key)) continue;
    if (NOT_A_COUNT_OF_THE_LIST[f.def.key]) continue;
    const href = list.href(scope.departmentId);
    const counted = await listBehind(actor, f.def.key, href);
    if (!counted) throw new Error(`${f.def.key}: no list query for ${href}; teach listBehind to read it`);
    out.set(f.def.key, { figure: { value: f.cell.value, total: f.def.kind === "count" ? 0 : f.cell.total }, list: counted, href });
  }
  return out;
}

describe("the list behind each figure", () => {
  it("carries the department and the figure's own window in every changed href", () => {
    const byKey = new Map(FIGURES.map((f) => [f.key, f]));
    expect(byKey.get("privacy.consentsExpiring")!.list!.href("dept00000001")).toBe("/privacy/consents?state=expiring&department=dept00000001");
    expect(byKey.get("privacy.consentsWithdrawn")!.list!.href("dept00000001")).toBe("/privacy/consents?state=withdrawn&withdrawnDays=30&department=dept00000001");
    expect(byKey.get("privacy.requestsOverdue")!.list!.href(null)).toBe("/privacy/requests?overdue=1");
    expect(byKey.get("service.firstResponse")!.list!.href("dept00000001")).toBe("/service/reports?days=28&department=dept00000001");
    expect(byKey.get("service.resolution")!.list!.href(null)).toBe("/service/reports?days=28");
    expect(byKey.get("accounts.heldByDeparted")!.list!.href("dept00000001")).toBe("/accounts?holderDeparted=1&department=dept00000001");
    // The lists these links open are read:all lists, or the report a manager reads for their subtree.
    for (const key of ["privacy.consentsExpiring", "privacy.consentsWithdrawn", "privacy.requestsOverdue"]) expect(byKey.get(key)!.list!.anyOf).toEqual(["privacy.read:all"]);
  });

  it("holds as many rows as the figure counts, for the company and for every department", async () => {
    const company = await compare(auditor, null);
    // Every count figure with a list (but the one documented above) and every changed figure is checked.
    const expectedKeys = FIGURES.filter((f) => f.list && !NOT_A_COUNT_OF_THE_LIST[f.key] && (f.kind === "count" || FIGURE_KEYS_CHANGED.includes(f.key))).map((f) => f.key);
    expect([...company.keys()].sort()).toEqual(expectedKeys.sort());
    for (const [key, c] of company) {
      expect(c.list, `${key} company: ${c.href}`).toEqual(c.figure);
      // (The generator leaves no case past its last working day.)
      if (key !== "offboarding.pastDue") expect(c.figure.value, key).toBeGreaterThan(0);
    }
    // Each department (and its subtree): the same equality; the department filter excludes
    // something for every changed figure somewhere (a department with fewer rows than the company
    // but some).
    const narrowed = new Set<string>();
    for (const d of departments) {
      const scoped = await compare(auditor, d.id);
      for (const [key, c] of scoped) {
        expect(c.list, `${key} in ${d.path}: ${c.href}`).toEqual(c.figure);
        expect(c.href, key).toContain(`department=${d.id}`);
        if (c.figure.value > 0 && c.figure.value < company.get(key)!.figure.value) narrowed.add(key);
      }
    }
    for (const key of FIGURE_KEYS_CHANGED) expect(narrowed, key).toContain(key);
  });

  it("a manager's links open the report of their subtree, equal to their figures; the department never widens it", async () => {
    const mine = await compare(manager, null);
    expect([...mine.keys()].sort()).toEqual(["accounts.heldByDeparted", "service.firstResponse", "service.openBreaches", "service.resolution"]);
    for (const [key, c] of mine) {
      expect(c.href, key).toContain(`department=${manager.departmentId}`);
      expect(c.list, `${key}: ${c.href}`).toEqual(c.figure);
    }
    const inside = departments.find((d) => d.path.startsWith(manager.departmentPath) && d.id !== manager.departmentId)!;
    for (const [key, c] of await compare(manager, inside.id)) expect(c.list, `${key} in ${inside.path}`).toEqual(c.figure);

    // A department outside the subtree: only what the manager already sees there (cases assigned
    // to them), never the team's other cases, which the company-wide reader does see.
    const outside = departments.find((d) => !d.path.startsWith(manager.departmentPath) && d.depth === 1)!;
    const range = serviceReports.reportRange({ days: 28 }, now);
    const theirs = await serviceReports.attainment(manager, db.prisma, "team", range, now, { department: outside.id });
    const assigned = Number(
      (await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM service_cases WHERE received_at >= $1 AND received_at < $2 AND assignee_id = $3 AND team_id IN (SELECT id FROM departments WHERE path LIKE $4)",
        [range.from, range.to, manager.id, `${outside.path}%`],
      )).rows[0].n,
    );
    expect(theirs.reduce((n, r) => n + r.total, 0)).toBe(assigned);
    const all = await serviceReports.attainment(auditor, db.prisma, "team", range, now, { department: outside.id });
    expect(all.reduce((n, r) => n + r.total, 0)).toBeGreaterThan(assigned);
    const breaches = await serviceReports.openBreaches(manager, db.prisma, now, { department: outside.id });
    const assignedBreaches = await client.query<{ id: string }>(
      "SELECT id FROM service_cases WHERE status = 'OPEN' AND next_due_at < $1 AND assignee_id = $2 AND team_id IN (SELECT id FROM departments WHERE path LIKE $3)",
      [now, manager.id, `${outside.path}%`],
    );
    expect(breaches.map((b) => b.id).sort()).toEqual(assignedBreaches.rows.map((r) => r.id).sort());
    expect((await serviceReports.openBreaches(auditor, db.prisma, now, { department: outside.id })).length).toBeGreaterThan(breaches.length);
  });

  it("a bad department: malformed is dropped by the schema, unknown gives empty lists", async () => {
    expect(privacySchemas.consentListSchema.parse({ department: "x'; DROP TABLE" }).department).toBeUndefined();
    expect(privacySchemas.requestListSchema.parse({ department: ["a", "b"] }).department).toBeUndefined();
    expect(serviceSchemas.reportParamsSchema.parse({ department: "" }).department).toBeUndefined();
    expect(privacySchemas.consentListSchema.parse({ withdrawnDays: "45" }).withdrawnDays).toBeUndefined();
    expect(privacySchemas.consentListSchema.parse({ withdrawnDays: "abc" }).withdrawnDays).toBeUndefined();
    expect(privacySchemas.consentListSchema.parse({ withdrawnDays: "90" }).withdrawnDays).toBe(90);
    expect(serviceSchemas.reportParamsSchema.parse({ days: "1000" }).days).toBeUndefined();
    const unknown = "nonexistentdept00000";
    const consents = privacySchemas.consentListSchema.parse({ department: unknown });
    expect(consents.department).toBe(unknown);
    expect((await privacy.listConsentsKeyset(db.prisma, consents, now)).total).toBe(0);
    expect((await privacy.listRequests(db.prisma, privacySchemas.requestListSchema.parse({ department: unknown }), now)).total).toBe(0);
    expect(await serviceReports.attainment(auditor, db.prisma, "team", serviceReports.reportRange({ days: 28 }, now), now, { department: unknown })).toEqual([]);
    expect(await serviceReports.openBreaches(auditor, db.prisma, now, { department: unknown })).toEqual([]);
  });

  it("the consent CSV export honours the department filter (and an unknown one exports nothing)", async () => {
    const division = departments.find((d) => d.depth === 1)!;
    const expected = Number(
      (await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM consent_events g JOIN employees e ON e.id = g.collected_by_id JOIN departments d ON d.id = e.department_id WHERE g.kind = 'GRANT' AND d.path LIKE $1",
        [`${division.path}%`],
      )).rows[0].n,
    );
    const all = Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM consent_events WHERE kind = 'GRANT'")).rows[0].n);
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(all);
    session.actor = auditor;
    const res = await consentExport(new Request(`http://localhost/privacy/consents/export?department=${division.id}`));
    expect(res.status).toBe(200);
    const rows = parseCsv(await res.text());
    expect(rows[0][0]).toBe("consent_id");
    expect(rows.length - 1).toBe(expected);
    const collectors = new Set((await client.query<{ name: string }>("SELECT e.name FROM employees e JOIN departments d ON d.id = e.department_id WHERE d.path LIKE $1", [`${division.path}%`])).rows.map((r) => r.name));
    const collectorColumn = rows[0].indexOf("collector");
    for (const row of rows.slice(1)) expect(collectors.has(row[collectorColumn])).toBe(true);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "consent.export" }, orderBy: { id: "desc" } });
    expect(audit.after).toMatchObject({ filters: { department: division.id } });

    const none = await consentExport(new Request("http://localhost/privacy/consents/export?department=nonexistentdept00000"));
    expect(none.status).toBe(200);
    expect(parseCsv(await none.text())).toHaveLength(1);
    const malformed = await consentExport(new Request("http://localhost/privacy/consents/export?department=%27%3B--&state=withdrawn&withdrawnDays=30"));
    expect(malformed.status).toBe(200);
    const withdrawn = await privacy.listConsentsKeyset(db.prisma, privacySchemas.consentListSchema.parse({ state: "withdrawn", withdrawnDays: "30" }), new Date());
    expect(parseCsv(await malformed.text()).length - 1).toBe(withdrawn.total);
    session.actor = manager;
    expect((await consentExport(new Request(`http://localhost/privacy/consents/export?department=${manager.departmentId}`))).status).toBe(403);
  });
});
