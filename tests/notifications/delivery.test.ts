import { describe, expect, it } from "vitest";
import { encrypt } from "@/lib/pii";
import { removeRobot, savePreferences, saveRobot } from "@/lib/notifications/commands";
import { deliverOne, dueDeliveries, LEASE_MS, LIMITS, MAX_ATTEMPTS } from "@/lib/notifications/deliver";
import { preferencesSchema, robotRemoveSchema, robotSchema } from "@/lib/notifications/schemas";
import { notifyTeam } from "@/lib/notifications/service";
import { sendNotifications, type NewNotification } from "@/lib/notifications/store";
import type { WeComSim } from "@/scripts/wecom-sim/server";
import type { SentAppMessage, SentRobotMessage } from "@/scripts/wecom-sim/messages";
import type { Organisation } from "../directory/helpers";
import { actorFor } from "../helpers/actors";
import { expectOk, run } from "../helpers/run-command";
import { cst, MONDAY_10, PORTAL, withNotificationsEnv } from "../helpers/notifications-env";
import type { TestDb } from "../helpers/test-db";
import { simAdmin } from "../wecom/helpers";
import { decodeMail, type TestSmtp } from "./helpers";

// Notification delivery end to end (lib/notifications, docs/notifications.md): the service plans
// a delivery per channel in the caller's transaction; deliverOne sends it to the WeCom simulator
// (which records what it was sent, with WeCom's limits and errcodes) or to a real SMTP server
// started here, and reconciles the row. Times are China time on the default 2026 calendar.

let db: TestDb;
let sim: WeComSim;
let smtp: TestSmtp;
let org: Organisation;

withNotificationsEnv(
  (env) => ({ db, sim, smtp, org } = env),
  async ({ db, org }) => {
    const link = [["eastStaff", "u000001"], ["sh1Staff", "u000002"], ["southStaff", "ghost-member"], ["manager", "u000003"], ["plain", "u000004"]] as const;
    for (const [who, userid] of link) await db.prisma.employee.update({ where: { id: org.people[who].id }, data: { wecomUserid: userid } });
  },
);

async function sent(): Promise<{ app: SentAppMessage[]; robots: SentRobotMessage[] }> {
  return (await (await fetch(`${sim.url}/__sim/messages`)).json()) as { app: SentAppMessage[]; robots: SentRobotMessage[] };
}
const notify = (notes: NewNotification[], now: Date) => db.prisma.$transaction((tx) => sendNotifications(tx, notes, now));
const deliveriesOf = (prefix: string) => db.prisma.notificationDelivery.findMany({ where: { dedupeKey: { startsWith: prefix } }, orderBy: { createdAt: "asc" } });

