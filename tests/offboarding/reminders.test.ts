import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRemindSuccessors } from "@/lib/jobs/handlers";
import { notificationAttentionFrom } from "@/lib/notifications/attention";
import { bulkAssign, openCase } from "@/lib/offboarding/commands";
import { myHandoverItems } from "@/lib/offboarding/mine";
import { bulkAssignSchema, openCaseSchema } from "@/lib/offboarding/schemas";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedOffboardingOrg, type Org } from "./helpers";

// Successors are reminded by a daily job: one notification a successor a day, on their home page,
// linking to the items handed to them (which only they see).

const T0 = new Date("2026-11-25T02:00:00Z"); // 10:00 in China
let db: TestDb;
let org: Org;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedOffboardingOrg(db.prisma, 5);
  const opened = expectOk(await run(db.prisma, org.actors.hr, openCaseSchema, { employeeId: org.people.leaver.id, lastWorkingDay: "2026-11-30" }, (ctx) => openCase(ctx, { now: T0 })));
  expectOk(await run(db.prisma, org.actors.hr, bulkAssignSchema, { caseId: opened.id, successorId: org.people.s1.id }, (ctx) => bulkAssign(ctx, { now: T0 })));
});
afterAll(async () => db?.close());

describe("reminders to successors", () => {
  it("send one notification a successor a day, however often the job runs, and audit the sending", async () => {
    const lines: string[] = [];
    expect(await runRemindSuccessors(db.prisma, (l) => lines.push(l), T0)).toEqual({ successors: 1, sent: 1 });
    expect(await runRemindSuccessors(db.prisma, (l) => lines.push(l), new Date(T0.getTime() + 3_600_000))).toEqual({ successors: 1, sent: 0 });
    const notes = await db.prisma.notification.findMany({ where: { recipientId: org.people.s1.id, kind: "offboarding.reminder" } });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: "offboarding.reminder", messageKey: "offboarding.attention.reminder", href: "/offboarding/mine", params: { count: 7, day: "2026-11-25" } });
    expect(await db.prisma.auditEvent.count({ where: { action: "notification.send" } })).toBe(1);
    // The next day (China time) reminds again.
    expect(await runRemindSuccessors(db.prisma, () => {}, new Date("2026-11-26T01:00:00Z"))).toEqual({ successors: 1, sent: 1 });
  });

  it("show on the successor's home page only", async () => {
    const mine = await notificationAttentionFrom({ id: org.people.s1.id }, db.prisma);
    expect(mine.map((i) => i.labelKey)).toEqual(["offboarding.attention.reminder", "offboarding.attention.reminder"]);
    expect(mine.every((i) => i.href === "/offboarding/mine")).toBe(true);
    expect(await notificationAttentionFrom({ id: org.people.s2.id }, db.prisma)).toEqual([]);
  });

  it("link to the items handed to that successor, and to no one else's", async () => {
    const s1 = await myHandoverItems({ id: org.people.s1.id }, db.prisma);
    expect(s1.total).toBe(7); // 1 account, 5 customers, 1 work group
    expect(new Set(s1.items.map((i) => i.leaverName))).toEqual(new Set(["离职者"]));
    expect((await myHandoverItems({ id: org.people.s2.id }, db.prisma)).total).toBe(0);
  });
});
