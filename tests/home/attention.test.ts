import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalAttention } from "@/lib/approvals/attention";
import { calendarAttentionFrom } from "@/lib/calendar/attention";
import { contentAttentionFrom } from "@/lib/content/attention";
import { groupAttentionFrom } from "@/lib/groups/attention";
import { homeAttention } from "@/lib/home/attention";
import { notificationAttentionFrom } from "@/lib/notifications/attention";
import { offboardingAttentionFrom } from "@/lib/offboarding/attention";
import { privacyAttentionFrom } from "@/lib/privacy/attention";
import { serviceAttentionFrom } from "@/lib/service/attention";
import { trainingAttentionFrom } from "@/lib/training/attention";
import { seedDemo } from "@/prisma/seed";
import { usePiiKey } from "../accounts/helpers";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";

// The home page runs its attention sources in one statement (lib/home/attention-query.ts): for
// every person of the demo company, at three times, it gives the items each source gives alone
// (each source's own tests compare those with the lists they link to), in the same order, and the
// person's department's name.

let db: TestDb;
const DAY = 86_400_000;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  expect(await seedDemo(db.prisma, () => {})).toBe(true);
}, 120_000);
afterAll(async () => db?.close());

describe("the home page's attention items", () => {
  it("are, in one statement, what each source gives alone, for every person at three times", async () => {
    const people = await db.prisma.employee.findMany({ where: { status: { not: "DEPARTED" } }, select: { id: true, department: { select: { name: true } } }, orderBy: { id: "asc" } });
    expect(people.length).toBeGreaterThan(10);
    let seen = 0;
    const kinds = new Set<string>();
    for (const at of [new Date(), new Date(Date.now() + 20 * DAY), new Date(Date.now() + 400 * DAY)]) {
      for (const person of people) {
        const actor = await actorFor(db.prisma, person.id);
        const alone = [
          ...(await approvalAttention(actor, db.prisma, at)),
          ...(await groupAttentionFrom(actor, db.prisma, at)),
          ...(await offboardingAttentionFrom(actor, db.prisma, at)),
          ...(await notificationAttentionFrom(actor, db.prisma)),
          ...(await serviceAttentionFrom(actor, db.prisma, at)),
          ...(await privacyAttentionFrom(actor, db.prisma, at)),
          ...(await trainingAttentionFrom(actor, db.prisma, at)),
          ...(await contentAttentionFrom(actor, db.prisma, at)),
          ...(await calendarAttentionFrom(actor, db.prisma, at)),
        ];
        const home = await homeAttention(actor, db.prisma, at);
        expect(home.items).toEqual(alone);
        expect(home.departmentName).toBe(person.department.name);
        seen += alone.length;
        for (const item of alone) kinds.add(item.key.startsWith("notification.") ? "notification" : item.key.split(".").slice(0, 2).join("."));
      }
    }
    // The comparison saw items of most kinds (counts, notifications with parameters, calendars).
    expect(seen).toBeGreaterThan(50);
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["approvals.pending", "notification", "calendar.missingYear", "groups.overdueReview", "training.mineOpen"]));
  }, 120_000);
});