describe("WeCom app message", () => {
  it("reaches the person once as a text card linking to the record, with the deadline in China time — a retried job and a re-run event send nothing more", async () => {
    const note: NewNotification = { recipientId: org.people.eastStaff.id, kind: "approvals.waiting", messageKey: "notifications.categories.approvals", href: "/approvals/abc", dedupeKey: "t1:approval:abc", deadline: new Date("2026-12-08T10:00:00Z") };
    expect(await notify([note], MONDAY_10)).toBe(1);
    const [row] = await deliveriesOf("t1:");
    expect(row).toMatchObject({ channel: "WECOM", status: "PENDING", target: "u000001", notBefore: MONDAY_10 });
    expect(await db.prisma.notification.count({ where: { dedupeKey: "t1:approval:abc" } })).toBe(1); // the home page, as before

    expect(await deliverOne(db.prisma, row.id, MONDAY_10)).toMatchObject({ state: "sent" });
    // The job retried (pg-boss after a crash, or a duplicate): the row is SENT, nothing is sent.
    expect(await deliverOne(db.prisma, row.id, MONDAY_10)).toEqual({ state: "done" });
    // The capability runs again (its own job retried): the same dedupe key plans nothing.
    expect(await notify([note], MONDAY_10)).toBe(0);
    expect(await deliveriesOf("t1:")).toHaveLength(1);

    const { app } = await sent();
    expect(app).toHaveLength(1);
    expect(app[0]).toMatchObject({ agentid: 1000002, touser: ["u000001"], delivered: ["u000001"], msgtype: "textcard" });
    expect(app[0].textcard).toMatchObject({ title: "审批待办", url: `${PORTAL}/approvals/abc` });
    expect(app[0].textcard!.description).toContain("截止时间：2026-12-08 18:00（北京时间）");
    const done = await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { id: row.id } });
    expect(done).toMatchObject({ status: "SENT", attempts: 1, providerId: expect.stringMatching(/^simmsg/) });
  });

  it("records a member WeCom does not know as FAILED (81013), and a person without a WeCom account as SKIPPED", async () => {
    await notify(
      [
        { recipientId: org.people.southStaff.id, kind: "training.due", messageKey: "notifications.categories.training", href: "/training", dedupeKey: "t2:ghost" },
        { recipientId: org.people.hr.id, kind: "training.due", messageKey: "notifications.categories.training", href: "/training", dedupeKey: "t2:nowecom" },
      ],
      MONDAY_10,
    );
    const [ghost, none] = await Promise.all([deliveriesOf("t2:ghost"), deliveriesOf("t2:nowecom")]);
    expect(none[0]).toMatchObject({ status: "SKIPPED", detail: "no-wecom-account" });
    expect(await deliverOne(db.prisma, ghost[0].id, MONDAY_10)).toEqual({ state: "failed", detail: "errcode 81013" });
    expect((await sent()).app).toHaveLength(0);
  });

  it("simulator: a send to a known and an unknown member is a partial success listing invaliduser", async () => {
    const token = (await (await fetch(`${sim.url}/cgi-bin/gettoken?corpid=${sim.config.corpId}&corpsecret=${sim.config.customerSecret}`)).json()) as { access_token: string };
    const res = await fetch(`${sim.url}/cgi-bin/message/send?access_token=${token.access_token}`, {
      method: "POST",
      body: JSON.stringify({ touser: "u000001|nobody", msgtype: "textcard", agentid: 1000002, textcard: { title: "t", description: "d", url: "https://x.test/" } }),
    });
    expect(await res.json()).toMatchObject({ errcode: 0, invaliduser: "nobody" });
    const long = await fetch(`${sim.url}/cgi-bin/message/send?access_token=${token.access_token}`, {
      method: "POST",
      body: JSON.stringify({ touser: "u000001", msgtype: "textcard", agentid: 1000002, textcard: { title: "长".repeat(43), description: "d", url: "https://x.test/" } }),
    });
    expect(await long.json()).toMatchObject({ errcode: 40058 }); // 129 bytes > 128
    const card = JSON.stringify({ touser: "u000002", msgtype: "textcard", agentid: 1000002, textcard: { title: "t", description: "d", url: "https://x.test/" }, enable_duplicate_check: 1 });
    for (let i = 0; i < 2; i++) expect(await (await fetch(`${sim.url}/cgi-bin/message/send?access_token=${token.access_token}`, { method: "POST", body: card })).json()).toMatchObject({ errcode: 0 });
    expect((await sent()).app.filter((m) => m.touser[0] === "u000002")).toHaveLength(1);
  });
});

