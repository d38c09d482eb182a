import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupAttentionFrom } from "@/lib/groups/attention";
import { getGroup, listGroups, ownerlessGroupIds, UNREGISTERED_WHERE, VIOLATING_WHERE } from "@/lib/groups/queries";
import { reviewDueRange } from "@/lib/groups/policy-rules";
import { groupListSchema, LIVE_STATUSES } from "@/lib/groups/schemas";
import { responsibilityScope } from "@/lib/groups/scope";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { approveAll, requestAs, seedGroupsOrganisation, type GroupsOrganisation } from "./helpers";

// Who sees which groups (SPEC §1, §4): an employee their own (owner, administrator, requester), a
// manager their department subtree, ADMIN / AUDITOR / PRIVACY_OFFICER everything; and the registry's
// filters and the attention items within that scope.

let db: TestDb;
let org: GroupsOrganisation;
const ids: Record<string, string> = {};
let actors: Record<"alice" | "bob" | "carol" | "eastManager" | "southManager" | "admin" | "auditor" | "privacy", Actor>;
const DAY = 86_400_000;

const list = (actor: Actor, raw: Record<string, string> = {}) => listGroups(actor, db.prisma, groupListSchema.parse({ pageSize: "100", ...raw }));
const names = async (actor: Actor, raw: Record<string, string> = {}) => (await list(actor, raw)).rows.map((r) => r.id).sort();

beforeAll(async () => {
  db = await createTestDb();
  org = await seedGroupsOrganisation(db.prisma);
  const p = org.people;
  actors = {
    alice: await actorFor(db.prisma, p.alice.id),
    bob: await actorFor(db.prisma, p.bob.id),
    carol: await actorFor(db.prisma, p.carol.id),
    eastManager: await actorFor(db.prisma, p.eastManager.id),
    southManager: await actorFor(db.prisma, p.southManager.id),
    admin: await actorFor(db.prisma, p.admin.id),
    auditor: await actorFor(db.prisma, p.auditor.id),
    privacy: await actorFor(db.prisma, p.privacy.id),
  };
  // alice's group in Shanghai-1 with bob as administrator; carol's in South; an ownerless one in
  // South (its owner left after it was created); one of alice's, overdue for review.
  const a = await requestAs(db.prisma, actors.alice, org, { administratorIds: [p.bob.id], classification: "INTERNAL" });
  ids.aliceSh1 = a.id;
  await approveAll(db.prisma, a.requestId);
  const c = await requestAs(db.prisma, actors.carol, org, { departmentId: org.dept.south.id, ownerId: p.carol.id, administratorIds: [], kind: "INTERNAL", classification: "CONFIDENTIAL" });
  ids.carolSouth = c.id;
  await approveAll(db.prisma, c.requestId);
  const o = await requestAs(db.prisma, actors.carol, org, { departmentId: org.dept.south.id, ownerId: p.carol.id, administratorIds: [], platform: "WECHAT" });
  ids.ownerless = o.id;
  await approveAll(db.prisma, o.requestId);
  await db.prisma.workGroup.update({ where: { id: o.id }, data: { ownerId: p.departed.id } });
  const late = await requestAs(db.prisma, actors.alice, org, { administratorIds: [] });
  ids.overdue = late.id;
  await approveAll(db.prisma, late.requestId);
  await db.prisma.workGroup.update({ where: { id: late.id }, data: { reviewDueAt: new Date(Date.now() - 2 * DAY) } });
  const pending = await requestAs(db.prisma, actors.bob, org, { ownerId: p.bob.id, administratorIds: [] });
  ids.bobPending = pending.id;
});
afterAll(async () => db?.close());

