import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupAttentionFrom } from "@/lib/groups/attention";
import { listGroups } from "@/lib/groups/queries";
import { groupListSchema } from "@/lib/groups/schemas";
import { UNREGISTERED_NOTICE_KIND } from "@/lib/groups/tasks";
import { COMMIT_BATCH, FOUND_PURPOSE, groupsStep } from "@/lib/wecom/sync/groups";
import { directoryStep } from "@/lib/wecom/sync/directory";
import { governanceStep } from "@/lib/wecom/sync/governance";
import { runStepForTest, runSync, startSync } from "@/lib/wecom/sync/runner";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { makePortalGroup, seedWeComDirectory, wecomGroupsSnapshot, type WeComDirectory } from "./groups-helpers";
import { contactsClient, customersClient, injectFaults, simAdmin, usePiiKey } from "./helpers";

// The customer-groups step against the simulator and PostgreSQL: WeCom's groups into the
// work-group registry, the ones nobody requested here flagged "created outside the portal" with
// one task per owner, a portal-approved group matched by its chat id, ownerless groups, a second
// run that changes nothing, a run resumed after a failure that ends as an uninterrupted one.

/** 1,300 groups: two list pages (1,000 + 300) of several commits each. */
const SIZE = { departments: 4, members: 60, contacts: 60, groups: 1_300 };
/** The directory knows members u000000..u000049; u000050..u000059 own groups it cannot link. */
const KNOWN = 50;
const PORTAL_CHAT = "wrsim0000003";

let sim: WeComSim;
beforeAll(async () => {
  usePiiKey();
  sim = await startWeComSim({ size: SIZE });
});
afterAll(() => sim?.stop());

async function setup() {
  const db = await createTestDb();
  const dir = await seedWeComDirectory(db.prisma, sim, KNOWN);
  // The portal group's owner here is someone else than WeCom's owner: WeCom's owner wins.
  const portalOwner = dir.byUserid.get("u000001")!;
  const portal = await makePortalGroup(db.prisma, { chatId: PORTAL_CHAT, ownerId: portalOwner.id, departmentId: portalOwner.departmentId, classification: "CONFIDENTIAL" });
  return { db, dir, portal };
}

/** Runs the step; the outcome carries the run's error when it did not succeed (for the message). */
async function sync(db: TestDb, runId?: string) {
  const r = await runStepForTest(db.prisma, groupsStep, { contacts: null, customers: customersClient(db.prisma, sim), runId });
  if (r.outcome === "SUCCEEDED") return r;
  const run = await db.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: r.runId }, select: { errorCode: true, errorParams: true } });
  return { ...r, outcome: `${r.outcome} ${run.errorCode} ${JSON.stringify(run.errorParams)}` };
}
const stepOf = (db: TestDb, runId: string) => db.prisma.weComSyncStep.findUniqueOrThrow({ where: { runId_step: { runId, step: "groups" } } });