describe("e-mail over SMTP", () => {
  it("goes to the person's address in their language when they chose e-mail; a rejected address is FAILED with the server's reply", async () => {
    await db.prisma.notificationPreference.create({ data: { employeeId: org.people.plain.id, locale: "en", channels: { training: ["EMAIL"] } } });
    await db.prisma.notificationPreference.create({ data: { employeeId: org.people.auditor.id, channels: { training: ["EMAIL"] } } });
    await db.prisma.employee.update({ where: { id: org.people.auditor.id }, data: { email: "bounce.auditor@example.test" } });
    const deadline = new Date("2026-12-09T10:00:00Z");
    await notify(
      [
        { recipientId: org.people.plain.id, kind: "training.due", messageKey: "notifications.categories.training", href: "/training/c1", dedupeKey: "t3:plain", deadline },
        { recipientId: org.people.auditor.id, kind: "training.due", messageKey: "notifications.categories.training", href: "/training/c1", dedupeKey: "t3:auditor" },
      ],
      MONDAY_10,
    );
    const [plain] = await deliveriesOf("t3:plain");
    expect(plain).toMatchObject({ channel: "EMAIL", target: "chen@example.test", locale: "en" });
    expect(await deliverOne(db.prisma, plain.id, MONDAY_10)).toMatchObject({ state: "sent" });
    expect(await deliverOne(db.prisma, plain.id, MONDAY_10)).toEqual({ state: "done" });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].to).toEqual(["chen@example.test"]);
    const mail = decodeMail(smtp.received[0].raw);
    expect(mail.subject).toBe("Training and policy acknowledgements");
    expect(mail.body).toContain("Due: 2026-12-09 18:00 (China time)");
    expect(mail.body).toContain(`${PORTAL}/training/c1`);

    const [bounced] = await deliveriesOf("t3:auditor");
    const result = await deliverOne(db.prisma, bounced.id, MONDAY_10);
    expect(result).toMatchObject({ state: "failed", detail: expect.stringContaining("550") });
    expect(smtp.received).toHaveLength(1);
  });
});

describe("quiet hours on the 2026 calendar", () => {
  const at = async (key: string, now: Date, kind = "training.due") => {
    await notify([{ recipientId: org.people.sh1Staff.id, kind, messageKey: "notifications.categories.training", href: "/training", dedupeKey: key }], now);
    return (await deliveriesOf(`${key}:`))[0];
  };

  it("a non-urgent message after hours waits for the next working instant: the next morning", async () => {
    const row = await at("q1", cst("2026-12-07T20:00:00"));
    expect(row).toMatchObject({ notBefore: cst("2026-12-08T09:00:00"), detail: "quiet-hours" });
    expect(await deliverOne(db.prisma, row.id, cst("2026-12-07T20:00:00"))).toEqual({ state: "not-due" });
    expect(await dueDeliveries(db.prisma, cst("2026-12-08T08:59:00"))).not.toContain(row.id);
    expect(await dueDeliveries(db.prisma, cst("2026-12-08T09:00:00"))).toContain(row.id);
    // 09:00 is on the hour: WeCom asks not to send then; it waits for a second in 09:01–09:09.
    const spread = await deliverOne(db.prisma, row.id, cst("2026-12-08T09:00:00"));
    expect(spread).toMatchObject({ state: "rate-limited" });
    const until = (spread as { until: Date }).until;
    expect(until >= cst("2026-12-08T09:01:00") && until < cst("2026-12-08T09:10:00")).toBe(true);
    expect(await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "PENDING", detail: "spread", notBefore: until });
    expect(await deliverOne(db.prisma, row.id, until)).toMatchObject({ state: "sent" });
  });

  it("in the lunch break it waits for 13:00", async () => {
    expect((await at("q2", cst("2026-12-07T12:30:00"))).notBefore).toEqual(cst("2026-12-07T13:00:00"));
  });

  it("Friday night before the 调休 working Saturday (2026-10-10) → Saturday 09:00", async () => {
    expect((await at("q3", cst("2026-10-09T20:00:00"))).notBefore).toEqual(cst("2026-10-10T09:00:00"));
  });

  it("a Saturday evening before the 调休 working Sunday (2026-09-20) → Sunday 09:00", async () => {
    expect((await at("q4", cst("2026-09-19T19:00:00"))).notBefore).toEqual(cst("2026-09-20T09:00:00"));
  });

  it("the evening before National Day (holiday 10-01 to 10-07) → Thursday 2026-10-08 09:00; during the holiday too", async () => {
    expect((await at("q5", cst("2026-09-30T19:00:00"))).notBefore).toEqual(cst("2026-10-08T09:00:00"));
    expect((await at("q6", cst("2026-10-03T11:00:00"))).notBefore).toEqual(cst("2026-10-08T09:00:00"));
  });

  it("an urgent event (a service escalation) goes at once, at night and on a holiday", async () => {
    const night = cst("2026-10-02T23:00:00");
    const row = await at("q7", night, "service.escalation");
    expect(row).toMatchObject({ urgent: true, notBefore: night, detail: null });
  });

  it("a person who turned quiet hours off gets it at once", async () => {
    await db.prisma.notificationPreference.create({ data: { employeeId: org.people.manager.id, quietHours: false } });
    await notify([{ recipientId: org.people.manager.id, kind: "training.due", messageKey: "notifications.categories.training", dedupeKey: "q8" }], cst("2026-12-07T22:00:00"));
    expect((await deliveriesOf("q8:"))[0].notBefore).toEqual(cst("2026-12-07T22:00:00"));
  });
});