describe("scope in the query", () => {
  it("an employee sees the groups they own, administer or requested, nothing else", async () => {
    expect(await names(actors.alice)).toEqual([ids.aliceSh1, ids.overdue].sort());
    expect(await names(actors.bob)).toEqual([ids.aliceSh1, ids.bobPending].sort());
    expect(await names(actors.carol)).toEqual([ids.carolSouth, ids.ownerless].sort());
    expect(await getGroup(actors.carol, db.prisma, ids.aliceSh1)).toBeNull();
    expect(await getGroup(actors.alice, db.prisma, ids.aliceSh1)).not.toBeNull();
  });

  it("a manager sees their subtree (and their own), not a sibling department's", async () => {
    expect(await names(actors.eastManager)).toEqual([ids.aliceSh1, ids.overdue, ids.bobPending].sort());
    expect(await names(actors.southManager)).toEqual([ids.carolSouth, ids.ownerless].sort());
    expect(await getGroup(actors.eastManager, db.prisma, ids.carolSouth)).toBeNull();
  });

  it("ADMIN, AUDITOR and PRIVACY_OFFICER see every group", async () => {
    const all = Object.values(ids).sort();
    expect(await names(actors.admin)).toEqual(all);
    expect(await names(actors.auditor)).toEqual(all);
    expect(await names(actors.privacy)).toEqual(all);
  });

  it("'mine' narrows anyone to their own groups", async () => {
    expect(await names(actors.admin, { mine: "1" })).toEqual([]);
    expect(await names(actors.eastManager, { mine: "1" })).toEqual([]);
    expect(await names(actors.alice, { mine: "1" })).toEqual([ids.aliceSh1, ids.overdue].sort());
  });
});

