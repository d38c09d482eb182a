import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runIncidentDeadlines } from "@/lib/jobs/handlers";
import { deliverOne } from "@/lib/notifications/deliver";
import { assignItem, openCase } from "@/lib/offboarding/commands";
import { assignItemSchema, openCaseSchema } from "@/lib/offboarding/schemas";
import { makeEmployee } from "@/prisma/factories";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { expectOk, run } from "../helpers/run-command";
import { seedOffboardingOrg, type Org } from "../offboarding/helpers";
import { decodeMail, startTestSmtp, type TestSmtp } from "./helpers";

// Two events that now reach people beyond the home page (docs/notifications.md "Calling it"):
// one handover item given to a new successor, and a serious privacy incident nearing (or past)
// its 4-hour reporting deadline. Delivered over a real SMTP server, read back.

let db: TestDb;
let smtp: TestSmtp;
let org: Org;
const PORTAL = "https://portal.example.test";
const cst = (local: string) => new Date(`${local}+08:00`);
const TUESDAY_10 = cst("2026-12-08T10:00:00");

beforeAll(async () => {
  db = await createTestDb();
  smtp = await startTestSmtp();
  process.env.SMTP_URL = smtp.url;
  process.env.SMTP_FROM = "WeGovern <noreply@portal.example.test>";
  org = await seedOffboardingOrg(db.prisma, 3);
  await db.prisma.signInSettings.create({ data: { id: "default", portalUrl: PORTAL } });
  for (const p of [org.people.s1, org.people.s2]) await db.prisma.notificationPreference.create({ data: { employeeId: p.id, channels: { offboarding: ["EMAIL"] } } });
}, 120_000);
afterAll(async () => {
  delete process.env.SMTP_URL;
  await smtp?.stop();
  await db?.close();
});
beforeEach(() => {
  smtp.received.length = 0;
});

async function deliverAll(kind: string, now: Date): Promise<number> {
  const rows = await db.prisma.notificationDelivery.findMany({ where: { kind, status: "PENDING", notBefore: { lte: now } } });
  for (const r of rows) await deliverOne(db.prisma, r.id, now);
  return rows.length;
}

describe("a single handover item reassigned", () => {
  it("tells the new successor once, on their channel, with a link to their handover list", async () => {
    const { id: caseId } = expectOk(await run(db.prisma, org.actors.hr, openCaseSchema, { employeeId: org.people.leaver.id, lastWorkingDay: "2026-12-11" }, (ctx) => openCase(ctx, { now: TUESDAY_10 })));
    const item = await db.prisma.handoverItem.findFirstOrThrow({ where: { caseId, kind: "CONTACT" }, orderBy: { label: "asc" } });
    expectOk(await run(db.prisma, org.actors.hr, assignItemSchema, { itemId: item.id, version: item.version, successorId: org.people.s1.id }, (ctx) => assignItem(ctx, { now: TUESDAY_10 })));
    const [note] = await db.prisma.notification.findMany({ where: { recipientId: org.people.s1.id, kind: "offboarding.assigned" } });
    expect(note).toMatchObject({ href: "/offboarding/mine", params: { count: 1 } });
    expect(await deliverAll("offboarding.assigned", TUESDAY_10)).toBe(1);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].to).toEqual([org.people.s1.email]);
    expect(decodeMail(smtp.received[0].raw).body).toContain(`${PORTAL}/offboarding/mine`);

    // Given to s2 instead: s2 hears of it; s1 nothing more.
    const again = await db.prisma.handoverItem.findUniqueOrThrow({ where: { id: item.id } });
    expectOk(await run(db.prisma, org.actors.hr, assignItemSchema, { itemId: item.id, version: again.version, successorId: org.people.s2.id }, (ctx) => assignItem(ctx, { now: TUESDAY_10 })));
    expect(await deliverAll("offboarding.assigned", TUESDAY_10)).toBe(1);
    expect(smtp.received.map((m) => m.to)).toEqual([[org.people.s1.email], [org.people.s2.email]]);
    expect(await db.prisma.notification.count({ where: { recipientId: org.people.s1.id, kind: "offboarding.assigned" } })).toBe(1);
  });
});

describe("a privacy incident nearing its reporting deadline", () => {
  it("tells the privacy officers and the reporter when found, an hour before and after the 4-hour deadline — urgent, at night too — and stops once reported", async () => {
    const officer = await makeEmployee(db.prisma, { departmentId: org.dept.id, name: "隐私官", roles: ["PRIVACY_OFFICER"] });
    await db.prisma.notificationPreference.create({ data: { employeeId: officer.id, channels: { privacy: ["EMAIL"] } } });
    const detected = cst("2026-12-08T20:00:00"); // after hours: urgent, not held for the morning
    const incident = await db.prisma.privacyIncident.create({
      data: { title: "客户名单外泄", description: "x", detectedAt: detected, severity: "SERIOUS", dataCategories: "CONTACT", affectedSubjects: 120, reportedById: org.people.hr.id },
    });
    await db.prisma.privacyIncident.create({ data: { title: "一般事件", description: "x", detectedAt: detected, severity: "GENERAL", dataCategories: "CONTACT", affectedSubjects: 1, reportedById: org.people.hr.id } });

    const at = (min: number) => new Date(detected.getTime() + min * 60_000);
    expect(await runIncidentDeadlines(db.prisma, at(5))).toEqual({ sent: 2 }); // officer + reporter
    expect(await runIncidentDeadlines(db.prisma, at(10))).toEqual({ sent: 0 }); // the next run: nothing new
    expect(await runIncidentDeadlines(db.prisma, at(185))).toEqual({ sent: 2 }); // less than an hour left
    expect(await runIncidentDeadlines(db.prisma, at(245))).toEqual({ sent: 2 }); // past the deadline

    const rows = await db.prisma.notificationDelivery.findMany({ where: { recipientId: officer.id, kind: "incident.deadline" }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => [r.channel, r.urgent, r.messageKey])).toEqual([
      ["EMAIL", true, "privacy.notify.incidentOpen"],
      ["EMAIL", true, "privacy.notify.incidentDue"],
      ["EMAIL", true, "privacy.notify.incidentOverdue"],
    ]);
    expect(rows[0].notBefore).toEqual(at(5));
    await deliverOne(db.prisma, rows[0].id, at(5));
    const mail = decodeMail(smtp.received[0].raw);
    expect(mail.subject).toBe("发生一起较大及以上个人信息安全事件，须在发现后 4 小时内向监管部门报告。");
    expect(mail.body).toContain("2026-12-09 00:00（北京时间）");
    expect(mail.body).toContain(`${PORTAL}/privacy/incidents/${incident.id}`);

    await db.prisma.privacyIncident.update({ where: { id: incident.id }, data: { regulatorNotifiedAt: at(250) } });
    expect(await runIncidentDeadlines(db.prisma, at(300))).toEqual({ sent: 0 });
  });
});