describe("daily digest", () => {
  it("bundles a person's reminders into one message at the start of the next working day; an escalation is not held back", async () => {
    await db.prisma.notificationPreference.upsert({ where: { employeeId: org.people.sh1Staff.id }, create: { employeeId: org.people.sh1Staff.id, digest: true }, update: { digest: true } });
    const friday = cst("2026-12-11T10:00:00");
    await notify(
      [
        { recipientId: org.people.sh1Staff.id, kind: "training.due", messageKey: "notifications.categories.training", dedupeKey: "d1:a" },
        { recipientId: org.people.sh1Staff.id, kind: "policy.overdue", messageKey: "notifications.categories.content", dedupeKey: "d1:b" },
        { recipientId: org.people.sh1Staff.id, kind: "service.escalation", messageKey: "notifications.categories.service", dedupeKey: "d1:c" },
      ],
      friday,
    );
    const rows = await deliveriesOf("d1:");
    const monday = cst("2026-12-14T09:00:00");
    expect(rows.map((r) => [r.dedupeKey, r.digest, r.notBefore.toISOString()])).toEqual([
      ["d1:a:WECOM", true, monday.toISOString()],
      ["d1:b:WECOM", true, monday.toISOString()],
      ["d1:c:WECOM", false, friday.toISOString()],
    ]);
    const mondayLater = cst("2026-12-14T09:04:00");
    expect(await deliverOne(db.prisma, rows[0].id, mondayLater)).toMatchObject({ state: "sent", ids: [rows[0].id, rows[1].id] });
    expect(await deliverOne(db.prisma, rows[1].id, mondayLater)).toEqual({ state: "done" });
    const { app } = await sent();
    expect(app).toHaveLength(1);
    expect(app[0].textcard!.title).toBe("今日待办提醒（共 2 项）");
  });
});

describe("rate limits", () => {
  it("a member gets at most 30 app messages a minute: the 31st waits until a slot frees", async () => {
    const now = cst("2026-12-15T10:00:00");
    const notes = Array.from({ length: LIMITS.WECOM + 1 }, (_, i) => ({ recipientId: org.people.eastStaff.id, kind: "service.escalation", messageKey: "notifications.categories.service", href: `/service/r${i}`, dedupeKey: `r1:${String(i).padStart(2, "0")}` }));
    await notify(notes, now);
    const rows = await deliveriesOf("r1:");
    const results = [];
    for (const [i, r] of rows.entries()) results.push(await deliverOne(db.prisma, r.id, new Date(now.getTime() + i * 100)));
    expect(results.filter((r) => r.state === "sent")).toHaveLength(LIMITS.WECOM);
    expect(results[LIMITS.WECOM]).toEqual({ state: "rate-limited", until: new Date(now.getTime() + 60_000) });
    expect((await sent()).app).toHaveLength(LIMITS.WECOM);
    // A minute after the first send, its slot is free again (and WeCom's, in the simulator).
    await simAdmin(sim, "messages/advance", { ms: 60_000 });
    expect(await deliverOne(db.prisma, rows[LIMITS.WECOM].id, new Date(now.getTime() + 60_000))).toMatchObject({ state: "sent" });
  });
});