describe("registry filters", () => {
  it("filters by status, classification, kind, platform and name", async () => {
    expect(await names(actors.admin, { status: "PENDING_APPROVAL" })).toEqual([ids.bobPending]);
    expect(await names(actors.admin, { classification: "CONFIDENTIAL" })).toEqual([ids.carolSouth]);
    expect(await names(actors.admin, { platform: "WECHAT" })).toEqual([ids.ownerless]);
    expect(await names(actors.admin, { kind: "INTERNAL" })).toEqual([ids.carolSouth]);
    const aliceGroup = await db.prisma.workGroup.findUniqueOrThrow({ where: { id: ids.aliceSh1 } });
    expect(await names(actors.admin, { q: aliceGroup.name.slice(-8) })).toEqual([ids.aliceSh1]);
    // A LIKE wildcard typed into the search is a character, not "anything".
    expect(await names(actors.admin, { q: "%" })).toEqual([]);
  });

  it("filters by department with its sub-departments", async () => {
    expect(await names(actors.admin, { department: org.dept.east.id })).toEqual([ids.aliceSh1, ids.overdue, ids.bobPending].sort());
    expect(await names(actors.admin, { department: org.dept.sales.id })).toEqual(Object.values(ids).sort());
    expect(await names(actors.admin, { department: org.dept.it.id })).toEqual([]);
    // Filtering cannot widen the scope.
    expect(await names(actors.carol, { department: org.dept.east.id })).toEqual([]);
  });

  it("filters by owner (name, e-mail or employee number) and flags ownerless groups", async () => {
    expect(await names(actors.admin, { owner: "刘芳" })).toEqual([ids.carolSouth]);
    expect(await names(actors.admin, { owner: "e-003" })).toEqual([ids.carolSouth]);
    expect(await names(actors.admin, { ownerless: "1" })).toEqual([ids.ownerless]);
    const row = (await list(actors.admin)).rows.find((r) => r.id === ids.ownerless)!;
    expect(row.ownerless).toBe(true);
    expect(row.owner?.name).toBe("吴已离");
  });

  it("filters by review state: overdue, due soon, ok", async () => {
    expect(await names(actors.admin, { review: "overdue" })).toEqual([ids.overdue]);
    await db.prisma.workGroup.update({ where: { id: ids.carolSouth }, data: { reviewDueAt: new Date(Date.now() + 5 * DAY) } });
    expect(await names(actors.admin, { review: "dueSoon" })).toEqual([ids.carolSouth]);
    expect(await names(actors.admin, { review: "ok" })).toEqual([ids.aliceSh1, ids.ownerless].sort());
  });

  it("ignores bad filter values instead of failing, and sorts and pages", async () => {
    expect((await list(actors.admin, { status: "NOPE", classification: "TOP", department: "'; DROP TABLE" })).total).toBe(5);
    const sorted = await list(actors.admin, { sort: "name", dir: "asc" });
    const sortedNames = sorted.rows.map((r) => r.name);
    expect(sortedNames).toEqual([...sortedNames].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const page = await listGroups(actors.admin, db.prisma, groupListSchema.parse({ pageSize: "10", page: "99" }));
    expect(page.page).toBe(1);
    expect(page.rows).toHaveLength(5);
  });

  it("reads the count and the page at once: newest first, a page past the end is the last one, for a manager's scope too", async () => {
    const newestFirst = await db.prisma.workGroup.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    const first = await listGroups(actors.admin, db.prisma, groupListSchema.parse({ pageSize: "10" }));
    expect(first.rows.map((r) => r.id)).toEqual(newestFirst.map((g) => g.id));
    const past = await listGroups(actors.eastManager, db.prisma, groupListSchema.parse({ pageSize: "10", page: "3" }));
    expect(past).toMatchObject({ page: 1, total: 3 });
    expect(past.rows.map((r) => r.id)).toEqual(newestFirst.map((g) => g.id).filter((id) => [ids.aliceSh1, ids.overdue, ids.bobPending].includes(id)));
    expect(past.rows.every((r) => r.department?.name && r.owner?.name)).toBe(true);
  });
});

describe("attention items", () => {
  it("the owner sees their overdue group; the manager of the subtree too; ADMIN sees overdue and ownerless", async () => {
    expect(await groupAttentionFrom(actors.alice, db.prisma)).toEqual([
      { key: "groups.overdueReview", labelKey: "groups.attention.overdue", params: { count: 1 }, href: "/groups?review=overdue" },
    ]);
    expect((await groupAttentionFrom(actors.eastManager, db.prisma)).map((i) => [i.key, i.params?.count])).toEqual([["groups.overdueReview", 1]]);
    expect((await groupAttentionFrom(actors.southManager, db.prisma)).map((i) => [i.key, i.params?.count])).toEqual([["groups.ownerless", 1]]);
    expect((await groupAttentionFrom(actors.admin, db.prisma)).map((i) => [i.key, i.params?.count])).toEqual([
      ["groups.overdueReview", 1],
      ["groups.ownerless", 1],
    ]);
    // The auditor reads everything but answers only for their own groups.
    expect(await groupAttentionFrom(actors.auditor, db.prisma)).toEqual([]);
    expect(await groupAttentionFrom(actors.bob, db.prisma)).toEqual([]);
  });

  it("counts in one statement what the registry's filters count with Prisma, for every kind of person", async () => {
    expect(await countsMatchTheRegistry()).toBeGreaterThan(3);
  });

  it("counts a group its owner left and WeCom reports ownerless once, a group with no owner that WeCom reports, and no group that has ended", async () => {
    const p = org.people;
    // Both reasons at once; WeCom's alone; WeCom's with no owner on record; a departed owner's ended group.
    await db.prisma.workGroup.update({ where: { id: ids.ownerless }, data: { wecomStatus: 1 } });
    await db.prisma.workGroup.update({ where: { id: ids.carolSouth }, data: { wecomStatus: 2 } });
    await db.prisma.workGroup.update({ where: { id: ids.bobPending }, data: { ownerId: null, wecomStatus: 1 } });
    await db.prisma.workGroup.update({ where: { id: ids.overdue }, data: { ownerId: p.departed.id, status: "DISSOLVED" } });
    expect(await countsMatchTheRegistry()).toBeGreaterThan(3);
    const admin = Object.fromEntries((await groupAttentionFrom(actors.admin, db.prisma)).map((i) => [i.key, i.params?.count]));
    expect(admin["groups.ownerless"]).toBe(3);
  });
});

/** The home page's group counts for every actor against the registry's own Prisma conditions; returns how many groups they counted. */
async function countsMatchTheRegistry(): Promise<number> {
  const now = new Date();
  let seen = 0;
  for (const [name, actor] of Object.entries(actors)) {
    const { where, mineOnly } = await responsibilityScope(actor, db.prisma);
    const ownOnly = mineOnly || (!actor.permissions.has("groups.manage") && !actor.permissions.has("groups.read:department"));
    const wecomWhere = ownOnly ? { ownerId: actor.id } : where;
    const ownerless = await ownerlessGroupIds(db.prisma);
    const expected = {
      "groups.overdueReview": await db.prisma.workGroup.count({ where: { AND: [where, { status: "ACTIVE", reviewDueAt: reviewDueRange("overdue", now) }] } }),
      "groups.ownerless": await db.prisma.workGroup.count({ where: { AND: [where, { id: { in: ownerless } }, { status: { in: [...LIVE_STATUSES] } }] } }),
      "groups.unregistered": await db.prisma.workGroup.count({ where: { AND: [wecomWhere, UNREGISTERED_WHERE] } }),
      "groups.violations": await db.prisma.workGroup.count({ where: { AND: [wecomWhere, VIOLATING_WHERE] } }),
    };
    const got = Object.fromEntries((await groupAttentionFrom(actor, db.prisma, now)).map((i) => [i.key, i.params?.count]));
    expect(got, name).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)));
    seen += Object.values(expected).reduce((a, b) => a + b, 0);
  }
  return seen;
}