describe("the first sync", () => {
  let db: TestDb;
  let dir: WeComDirectory;
  let portalId: string;
  let runId: string;
  beforeAll(async () => {
    await simAdmin(sim, "reset");
    ({ db, dir, portal: { id: portalId } } = await setup());
    const r = await sync(db);
    expect(r.outcome).toBe("SUCCEEDED");
    runId = r.runId;
  }, 120_000);
  afterAll(() => db?.close());

  it("puts every customer group in the registry with WeCom's facts; external members only counted", async () => {
    const groups = await db.prisma.workGroup.findMany({ where: { platform: "WECOM" } });
    expect(groups).toHaveLength(SIZE.groups);
    const g = await db.prisma.workGroup.findFirstOrThrow({ where: { externalId: "wrsim0000010" } });
    const chat = sim.company.group(10);
    const internal = chat.member_list.filter((m) => m.type === 1).map((m) => m.userid).sort();
    expect(g).toMatchObject({
      wecomName: chat.name,
      wecomOwnerUserid: chat.owner,
      internalMemberUserids: internal,
      internalMemberCount: internal.length,
      externalMemberCount: chat.member_list.filter((m) => m.type === 2).length,
      wecomStatus: sim.company.groupStatus(10),
      wecomGoneAt: null,
    });
    expect(g.wecomLastSeenAt).not.toBeNull();
    // No external userid is stored anywhere on the group.
    const external = chat.member_list.find((m) => m.type === 2);
    if (external) expect(JSON.stringify(g)).not.toContain(external.userid);
    // Administrators: WeCom's admin list as employees, without the owner.
    const admins = await db.prisma.workGroupAdministrator.findMany({ where: { groupId: g.id } });
    const expected = chat.admin_list.map((a) => dir.byUserid.get(a.userid)?.id).filter((id): id is string => !!id && id !== g.ownerId);
    expect(admins.map((a) => a.employeeId).sort()).toEqual(expected.sort());
  });

  it("flags the groups nobody requested here as created outside the portal, with the documented placeholders", async () => {
    const outside = await db.prisma.workGroup.findMany({ where: { outsidePortal: true } });
    expect(outside).toHaveLength(SIZE.groups - 1);
    const g = outside.find((x) => x.externalId === "wrsim0000010")!;
    const owner = dir.byUserid.get(sim.company.group(10).owner);
    expect(g).toMatchObject({ name: sim.company.group(10).name, purpose: FOUND_PURPOSE, kind: "EXTERNAL", classification: "INTERNAL", status: "ACTIVE", requesterId: null, outsidePortal: true });
    expect(g.foundInWecomAt).not.toBeNull();
    if (owner) expect(g).toMatchObject({ ownerId: owner.id, departmentId: owner.departmentId });
    // An owner the directory does not know: unlinked, WeCom's userid kept, the company's root department.
    const unlinked = outside.filter((x) => x.ownerId === null);
    expect(unlinked.length).toBeGreaterThan(0);
    for (const u of unlinked) {
      expect(Number(u.wecomOwnerUserid!.slice(1))).toBeGreaterThanOrEqual(KNOWN);
      expect(u.departmentId).toBe(dir.root.id);
    }
    // The run warns once with how many groups name an owner nobody here carries (the portal
    // group's too, if WeCom's owner of it is unknown: it keeps its owner from the request).
    const unknownOwners = await db.prisma.workGroup.count({ where: { wecomOwnerUserid: { in: Array.from({ length: SIZE.members - KNOWN }, (_, i) => sim.company.userid(KNOWN + i)) } } });
    expect(unknownOwners).toBeGreaterThanOrEqual(unlinked.length);
    const run = await db.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.warnings).toEqual([expect.objectContaining({ step: "groups", code: "wecom.sync.warnings.groups.ownerUnknown", params: { count: unknownOwners } })]);
  });

  it("gives each owner ONE task for all their unregistered groups", async () => {
    const perOwner = await db.prisma.workGroup.groupBy({ by: ["ownerId"], where: { outsidePortal: true, ownerId: { not: null } }, _count: true });
    const notes = await db.prisma.notification.findMany({ where: { kind: UNREGISTERED_NOTICE_KIND } });
    expect(notes).toHaveLength(perOwner.length);
    expect(perOwner.some((o) => o._count > 1)).toBe(true);
    for (const o of perOwner) {
      const note = notes.find((n) => n.recipientId === o.ownerId)!;
      expect(note).toMatchObject({ messageKey: "groups.notices.unregistered", params: { count: o._count }, href: "/groups?outside=1&mine=owner", readAt: null });
    }
    // The owner's link shows exactly those groups (not the ones they only administer).
    for (const owner of perOwner.slice(0, 5)) {
      const actor = await actorFor(db.prisma, owner.ownerId!);
      const list = await listGroups(actor, db.prisma, groupListSchema.parse(Object.fromEntries(new URL("/groups?outside=1&mine=owner", "http://x").searchParams)));
      expect(list.total).toBe(owner._count);
    }
  });

  it("puts the unregistered groups on the home page: the owner's own, ADMIN's all, each linking to its list", async () => {
    const [first] = await db.prisma.workGroup.groupBy({ by: ["ownerId"], where: { outsidePortal: true, ownerId: { not: null } }, _count: true, orderBy: { ownerId: "asc" } });
    const owner = await actorFor(db.prisma, first.ownerId!);
    const mine = (await groupAttentionFrom(owner, db.prisma)).find((i) => i.key === "groups.unregistered")!;
    expect(mine).toMatchObject({ labelKey: "groups.attention.unregistered", params: { count: first._count }, href: "/groups?outside=1&mine=owner" });
    const admin = await actorFor(db.prisma, dir.admin.id);
    const all = (await groupAttentionFrom(admin, db.prisma)).find((i) => i.key === "groups.unregistered")!;
    expect(all).toMatchObject({ params: { count: SIZE.groups - 1 }, href: "/groups?outside=1" });
    expect((await listGroups(admin, db.prisma, groupListSchema.parse({ outside: "1" }))).total).toBe(SIZE.groups - 1);
  });

  it("matches the portal-approved group by its chat id: not flagged, WeCom's owner and facts taken", async () => {
    const g = await db.prisma.workGroup.findUniqueOrThrow({ where: { id: portalId } });
    const wecomOwner = sim.company.group(3).owner;
    expect(g).toMatchObject({ outsidePortal: false, foundInWecomAt: null, purpose: "经审批的客户服务群", classification: "CONFIDENTIAL", wecomOwnerUserid: wecomOwner });
    if (dir.byUserid.has(wecomOwner)) expect(g.ownerId).toBe(dir.byUserid.get(wecomOwner)!.id);
    expect(await db.prisma.workGroup.count({ where: { externalId: PORTAL_CHAT } })).toBe(1);
  });

  it("shows the groups whose owner left in WeCom as ownerless", async () => {
    const awaiting = await db.prisma.workGroup.findMany({ where: { wecomStatus: 1 } });
    const expected = Array.from({ length: SIZE.groups }, (_, g) => g).filter((g) => sim.company.groupStatus(g) === 1);
    expect(awaiting.map((g) => g.externalId).sort()).toEqual(expected.map((g) => sim.company.chatId(g)).sort());
    expect(expected.length).toBeGreaterThan(0);
    const admin = await actorFor(db.prisma, dir.admin.id);
    const list = await listGroups(admin, db.prisma, groupListSchema.parse({ ownerless: "1", pageSize: "100" }));
    expect(list.total).toBe(expected.length);
    expect(list.rows.every((r) => r.ownerless)).toBe(true);
  });

  it("records the run's counts for its one audit event", async () => {
    const step = await stepOf(db, runId);
    expect(step).toMatchObject({ status: "DONE", rows: SIZE.groups, checkpoint: { phase: "done" } });
    expect(step.counts).toMatchObject({ "groups.created": SIZE.groups - 1, "groups.updated": 1, "groups.outside": SIZE.groups - 1 });
    expect(step.commits).toBeGreaterThanOrEqual(Math.ceil(1000 / COMMIT_BATCH) + Math.ceil(300 / COMMIT_BATCH) + 1);
    expect(await db.prisma.auditEvent.count({ where: { entityType: "WeComSyncRun", entityId: runId, action: "wecom.sync.run" } })).toBe(1);
    expect(await db.prisma.auditEvent.count({ where: { entityType: "WorkGroup" } })).toBe(0);
  });

  it("a second sync changes nothing: same records, no new task, nothing counted as created or updated", async () => {
    const before = await wecomGroupsSnapshot(db.prisma);
    const notes = await db.prisma.notification.findMany({ orderBy: { id: "asc" } });
    const r = await sync(db);
    expect(r.outcome).toBe("SUCCEEDED");
    expect(await wecomGroupsSnapshot(db.prisma)).toEqual(before);
    expect(await db.prisma.notification.findMany({ orderBy: { id: "asc" } })).toEqual(notes);
    const step = await stepOf(db, r.runId);
    expect(step.counts).toMatchObject({ "groups.outside": SIZE.groups - 1 });
    expect(step.counts).not.toHaveProperty("groups.created");
    expect(step.counts).not.toHaveProperty("groups.updated");
  }, 120_000);

  it("marks a group WeCom no longer lists (never deletes it); one that comes back is live again", async () => {
    await simAdmin(sim, "groups", { chatId: "wrsim0000020", dismiss: true });
    const r = await sync(db);
    expect(r.outcome).toBe("SUCCEEDED");
    const g = await db.prisma.workGroup.findFirstOrThrow({ where: { externalId: "wrsim0000020" } });
    expect(g).toMatchObject({ wecomGoneReason: "NOT_LISTED", status: "ACTIVE" });
    expect(g.wecomGoneAt).not.toBeNull();
    expect(g.wecomLastSeenAt!.getTime()).toBeLessThan((await db.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: r.runId } })).startedAt.getTime());
    expect((await stepOf(db, r.runId)).counts).toMatchObject({ "groups.gone": 1 });
    // Its owner's task no longer counts it.
    if (g.ownerId) {
      const left = await db.prisma.workGroup.count({ where: { ownerId: g.ownerId, outsidePortal: true, wecomGoneAt: null } });
      const note = await db.prisma.notification.findUniqueOrThrow({ where: { dedupeKey: `${UNREGISTERED_NOTICE_KIND}:${g.ownerId}` } });
      expect(note.params).toEqual({ count: left });
    }
    await simAdmin(sim, "reset");
    expect((await sync(db)).outcome).toBe("SUCCEEDED");
    expect(await db.prisma.workGroup.findFirstOrThrow({ where: { externalId: "wrsim0000020" } })).toMatchObject({ wecomGoneAt: null, wecomGoneReason: null });
  }, 120_000);
});