describe("one message/send for many members, and WeCom's daily total", () => {
  it("members due the same message go in one call (touser a|b|…); the member WeCom does not know is FAILED on their own row", async () => {
    const who = ["eastStaff", "sh1Staff", "southStaff", "manager", "plain"] as const;
    await notify(who.map((w) => ({ recipientId: org.people[w].id, kind: "content.published", messageKey: "notifications.categories.content", href: "/content/batch", dedupeKey: `m1:${w}` })), MONDAY_10);
    const rows = await deliveriesOf("m1:");
    const wecom = rows.filter((r) => r.channel === "WECOM" && !r.digest);
    // plain reads English (an earlier test): a different text, so a message of its own.
    const zh = wecom.filter((r) => r.locale === "zh-CN");
    const en = wecom.filter((r) => r.locale === "en");
    expect(en.map((r) => r.target)).toEqual(["u000004"]);
    const first = await deliverOne(db.prisma, zh[0].id, MONDAY_10);
    expect(first, JSON.stringify(first)).toMatchObject({ state: "sent" });
    const { app } = await sent();
    expect(app).toHaveLength(1);
    expect([...app[0].touser].sort()).toEqual(zh.map((r) => r.target).sort());
    expect(app[0].invalid).toEqual(["ghost-member"]);
    const after = await deliveriesOf("m1:");
    const byTarget = new Map(after.filter((r) => r.channel === "WECOM" && !r.digest).map((r) => [r.target, r]));
    expect(byTarget.get("ghost-member")).toMatchObject({ status: "FAILED", detail: "invaliduser" });
    for (const t of zh.map((r) => r.target).filter((t) => t !== "ghost-member")) expect(byTarget.get(t)).toMatchObject({ status: "SENT", detail: `batch of ${zh.length}`, sentAt: MONDAY_10 });
    // The other rows' own jobs then find them done: nothing is sent twice; the English one goes alone.
    for (const r of zh.slice(1)) expect(await deliverOne(db.prisma, r.id, MONDAY_10)).toEqual({ state: "done" });
    expect(await deliverOne(db.prisma, en[0].id, MONDAY_10)).toMatchObject({ state: "sent", ids: [en[0].id] });
    const all = (await sent()).app;
    expect(all.map((m) => m.touser.length)).toEqual([zh.length, 1]);
  });

  it("beyond the app's daily total a message waits for the next day (off :00); the count is per China day", async () => {
    process.env.WECOM_APP_DAILY_LIMIT = "2";
    try {
      const day = cst("2026-12-16T10:05:00");
      await notify([0, 1, 2].map((i) => ({ recipientId: org.people.plain.id, kind: "service.escalation", messageKey: "notifications.categories.service", href: `/service/d${i}`, dedupeKey: `day1:${i}` })), day);
      const rows = await deliveriesOf("day1:");
      expect(await deliverOne(db.prisma, rows[0].id, day)).toMatchObject({ state: "sent" });
      expect(await deliverOne(db.prisma, rows[1].id, day)).toMatchObject({ state: "sent" });
      const third = await deliverOne(db.prisma, rows[2].id, day);
      expect(third).toMatchObject({ state: "rate-limited" });
      const until = (third as { until: Date }).until;
      expect(until >= cst("2026-12-17T00:01:00") && until < cst("2026-12-17T00:10:00")).toBe(true);
      expect(await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { id: rows[2].id } })).toMatchObject({ status: "PENDING", detail: "daily-limit" });
      expect(await deliverOne(db.prisma, rows[2].id, until)).toMatchObject({ state: "sent" });
      expect((await sent()).app).toHaveLength(3);
    } finally {
      delete process.env.WECOM_APP_DAILY_LIMIT;
    }
  });
});

