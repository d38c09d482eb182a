import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCalendar } from "@/lib/calendar/store";
import { departmentsById, peopleById } from "@/lib/groups/queries";
import { newId } from "@/lib/ids";
import type { Actor } from "@/lib/server/actor";
import { caseScopeSql } from "@/lib/service/scope";
import { forgetQueueCalendars, listCases, orderBy, queueWhere, rowSelect } from "@/lib/service/queries";
import { caseListSchema, VIEWS } from "@/lib/service/schemas";
import { CASE_STATUSES, CASE_TYPES, caseSla, PRIORITIES, SERVICE_CHANNELS } from "@/lib/service/sla";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { actorFor } from "../helpers/actors";
import { seedServiceOrg, sh, type ServiceOrg } from "./helpers";

// The queue's one statement (lib/service/queue-sql.ts: caseScopeSql, queueSql, orderSql) against
// the Prisma where it replaced for the page (caseScope, queueWhere, orderBy, still used by the
// export): for each kind of reader, view, filter and sort, the same cases in the same order, the
// same total, the same page past the end, and the same row contents.

let db: TestDb;
let org: ServiceOrg;
let actors: Array<[string, Actor]>;
let sub: { id: string };
const now = sh("2026-05-12T10:00:00");

beforeAll(async () => {
  db = await createTestDb();
  org = await seedServiceOrg(db.prisma);
  // A team below the online team (a manager's subtree two levels down) and its agent.
  sub = await makeDepartment(db.prisma, { name: "夜班", code: `NIGHT${Date.now().toString(36)}`, parentId: org.team.id });
  const night = await makeEmployee(db.prisma, { departmentId: sub.id, name: "夜班丁", roles: ["EMPLOYEE"] });
  const calendarId = (await loadCalendar(db.prisma)).id;
  const teams = [org.centre.id, org.team.id, org.team.id, sub.id, org.other.id];
  const assignees = [null, org.people.a1.id, org.people.a2.id, null, org.people.manager.id, night.id, org.people.outsider.id];
  const creators = [org.people.a1.id, org.people.a2.id, org.people.manager.id, org.people.outsider.id, org.people.admin.id, night.id];
  const titles = ["咨询 退款", "投诉 物流", "建议 100%满意", "咨询 a_b", "Refund", "refund later", "咨询 退款"];
  const data = [];
  for (let i = 0; i < 140; i++) {
    const status = CASE_STATUSES[(i * 7) % 4];
    const received = new Date(sh("2026-05-01T09:00:00").getTime() + (i % 37) * 3_600_000);
    const closed = status === "CLOSED";
    const resolved = status === "RESOLVED" || closed;
    const due = new Date(received.getTime() + ((i % 5) + 1) * 86_400_000);
    data.push({
      id: newId(),
      title: titles[i % titles.length],
      customerName: i % 3 === 0 ? "客户甲" : `客户${i % 11}`,
      customerRef: i % 4 === 0 ? `ORD-${i % 9}` : null,
      channel: SERVICE_CHANNELS[i % SERVICE_CHANNELS.length],
      caseType: CASE_TYPES[(i * 3) % CASE_TYPES.length],
      priority: PRIORITIES[(i * 5) % PRIORITIES.length],
      teamId: teams[i % teams.length],
      assigneeId: assignees[(i * 3) % assignees.length],
      createdById: creators[(i * 5) % creators.length],
      policyName: "默认",
      clock: i % 2 === 0 ? ("BUSINESS" as const) : ("CALENDAR" as const),
      calendarId,
      firstResponseMinutes: 60,
      resolutionMinutes: 480,
      receivedAt: received,
      firstResponseDueAt: due,
      resolutionDueAt: new Date(due.getTime() + 86_400_000),
      firstResponseAt: resolved || i % 2 === 0 ? new Date(received.getTime() + 60_000) : null,
      resolvedAt: resolved ? new Date(received.getTime() + 120_000) : null,
      closedAt: closed ? new Date(received.getTime() + 180_000) : null,
      closure: closed ? ("CONFIRMED" as const) : null,
      confirmedAt: closed ? new Date(received.getTime() + 180_000) : null,
      status,
      pausedAt: status === "WAITING_CUSTOMER" ? new Date(received.getTime() + 90_000) : null,
      // Ties and nulls in the sort keys; some due before `now` (breached), some after.
      nextDueAt: resolved ? null : i % 6 === 0 ? sh("2026-05-20T09:00:00") : due,
      nextTarget: resolved ? null : i % 2 === 0 ? ("RESOLUTION" as const) : ("FIRST_RESPONSE" as const),
    });
  }
  await db.prisma.serviceCase.createMany({ data });
  const none = { ...org.actors.outsider, permissions: new Set<never>() } as Actor;
  actors = [
    ["admin (read:all)", org.actors.admin],
    ["manager (department subtree)", org.actors.manager],
    ["agent of the team", org.actors.a1],
    ["agent of the team below", await actorFor(db.prisma, night.id)],
    ["agent of another department", org.actors.outsider],
    ["no service permission", none],
  ];
});
afterAll(async () => db?.close());