describe("resuming after a failure", () => {
  it("a run that fails part-way through the groupchat/get calls resumes at its checkpoint and ends as an uninterrupted run does", async () => {
    await simAdmin(sim, "reset");
    const whole = await setup();
    expect((await sync(whole.db)).outcome).toBe("SUCCEEDED");
    const expected = await wecomGroupsSnapshot(whole.db.prisma);
    const expectedNotes = await whole.db.prisma.notification.count();
    await whole.db.close();

    const broken = await setup();
    try {
      // After 600 groupchat/get calls WeCom answers 502 (the client's retries exhausted): the
      // run stops with a transient failure, its lease released for the queue's retry.
      await injectFaults(sim, { path: "/externalcontact/groupchat/get", kind: "http", status: 502, after: 600, times: 10_000 });
      const first = await sync(broken.db);
      expect(first.outcome).toMatch(/^RETRY /);
      const cp = (await stepOf(broken.db, first.runId)).checkpoint as { phase: string; cursor: string; index: number };
      // Part of the first page committed, the rest not: the checkpoint is inside the page.
      expect(cp).toMatchObject({ phase: "list", cursor: "" });
      expect(cp.index).toBeGreaterThan(0);
      expect(cp.index).toBeLessThan(1000);
      expect(cp.index % COMMIT_BATCH).toBe(0);
      expect(await broken.db.prisma.workGroup.count({ where: { platform: "WECOM" } })).toBe(cp.index);

      await simAdmin(sim, "faults", { clear: true });
      const second = await sync(broken.db, first.runId);
      expect(second.outcome).toBe("SUCCEEDED");
      expect(await wecomGroupsSnapshot(broken.db.prisma)).toEqual(expected);
      expect(await broken.db.prisma.notification.count()).toBe(expectedNotes);
      const step = await stepOf(broken.db, first.runId);
      // Every group counted once over the two attempts.
      expect(step.rows).toBe(SIZE.groups);
      expect(step.counts).toMatchObject({ "groups.created": SIZE.groups - 1 });
    } finally {
      await simAdmin(sim, "faults", { clear: true });
      await broken.db.close();
    }
  }, 240_000);
});