describe("group robots", () => {
  it("a team-level event reaches the robots of the department and those above it, at most 20 a minute per robot", async () => {
    await simAdmin(sim, "robots", { keys: ["key-east-0001", "key-sales-0002", "key-south-0003"] });
    const robot = (scopeId: string, key: string, kinds: string[]) =>
      db.prisma.notificationRobot.create({ data: { scopeType: "DEPARTMENT", scopeId, name: `robot ${key}`, keyCipher: encrypt(key), keyLast4: key.slice(-4), kinds } });
    const east = await robot(org.dept.east.id, "key-east-0001", ["service"]);
    await robot(org.dept.sales.id, "key-sales-0002", ["service.breach"]);
    await robot(org.dept.south.id, "key-south-0003", []);
    const now = cst("2026-12-15T11:00:00");
    const events = Array.from({ length: LIMITS.ROBOT + 1 }, (_, i) => ({ departmentId: org.dept.sh1.id, kind: "service.breach", messageKey: "notifications.categories.service", href: `/service/c${i}`, dedupeKey: `b1:${String(i).padStart(2, "0")}`, urgent: true }));
    const planned = await db.prisma.$transaction((tx) => notifyTeam(tx, events, now));
    expect(planned.planned).toBe(2 * events.length); // east (service) and sales (service.breach); not south
    expect(await db.prisma.$transaction((tx) => notifyTeam(tx, events, now))).toEqual({ planned: 0 });

    const eastRows = await db.prisma.notificationDelivery.findMany({ where: { robotId: east.id }, orderBy: { dedupeKey: "asc" } });
    const results = [];
    for (const r of eastRows) results.push(await deliverOne(db.prisma, r.id, now));
    expect(results.filter((r) => r.state === "sent")).toHaveLength(LIMITS.ROBOT);
    expect(results[LIMITS.ROBOT]).toMatchObject({ state: "rate-limited" });
    const { robots } = await sent();
    expect(robots).toHaveLength(LIMITS.ROBOT);
    expect(robots[0]).toMatchObject({ key: "key-east-0001", msgtype: "markdown" });
    expect(robots[0].content).toContain(`(${PORTAL}/service/c0)`);
    expect(robots[0].content).toContain("**客户服务时限与升级**");
  });
});

describe("retries and concurrency", () => {
  it("two workers running the same delivery at once send it once", async () => {
    await notify([{ recipientId: org.people.plain.id, kind: "content.published", messageKey: "notifications.categories.content", href: "/content/x", dedupeKey: "c1" }], MONDAY_10);
    const [row] = await deliveriesOf("c1:");
    expect(row.channel).toBe("WECOM");
    const results = await Promise.all([deliverOne(db.prisma, row.id, MONDAY_10), deliverOne(db.prisma, row.id, MONDAY_10)]);
    expect(results.map((r) => r.state).sort()).toEqual(["done", "sent"]);
    expect((await sent()).app).toHaveLength(1);
  });

  it("a delivery whose worker died mid-send (left SENDING) is taken again once its lease passes; WeCom's duplicate check was asked for", async () => {
    await notify([{ recipientId: org.people.plain.id, kind: "content.published", messageKey: "notifications.categories.content", dedupeKey: "c2" }], MONDAY_10);
    const [row] = await deliveriesOf("c2:");
    await db.prisma.notificationDelivery.update({ where: { id: row.id }, data: { status: "SENDING", attempts: 1, notBefore: new Date(MONDAY_10.getTime() + LEASE_MS) } });
    expect(await deliverOne(db.prisma, row.id, MONDAY_10)).toEqual({ state: "done" });
    expect(await dueDeliveries(db.prisma, new Date(MONDAY_10.getTime() + LEASE_MS))).toContain(row.id);
    expect(await deliverOne(db.prisma, row.id, new Date(MONDAY_10.getTime() + LEASE_MS))).toMatchObject({ state: "sent" });
    expect(await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "SENT", attempts: 2 });
  });

  it("an SMTP 451 puts the e-mail back with a backoff, until out of attempts it is FAILED", async () => {
    await db.prisma.notificationPreference.upsert({ where: { employeeId: org.people.hr.id }, create: { employeeId: org.people.hr.id, channels: { offboarding: ["EMAIL"] } }, update: { channels: { offboarding: ["EMAIL"] } } });
    await db.prisma.employee.update({ where: { id: org.people.hr.id }, data: { email: "busy.hr@example.test" } });
    await notify([{ recipientId: org.people.hr.id, kind: "offboarding.reminder", messageKey: "notifications.categories.offboarding", dedupeKey: "s1" }], MONDAY_10);
    const [row] = await deliveriesOf("s1:");
    let now = MONDAY_10;
    const first = await deliverOne(db.prisma, row.id, now);
    expect(first).toMatchObject({ state: "retry", detail: expect.stringContaining("451") });
    let again = await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { id: row.id } });
    expect(again).toMatchObject({ status: "PENDING", attempts: 1, notBefore: new Date(now.getTime() + 30_000) });
    expect(await deliverOne(db.prisma, row.id, now)).toEqual({ state: "not-due" });
    for (let i = 2; i <= MAX_ATTEMPTS; i++) {
      now = again.notBefore;
      const r = await deliverOne(db.prisma, row.id, now);
      expect(r.state).toBe(i < MAX_ATTEMPTS ? "retry" : "failed");
      again = await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { id: row.id } });
    }
    expect(again).toMatchObject({ status: "FAILED", attempts: MAX_ATTEMPTS });
    expect(smtp.received).toHaveLength(0);
  });
});

