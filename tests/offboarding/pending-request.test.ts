import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkAssign, openCase, startItem, startTransfers } from "@/lib/offboarding/commands";
import { bulkAssignSchema, itemRefSchema, openCaseSchema, startTransfersSchema } from "@/lib/offboarding/schemas";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { expectOk, run } from "../helpers/run-command";
import { seedOffboardingOrg, type Org } from "./helpers";

// Issue 13 item 5 in the handover: a leaver's work group under a pending request (here its
// dissolution) keeps its owner until the request ends, as the groups' own transfer does. A bulk
// start leaves that group's item waiting and says how many wait; starting the item alone is
// refused naming the request; once the request has ended the same start hands the group over.

let db: TestDb;
let org: Org;
let caseId: string;
const T0 = new Date("2026-11-25T02:00:00Z");

beforeAll(async () => {
  db = await createTestDb();
  org = await seedOffboardingOrg(db.prisma, 2);
  caseId = expectOk(await run(db.prisma, org.actors.hr, openCaseSchema, { employeeId: org.people.leaver.id, lastWorkingDay: "2026-11-27" }, (ctx) => openCase(ctx, { now: T0 }))).id;
  expectOk(await run(db.prisma, org.actors.hr, bulkAssignSchema, { caseId, successorId: org.people.s1.id }, (ctx) => bulkAssign(ctx, { now: T0 })));
});
afterAll(async () => db?.close());

async function pendingDissolution(groupId: string) {
  const chain = await db.prisma.approvalChain.findFirstOrThrow();
  const calendar = await db.prisma.businessCalendar.findFirstOrThrow();
  return db.prisma.approvalRequest.create({
    data: {
      type: "GROUP_DISSOLVE",
      subjectType: "WorkGroup",
      subjectId: groupId,
      title: "解散：交接测试群",
      requesterId: org.people.leaver.id,
      facts: {},
      chainId: chain.id,
      chainVersion: chain.version,
      calendarId: calendar.id,
      overdueWorkingDays: 2,
    },
  });
}

describe("a leaver's group under a pending request", () => {
  it("waits in a bulk start, is refused alone naming the request, and is handed over once the request ends", async () => {
    const request = await pendingDissolution(org.group.id);
    const groupItem = () => db.prisma.handoverItem.findFirstOrThrow({ where: { caseId, kind: "GROUP" } });

    const bulk = expectOk(await run(db.prisma, org.actors.hr, startTransfersSchema, { caseId }, (ctx) => startTransfers(ctx, { now: T0 })));
    expect(bulk).toMatchObject({ started: 2, groupsDone: 0, groupsWaiting: 1 });
    expect((await db.prisma.workGroup.findUniqueOrThrow({ where: { id: org.group.id } })).ownerId).toBe(org.people.leaver.id);
    const waiting = await groupItem();
    expect(waiting.status).not.toBe("DONE");

    const alone = await run(db.prisma, org.actors.hr, itemRefSchema, { itemId: waiting.id, version: waiting.version }, (ctx) => startItem(ctx, { now: T0 }));
    expect(alone).toMatchObject({ ok: false, code: "CONFLICT", messageKey: "approvals.errors.pendingRequest.GROUP_DISSOLVE", params: { title: request.title } });
    expect((await db.prisma.workGroup.findUniqueOrThrow({ where: { id: org.group.id } })).ownerId).toBe(org.people.leaver.id);

    await db.prisma.approvalRequest.update({ where: { id: request.id }, data: { status: "REJECTED", closedAt: T0 } });
    const item = await groupItem();
    expectOk(await run(db.prisma, org.actors.hr, itemRefSchema, { itemId: item.id, version: item.version }, (ctx) => startItem(ctx, { now: T0 })));
    expect((await db.prisma.workGroup.findUniqueOrThrow({ where: { id: org.group.id } })).ownerId).toBe(org.people.s1.id);
    expect((await groupItem()).status).toBe("DONE");
  });
});
