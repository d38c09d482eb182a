import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import { departmentOptions, departmentsById, isOwnerless, listGroups, peopleById, registryView, registryWhere } from "@/lib/groups/queries";
import { ARCHIVE_STALE_DAYS, localDay } from "@/lib/groups/policy-rules";
import { CLASSIFICATIONS, GROUP_STATUSES, groupListSchema, KINDS, PLATFORMS, SORTABLE, type GroupListParams } from "@/lib/groups/schemas";
import type { Actor } from "@/lib/server/actor";
import { makeDepartment } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedGroupsOrganisation, type GroupsOrganisation } from "./helpers";

// The registry's page reads its total, its rows (with owners and departments) and the department
// select in one statement whose scope and filters are SQL (lib/groups/registry-sql.ts). Here that
// path is compared with the Prisma where the API and the export still use (registryWhere, scope by
// groupScope): the same ids in the same order and the same total, for every kind of person, every
// filter, every sort in both directions and pages past the first.

let db: TestDb;
let org: GroupsOrganisation;
let actors: Record<string, Actor>;
const DAY = 86_400_000;
const now = new Date();
const GROUPS = 90;

/** The order the page had before (Prisma's orderBy), the id breaking ties. */
function prismaOrder(p: Pick<GroupListParams, "sort" | "dir">): Prisma.WorkGroupOrderByWithRelationInput[] {
  const primary: Prisma.WorkGroupOrderByWithRelationInput = p.sort === "reviewDueAt" ? { reviewDueAt: { sort: p.dir, nulls: "last" } } : { [p.sort]: p.dir };
  return [primary, { id: p.dir }];
}

async function viaPrisma(actor: Actor, params: GroupListParams) {
  const where = await registryWhere(actor, db.prisma, params, now);
  const total = await db.prisma.workGroup.count({ where });
  const page = Math.min(params.page, Math.max(1, Math.ceil(total / params.pageSize)));
  const rows = await db.prisma.workGroup.findMany({ where, orderBy: prismaOrder(params), skip: (page - 1) * params.pageSize, take: params.pageSize, select: { id: true } });
  return { ids: rows.map((r) => r.id), total, page };
}

async function viaSql(actor: Actor, params: GroupListParams) {
  const list = await listGroups(actor, db.prisma, params, now);
  return { ids: list.rows.map((r) => r.id), total: list.total, page: list.page };
}

const FILTERS: Record<string, string>[] = [
  {},
  ...GROUP_STATUSES.map((status) => ({ status })),
  ...CLASSIFICATIONS.map((classification) => ({ classification })),
  ...KINDS.map((kind) => ({ kind })),
  ...PLATFORMS.map((platform) => ({ platform })),
  { review: "overdue" },
  { review: "dueSoon" },
  { review: "ok" },
  { ownerless: "1" },
  { outside: "1" },
  { violations: "1" },
  { archive: "stale" },
  { mine: "1" },
  { mine: "owner" },
  { owner: "刘芳" },
  { owner: "e-003" },
  { owner: "EXAMPLE.test" },
  { owner: "%" },
  { owner: "吴" },
  { q: "alpha" },
  { q: "%" },
  { q: "_" },
  { q: "组-1" },
  { status: "ACTIVE", classification: "SECRET", platform: "WECOM" },
  { review: "ok", kind: "EXTERNAL", q: "a" },
  { ownerless: "1", mine: "1" },
  { outside: "1", mine: "owner" },
  { violations: "1", archive: "stale" },
];