/** The page as the Prisma where reads it: ids of the page, the total, the page past the end clamped. */
async function byPrisma(actor: Actor, raw: Record<string, string>) {
  const params = caseListSchema.parse(raw);
  const where = await queueWhere(actor, db.prisma, params, now);
  const total = await db.prisma.serviceCase.count({ where });
  const page = Math.min(params.page, Math.max(1, Math.ceil(total / params.pageSize)));
  const rows = await db.prisma.serviceCase.findMany({ where, select: rowSelect, orderBy: orderBy(params), skip: (page - 1) * params.pageSize, take: params.pageSize });
  return { ids: rows.map((r) => r.id), total, page, rows };
}

async function bySql(actor: Actor, raw: Record<string, string>) {
  const list = await listCases(actor, db.prisma, caseListSchema.parse(raw), now);
  return { ids: list.rows.map((r) => r.id), total: list.total, page: list.page, rows: list.rows };
}

const FILTERS: Array<Record<string, string>> = [
  {},
  { channel: "PHONE" },
  { caseType: "COMPLAINT" },
  { priority: "HIGH" },
  { status: "WAITING_CUSTOMER" },
  { status: "CLOSED" },
  { q: "咨询" },
  { q: "REFUND" },
  { q: "%" },
  { q: "a_b" },
  { q: "ORD-3" },
  { channel: "WECHAT_OA", priority: "URGENT" },
];
const SORTS = ["nextDueAt", "receivedAt", "priority", "title"].flatMap((sort) => ["asc", "desc"].map((dir) => ({ sort, dir })));