describe("preferences and robots through their commands", () => {
  it("a person's saved channels and language shape the next delivery, and the change is audited", async () => {
    const actor = await actorFor(db.prisma, org.people.eastStaff.id);
    expectOk(await run(db.prisma, actor, preferencesSchema, { locale: "en", quietHours: "on", ch_approvals: ["WECOM", "EMAIL"], ch_training: [] }, savePreferences));
    await notify(
      [
        { recipientId: org.people.eastStaff.id, kind: "approvals.waiting", messageKey: "notifications.categories.approvals", dedupeKey: "p1:a" },
        { recipientId: org.people.eastStaff.id, kind: "training.due", messageKey: "notifications.categories.training", dedupeKey: "p1:t" },
      ],
      MONDAY_10,
    );
    expect((await deliveriesOf("p1:")).map((r) => [r.dedupeKey, r.locale])).toEqual([
      ["p1:a:WECOM", "en"],
      ["p1:a:EMAIL", "en"],
    ]);
    expect(await db.prisma.notification.count({ where: { dedupeKey: "p1:t" } })).toBe(1); // the home page still has it
    expect(await db.prisma.auditEvent.count({ where: { action: "notification.preferences.update", entityId: org.people.eastStaff.id } })).toBe(1);
    const bad = await run(db.prisma, actor, preferencesSchema, { locale: "fr", ch_approvals: ["SMS"] }, savePreferences);
    expect(bad).toMatchObject({ ok: false, code: "VALIDATION" });
  });

  it("ADMIN saves a department's robot with its key encrypted (only the last four in the audit) and removes it", async () => {
    const admin = await actorFor(db.prisma, org.people.admin.id);
    const saved = expectOk(await run(db.prisma, admin, robotSchema, { scopeId: org.dept.hr.id, name: "人力群", key: "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", kinds: ["training"] }, saveRobot));
    const robot = await db.prisma.notificationRobot.findUniqueOrThrow({ where: { id: saved.id } });
    expect(robot.keyCipher).not.toContain("693a91f6");
    expect(robot.keyLast4).toBe("5aaa");
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "notification.robot.save" } });
    expect(JSON.stringify([audit.before, audit.after])).not.toContain("693a91f6");
    expect(await run(db.prisma, admin, robotSchema, { scopeId: org.dept.hr.id, name: "x", key: "bad key!", kinds: [] }, saveRobot)).toMatchObject({ ok: false, fieldErrors: { key: ["notifications.errors.robotKeyInvalid"] } });
    expectOk(await run(db.prisma, admin, robotRemoveSchema, { robotId: saved.id }, removeRobot));
    expect(await db.prisma.notificationRobot.count({ where: { id: saved.id } })).toBe(0);
  });
});