beforeAll(async () => {
  db = await createTestDb();
  org = await seedGroupsOrganisation(db.prisma);
  const p = org.people;
  // A department below Shanghai-1 (the subtree goes further than one level) and one the filter finds empty.
  const deep = await makeDepartment(db.prisma, { name: "上海销售一组一队", code: "SALES-EAST-SH1-A", parentId: org.dept.sh1.id });
  const depts = [org.dept.hq, org.dept.sales, org.dept.east, org.dept.sh1, org.dept.south, org.dept.it, deep];
  const people = [p.alice, p.bob, p.carol, p.departed, p.eastManager, p.southManager, p.admin, p.auditor];
  const names = ["Alpha", "alpha", "组-1", "组-10", "50%折扣", "a_b", "Beta", "组-1"];
  const base = now.getTime() - 400 * DAY;
  const cutoff = localDay(now).getTime() - ARCHIVE_STALE_DAYS * DAY;
  const data: Prisma.WorkGroupCreateManyInput[] = [];
  for (let i = 0; i < GROUPS; i++) {
    const status = GROUP_STATUSES[i % GROUP_STATUSES.length];
    data.push({
      name: `${names[i % names.length]}-${i % 30}`,
      nameParts: {},
      policyVersion: 1,
      purpose: "test",
      platform: PLATFORMS[(i >> 1) % 2],
      kind: KINDS[i % 2],
      classification: CLASSIFICATIONS[(i >> 2) % 4],
      departmentId: depts[i % depts.length].id,
      ownerId: i % 13 === 0 ? null : people[i % people.length].id,
      requesterId: i % 11 === 0 ? null : people[(i + 3) % people.length].id,
      expectedSize: 2 + ((i * 37) % 7) * 50,
      status,
      // Overdue, due soon, due later, none (ties among them).
      reviewDueAt: [new Date(now.getTime() - 5 * DAY), new Date(now.getTime() + 5 * DAY), new Date(now.getTime() + 60 * DAY), null][Math.floor(i / 6) % 4],
      lastReviewedAt: i % 3 === 0 ? new Date(base) : null,
      // At the cutoff day, the day before, recent, never.
      lastArchivedOn: [new Date(cutoff), new Date(cutoff - DAY), new Date(now.getTime() - 10 * DAY), null][(i >> 1) % 4],
      wecomStatus: i % 7 === 0 ? 1 : i % 10 === 0 ? 2 : i % 3 === 0 ? 0 : null,
      wecomOwnerUserid: i % 13 === 0 ? `wx-${i}` : null,
      outsidePortal: i % 5 === 0,
      wecomGoneAt: i % 15 === 0 ? new Date(base) : null,
      wecomGoneReason: i % 15 === 0 ? "DISMISSED" : null,
      // Ties in the default order: three groups a day.
      createdAt: new Date(base + Math.floor(i / 3) * DAY),
    });
  }
  await db.prisma.workGroup.createMany({ data });
  const groups = await db.prisma.workGroup.findMany({ select: { id: true }, orderBy: { name: "asc" } });
  await db.prisma.workGroupAdministrator.createMany({
    data: groups.flatMap((g, i) => [...(i % 4 === 0 ? [{ groupId: g.id, employeeId: p.bob.id }] : []), ...(i % 9 === 0 ? [{ groupId: g.id, employeeId: p.carol.id }] : [])]),
  });
  await db.prisma.workGroupViolation.createMany({
    data: groups.flatMap((g, i) =>
      i % 6 === 1 ? [{ groupId: g.id, kind: "OVER_SIZE", openedAt: now, lastCheckedAt: now }] : i % 8 === 0 ? [{ groupId: g.id, kind: "OVER_SIZE", openedAt: now, lastCheckedAt: now, resolvedAt: now }] : [],
    ),
  });
  actors = {
    admin: await actorFor(db.prisma, p.admin.id),
    auditor: await actorFor(db.prisma, p.auditor.id),
    privacy: await actorFor(db.prisma, p.privacy.id),
    eastManager: await actorFor(db.prisma, p.eastManager.id),
    southManager: await actorFor(db.prisma, p.southManager.id),
    alice: await actorFor(db.prisma, p.alice.id),
    bob: await actorFor(db.prisma, p.bob.id),
    carol: await actorFor(db.prisma, p.carol.id),
  };
  // Nobody the page lets in, but the scope still answers for them: nothing.
  actors.nobody = { ...actors.alice, permissions: new Set() };
}, 120_000);
afterAll(async () => db?.close());