describe("the queue's statement selects what the Prisma where selects", () => {
  it("for every reader, view and filter (default order, pages 1, 2 and past the end)", async () => {
    const departments = () => [{ department: org.centre.id }, { department: org.team.id }, { department: sub.id }, { department: org.other.id }, { department: "nosuchdepartment1" }];
    let compared = 0;
    let nonEmpty = 0;
    for (const [who, actor] of actors) {
      for (const view of VIEWS) {
        for (const filter of [...FILTERS, ...departments()]) {
          // Pages beyond the first (and past the end) for the unfiltered view and one department.
          for (const page of Object.keys(filter).length === 0 || filter.department === org.team.id ? ["1", "2", "40"] : ["1"]) {
            const raw = { view, ...filter, pageSize: "10", page };
            const [expected, actual] = await Promise.all([byPrisma(actor, raw), bySql(actor, raw)]);
            expect({ who, raw, ...actual, rows: undefined }).toEqual({ who, raw, ...expected, rows: undefined });
            compared++;
            if (expected.total > 0) nonEmpty++;
          }
        }
      }
    }
    expect(compared).toBe(actors.length * VIEWS.length * (FILTERS.length + 5 + 2 * 2));
    // The comparison is not vacuous: most combinations select some cases.
    expect(nonEmpty).toBeGreaterThan(compared / 3);
  }, 300_000);

  it("for every reader, view, sort and direction", async () => {
    for (const [who, actor] of actors) {
      for (const view of VIEWS) {
        for (const { sort, dir } of SORTS) {
          for (const filter of [{}, { q: "咨询" }] as Array<Record<string, string>>) {
            for (const page of Object.keys(filter).length === 0 ? ["1", "3"] : ["1"]) {
              const raw = { view, sort, dir, ...filter, pageSize: "10", page };
              const [expected, actual] = await Promise.all([byPrisma(actor, raw), bySql(actor, raw)]);
              expect({ who, raw, ...actual, rows: undefined }).toEqual({ who, raw, ...expected, rows: undefined });
            }
          }
        }
      }
    }
  }, 300_000);

  it("returns the rows as before: the case's fields, its team, its assignee and its SLA", async () => {
    const calendar = (await loadCalendar(db.prisma)).definition;
    for (const actor of [org.actors.admin, org.actors.auditor, org.actors.manager, org.actors.a1]) {
      for (const view of ["open", "all"]) {
        const raw = { view, pageSize: "100" };
        const [expected, actual] = await Promise.all([byPrisma(actor, raw), bySql(actor, raw)]);
        const [teams, people] = await Promise.all([departmentsById(db.prisma, expected.rows.map((r) => r.teamId)), peopleById(db.prisma, expected.rows.flatMap((r) => (r.assigneeId ? [r.assigneeId] : [])))]);
        const before = expected.rows.map((r) => ({ ...r, sla: caseSla(calendar, r, now), team: teams.get(r.teamId) ?? null, assignee: r.assigneeId ? (people.get(r.assigneeId) ?? null) : null }));
        expect(actual.rows).toEqual(before);
      }
    }
  });

  it("uses a calendar's new definition at once, whoever changed it and however", async () => {
    forgetQueueCalendars();
    const raw = { view: "open", pageSize: "100" };
    const first = await bySql(org.actors.admin, raw);
    const cached = await bySql(org.actors.admin, raw);
    expect(cached.rows).toEqual(first.rows);
    const calendar = await loadCalendar(db.prisma);
    // Every day a working day from 00:00 to 24:00, written behind the application's back (no version bump).
    const allWeek = Object.fromEntries(Object.keys(calendar.definition.weeklyHours).map((d) => [d, [{ start: "00:00", end: "24:00" }]]));
    const changed = { ...calendar.definition, weeklyHours: allWeek };
    await db.prisma.$executeRaw`UPDATE business_calendars SET definition = ${JSON.stringify(changed)}::jsonb WHERE id = ${calendar.id}`;
    try {
      const after = await bySql(org.actors.admin, raw);
      const reloaded = (await loadCalendar(db.prisma, calendar.id)).definition;
      expect(after.rows.map((r) => r.sla)).toEqual(after.rows.map((r) => caseSla(reloaded, r, now)));
      expect(after.rows.map((r) => r.sla)).not.toEqual(first.rows.map((r) => r.sla));
    } finally {
      await db.prisma.$executeRaw`UPDATE business_calendars SET definition = ${JSON.stringify(calendar.definition)}::jsonb WHERE id = ${calendar.id}`;
    }
  });
});

describe("an agent's scope is answered by indexes", () => {
  it("reads the cases assigned to them, recorded by them and their team's unassigned ones without a scan of every case", async () => {
    // Without an index on created_by_id the OR could not be answered by indexes, and an agent's
    // "all" and "closed" views read the whole table (migration 20261210_s29_list_indexes).
    // Sequential scans are switched off so the plan shows whether the indexes can answer it at all.
    const agent = org.actors.a1;
    const plan = await db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const rows = await tx.$queryRaw<{ "QUERY PLAN": string }[]>`EXPLAIN (FORMAT TEXT) SELECT count(*) FROM service_cases c WHERE ${caseScopeSql(agent)}`;
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(plan).not.toContain("Seq Scan");
    expect(plan).toContain("service_cases_created_by_id_idx");
    expect(plan).toContain("service_cases_assignee_id_status_idx");
  });
});
