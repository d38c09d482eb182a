import { describe, expect, it } from "vitest";
import { refreshUnregisteredNotices, refreshViolationNotices } from "@/lib/groups/tasks";
import { deliverOne } from "@/lib/notifications/deliver";
import { planDeliveriesFor } from "@/lib/notifications/service";
import type { WeComSim } from "@/scripts/wecom-sim/server";
import type { SentAppMessage } from "@/scripts/wecom-sim/messages";
import type { Organisation } from "../directory/helpers";
import { cst, MONDAY_10, PORTAL, withNotificationsEnv } from "../helpers/notifications-env";
import type { TestDb } from "../helpers/test-db";
import { decodeMail, type TestSmtp } from "./helpers";

// The planner's set-based entry (planDeliveriesFor) and the groups' owner tasks that use it: a
// notice written by set-based SQL reaches its owner by WeCom / e-mail per their preferences,
// quiet hours included, once — and the planner handles 20,000 owners in one statement.

let db: TestDb;
let sim: WeComSim;
let smtp: TestSmtp;
let org: Organisation;

withNotificationsEnv(
  (env) => ({ db, sim, smtp, org } = env),
  async ({ db, org }) => {
    await db.prisma.employee.update({ where: { id: org.people.eastStaff.id }, data: { wecomUserid: "u000001" } });
    await db.prisma.notificationPreference.create({ data: { employeeId: org.people.sh1Staff.id, channels: { groups: ["EMAIL"] } } });
  },
);

let seq = 0;
async function unregisteredGroup(ownerId: string, departmentId: string): Promise<string> {
  const id = `grp-${++seq}`;
  await db.prisma.$executeRaw`
    INSERT INTO work_groups (id, name, name_parts, policy_version, purpose, platform, kind, department_id, owner_id, classification, expected_size, status, outside_portal, updated_at)
    VALUES (${id}, ${`群 ${seq}`}, '{}'::jsonb, 1, 'x', 'WECOM', 'EXTERNAL', ${departmentId}, ${ownerId}, 'INTERNAL', 10, 'ACTIVE', true, now())`;
  return id;
}
const deliveriesOf = (recipientId: string, kind: string) => db.prisma.notificationDelivery.findMany({ where: { recipientId, kind }, orderBy: { createdAt: "asc" } });
const inTx = <T,>(f: (tx: Parameters<Parameters<TestDb["prisma"]["$transaction"]>[0]>[0]) => Promise<T>) => db.prisma.$transaction(f, { timeout: 120_000 });

describe("groups' owner tasks go beyond the home page", () => {
  it("'register your groups' reaches each owner on their channel once a day; a departed owner gets the home page only", async () => {
    const { eastStaff, sh1Staff, departed } = org.people;
    await unregisteredGroup(eastStaff.id, org.dept.east.id);
    await unregisteredGroup(eastStaff.id, org.dept.east.id);
    await unregisteredGroup(sh1Staff.id, org.dept.sh1.id);
    await unregisteredGroup(departed.id, org.dept.south.id);
    expect(await inTx((tx) => refreshUnregisteredNotices(tx, MONDAY_10))).toBe(3);

    const [east] = await deliveriesOf(eastStaff.id, "groups.unregistered");
    expect(east).toMatchObject({ channel: "WECOM", status: "PENDING", target: "u000001", dedupeKey: `groups.unregistered:${eastStaff.id}:2026-12-07:WECOM`, notBefore: MONDAY_10 });
    const [sh1] = await deliveriesOf(sh1Staff.id, "groups.unregistered");
    expect(sh1).toMatchObject({ channel: "EMAIL", status: "PENDING", target: sh1Staff.email });
    expect(await deliveriesOf(departed.id, "groups.unregistered")).toHaveLength(0);

    expect(await deliverOne(db.prisma, east.id, MONDAY_10)).toMatchObject({ state: "sent" });
    expect(await deliverOne(db.prisma, sh1.id, MONDAY_10)).toMatchObject({ state: "sent" });
    const { app } = (await (await fetch(`${sim.url}/__sim/messages`)).json()) as { app: SentAppMessage[] };
    expect(app).toHaveLength(1);
    expect(app[0].touser).toEqual(["u000001"]);
    expect(app[0].textcard?.title).toContain("2");
    expect(app[0].textcard?.url).toBe(`${PORTAL}/groups?outside=1&mine=owner`);
    expect(smtp.received).toHaveLength(1);
    expect(decodeMail(smtp.received[0].raw).body).toContain(`${PORTAL}/groups?outside=1&mine=owner`);

    // The same counts again (the next sync): nothing new. One more group the same day: the home
    // page comes back unread, but the owner is not messaged twice in a day.
    await inTx((tx) => refreshUnregisteredNotices(tx, cst("2026-12-07T11:00:00")));
    await unregisteredGroup(eastStaff.id, org.dept.east.id);
    await inTx((tx) => refreshUnregisteredNotices(tx, cst("2026-12-07T15:00:00"), [eastStaff.id]));
    expect(await deliveriesOf(eastStaff.id, "groups.unregistered")).toHaveLength(1);
    // The next day, at night, the count grows again: one more message, held for the morning.
    await unregisteredGroup(eastStaff.id, org.dept.east.id);
    await inTx((tx) => refreshUnregisteredNotices(tx, cst("2026-12-08T21:00:00")));
    const both = await deliveriesOf(eastStaff.id, "groups.unregistered");
    expect(both).toHaveLength(2);
    expect(both[1]).toMatchObject({ dedupeKey: `groups.unregistered:${eastStaff.id}:2026-12-08:WECOM`, detail: "quiet-hours", notBefore: cst("2026-12-09T09:00:00") });
  });

  it("'your groups break the rules' is messaged when the day's notice is first written, not on each re-check", async () => {
    const { manager } = org.people;
    await db.prisma.employee.update({ where: { id: manager.id }, data: { wecomUserid: "u000003" } });
    const g = await unregisteredGroup(manager.id, org.dept.east.id);
    await db.prisma.$executeRaw`INSERT INTO work_group_violations (id, group_id, kind, opened_at, last_checked_at, updated_at) VALUES ('v1', ${g}, 'EXTERNAL_MEMBER', ${MONDAY_10}, ${MONDAY_10}, now())`;
    await inTx((tx) => refreshViolationNotices(tx, MONDAY_10, [manager.id]));
    await db.prisma.$executeRaw`INSERT INTO work_group_violations (id, group_id, kind, opened_at, last_checked_at, updated_at) VALUES ('v2', ${g}, 'OVER_SIZE', ${MONDAY_10}, ${MONDAY_10}, now())`;
    await inTx((tx) => refreshViolationNotices(tx, cst("2026-12-07T14:00:00")));
    const rows = await deliveriesOf(manager.id, "groups.violations");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: "WECOM", target: "u000003", status: "PENDING" });
  });
});