describe("after the real directory step", () => {
  it("directory → groups → governance on an empty portal: every owner linked to the employee the directory made, leavers found", async () => {
    await simAdmin(sim, "reset");
    const db = await createTestDb();
    try {
      const { runId } = await startSync(db.prisma, { trigger: "MANUAL", startedById: null });
      const outcome = await runSync(db.prisma, runId, {
        phases: [[directoryStep], [groupsStep], [governanceStep]],
        clients: { contacts: contactsClient(db.prisma, sim), customers: customersClient(db.prisma, sim) },
        settings: { leaverAction: "HR_TASK" },
        leaseMs: 60_000,
        log: () => undefined,
      });
      expect(outcome).toBe("SUCCEEDED");
      const groups = await db.prisma.workGroup.findMany({ where: { platform: "WECOM" }, select: { ownerId: true, wecomOwnerUserid: true, departmentId: true } });
      expect(groups).toHaveLength(SIZE.groups);
      const people = new Map((await db.prisma.employee.findMany({ select: { id: true, wecomUserid: true, departmentId: true } })).map((e) => [e.wecomUserid, e]));
      for (const g of groups) {
        const owner = people.get(g.wecomOwnerUserid)!;
        expect(g).toMatchObject({ ownerId: owner.id, departmentId: owner.departmentId });
      }
      // WeCom's leavers (status 5) inside groups whose rules do not let them stay: violations open.
      const departed = await db.prisma.workGroupViolation.count({ where: { kind: "DEPARTED_MEMBER", resolvedAt: null } });
      const expected = Array.from({ length: SIZE.groups }, (_, i) => sim.company.group(i)).filter((c) =>
        c.member_list.some((m) => m.type === 1 && m.userid !== c.owner && sim.company.member(sim.company.memberIndex(m.userid)!).status === 5),
      ).length;
      expect(expected).toBeGreaterThan(0);
      expect(departed).toBe(expected);
      const run = await db.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId } });
      expect(run.warnings).toEqual([]);
    } finally {
      await db.close();
    }
  }, 240_000);
});