describe("the registry's SQL path against its Prisma where", () => {
  it("same ids and total for every person and filter, pages 1 and 2 and past the end", async () => {
    const filters = [...FILTERS, { department: org.dept.east.id }, { department: org.dept.sales.id }, { department: org.dept.it.id }, { department: "c0000000000000000000nope" }];
    let seen = 0;
    for (const [who, actor] of Object.entries(actors)) {
      for (const f of filters) {
        for (const page of ["1", "2", "9"]) {
          const params = groupListSchema.parse({ ...f, pageSize: "10", page });
          const expected = await viaPrisma(actor, params);
          expect(await viaSql(actor, params), `${who} ${JSON.stringify(f)} page ${page}`).toEqual(expected);
          seen += expected.ids.length;
        }
      }
    }
    expect(seen).toBeGreaterThan(500);
  }, 120_000);

  it("same order for every sort in both directions, for each kind of person", async () => {
    for (const who of ["admin", "eastManager", "alice", "carol"]) {
      for (const sort of SORTABLE) {
        for (const dir of ["asc", "desc"]) {
          for (const f of [{}, { status: "ACTIVE" }, { q: "a" }]) {
            for (const page of ["1", "3"]) {
              const params = groupListSchema.parse({ ...f, sort, dir, pageSize: "10", page });
              expect(await viaSql(actors[who], params), `${who} ${sort} ${dir} ${JSON.stringify(f)} page ${page}`).toEqual(await viaPrisma(actors[who], params));
            }
          }
        }
      }
    }
  }, 120_000);

  it("the filters find something (the comparison is not between empty lists)", async () => {
    for (const f of [{ review: "overdue" }, { review: "dueSoon" }, { ownerless: "1" }, { outside: "1" }, { violations: "1" }, { archive: "stale" }, { owner: "e-003" }, { q: "%" }, { q: "_" }]) {
      expect((await viaSql(actors.admin, groupListSchema.parse(f))).total, JSON.stringify(f)).toBeGreaterThan(0);
    }
    const eastOnly = await viaSql(actors.eastManager, groupListSchema.parse({ pageSize: "100" }));
    const all = await viaSql(actors.admin, groupListSchema.parse({ pageSize: "100" }));
    expect(eastOnly.total).toBeGreaterThan(0);
    expect(eastOnly.total).toBeLessThan(all.total);
  });

  it("the rows carry what the Prisma reads gave: owner, department, ownerless, dates; and the department select", async () => {
    const params = groupListSchema.parse({ pageSize: "100" });
    const view = await registryView(actors.admin, db.prisma, params, now);
    const where = await registryWhere(actors.admin, db.prisma, params, now);
    const groups = await db.prisma.workGroup.findMany({
      where,
      orderBy: prismaOrder(params),
      take: 100,
      select: {
        id: true, name: true, status: true, platform: true, kind: true, classification: true, expectedSize: true, departmentId: true, ownerId: true, wecomStatus: true,
        wecomOwnerUserid: true, outsidePortal: true, wecomGoneAt: true, wecomGoneReason: true, reviewDueAt: true, lastReviewedAt: true, createdAt: true,
      },
    });
    const people = await peopleById(db.prisma, groups.flatMap((g) => (g.ownerId ? [g.ownerId] : [])));
    const departments = await departmentsById(db.prisma, groups.map((g) => g.departmentId));
    const expected = groups.map((g) => {
      const owner = g.ownerId ? (people.get(g.ownerId) ?? null) : null;
      return { ...g, owner, department: departments.get(g.departmentId) ?? null, ownerless: isOwnerless(g, owner) };
    });
    expect(view.rows).toEqual(expected);
    expect(view.rows.some((r) => r.ownerless) && view.rows.some((r) => r.owner === null) && view.rows.some((r) => r.wecomGoneAt instanceof Date)).toBe(true);
    expect(view.departments).toEqual(await departmentOptions(db.prisma));
  });
});