describe("planDeliveriesFor at scale", () => {
  it("plans 20,000 owners' deliveries in one statement, by each one's preferences", async () => {
    const N = 20_000;
    const dept = org.dept.hq.id;
    await db.prisma.$executeRaw`
      INSERT INTO employees (id, employee_no, name, email, department_id, status, wecom_userid, hire_date, updated_at)
      SELECT 'bulk-' || i, 'B-' || i, '员工' || i, 'bulk' || i || '@example.test', ${dept},
             (CASE WHEN i % 1000 = 0 THEN 'DEPARTED' ELSE 'ACTIVE' END)::"EmployeeStatus",
             CASE WHEN i % 10 = 0 THEN NULL ELSE 'bulk-u' || i END, DATE '2024-01-01', now()
        FROM generate_series(1, ${N}) i`;
    // Every 4th chose e-mail and WeCom for group tasks; every 7th turned quiet hours off.
    await db.prisma.$executeRaw`
      INSERT INTO notification_preferences (employee_id, channels, quiet_hours, updated_at)
      SELECT 'bulk-' || i, CASE WHEN i % 4 = 0 THEN '{"groups": ["WECOM", "EMAIL"]}'::jsonb ELSE '{}'::jsonb END, i % 7 <> 0, now()
        FROM generate_series(1, ${N}) i WHERE i % 4 = 0 OR i % 7 = 0`;
    const night = cst("2026-12-07T20:00:00");
    const ids = await db.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO notifications (id, recipient_id, kind, message_key, params, href, dedupe_key, created_at, updated_at)
      SELECT 'bn-' || i, 'bulk-' || i, 'groups.unregistered', 'groups.notices.unregistered', '{"count": 1}'::jsonb, '/groups', 'bulk:' || i, ${night}, ${night}
        FROM generate_series(1, ${N}) i RETURNING id`;

    const started = performance.now();
    const planned = await inTx((tx) => planDeliveriesFor(tx, { notificationIds: ids.map((r) => r.id), kind: "groups.unregistered" }, night));
    const ms = performance.now() - started;
    console.log(`[bulk] planDeliveriesFor: ${N} owners → ${planned} deliveries in ${Math.round(ms)} ms`);

    const active = N - N / 1000;
    const emailers = Array.from({ length: N }, (_, k) => k + 1).filter((i) => i % 4 === 0 && i % 1000 !== 0).length;
    expect(planned).toBe(active + emailers);
    const count = (where: object) => db.prisma.notificationDelivery.count({ where: { kind: "groups.unregistered", dedupeKey: { startsWith: "bulk:" }, ...where } });
    expect(await count({ channel: "EMAIL" })).toBe(emailers);
    expect(await count({ status: "SKIPPED", detail: "no-wecom-account" })).toBe(N / 10 - N / 1000);
    const quietOff = await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { dedupeKey: "bulk:7:WECOM" } });
    expect(quietOff).toMatchObject({ notBefore: night, detail: null, target: "bulk-u7" });
    const quiet = await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { dedupeKey: "bulk:8:EMAIL" } });
    expect(quiet).toMatchObject({ notBefore: cst("2026-12-08T09:00:00"), detail: "quiet-hours", target: "bulk8@example.test" });
    expect(await db.prisma.notificationDelivery.findUnique({ where: { dedupeKey: "bulk:1000:WECOM" } })).toBeNull();
    // Planned again (a retried job): nothing more.
    expect(await inTx((tx) => planDeliveriesFor(tx, { notificationIds: ids.map((r) => r.id), kind: "groups.unregistered" }, night))).toBe(0);
  }, 180_000);
});
