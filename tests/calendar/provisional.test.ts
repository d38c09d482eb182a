import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProvisionalBadge } from "@/components/ui/provisional-badge";
import { getRequestDetail, listInbox } from "@/lib/approvals/queries";
import { replaceYearSchema } from "@/lib/calendar/admin-schemas";
import { calendarAttentionFrom } from "@/lib/calendar/attention";
import { replaceCalendarYear } from "@/lib/calendar/commands";
import { loadHolidayCoverage } from "@/lib/calendar/coverage";
import { en, zhCN } from "@/lib/i18n/messages";
import { createTranslator } from "@/lib/i18n/translate";
import { createRequest } from "@/lib/privacy/requests";
import { requestSchema } from "@/lib/privacy/schemas";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { requestAs, seedGroupsOrganisation, type GroupsOrganisation } from "../groups/helpers";
import { expectOk, run, subject, usePiiKey } from "../privacy/helpers";
import { notice2027, yearForm } from "./helpers";

// A year without holiday data (2027 while only 2026 is shipped): deadlines falling in it are
// marked provisional where they are shown, and ADMIN's home page warns from 1 November of the
// year before, until an ADMIN loads the year at /settings/calendars.

const DEFAULT_ID = "cncalendar2026default00001";
const sh = (local: string) => new Date(`${local}+08:00`);

let db: TestDb;
let org: GroupsOrganisation;
let admin: Actor;
let officer: Actor;
let alice: Actor;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedGroupsOrganisation(db.prisma);
  [admin, officer, alice] = await Promise.all([org.people.admin, org.people.privacy, org.people.alice].map((p) => actorFor(db.prisma, p.id)));
}, 120_000);
afterAll(async () => db?.close());

describe("while 2027 has no holiday data", () => {
  it("ADMIN's home page warns about 2027 from 1 November 2026 on, with a link to load it; nobody else is told", async () => {
    expect(await calendarAttentionFrom(admin, db.prisma, sh("2026-10-31T23:59:00"))).toEqual([]);
    const items = await calendarAttentionFrom(admin, db.prisma, sh("2026-11-01T00:00:00"));
    expect(items).toEqual([
      {
        key: "calendar.missingYear.CN-DEFAULT.2027",
        labelKey: "calendar.attention.missingYear",
        params: { year: 2027, name: "中国大陆工作日历", nameEn: expect.any(String) },
        href: `/settings/calendars/${DEFAULT_ID}/years?year=2027`,
      },
    ]);
    expect(await calendarAttentionFrom(admin, db.prisma, sh("2026-12-05T10:00:00"))).toHaveLength(1);
    expect(createTranslator(zhCN)(items[0].labelKey, items[0].params)).toContain("2027 年的节假日数据");
    expect(createTranslator(en)(items[0].labelKey, items[0].params)).toContain("no holiday data for 2027");
    expect(await calendarAttentionFrom(alice, db.prisma, sh("2026-12-05T10:00:00"))).toEqual([]);
    expect(await calendarAttentionFrom(officer, db.prisma, sh("2026-12-05T10:00:00"))).toEqual([]);
  });

  it("a data-subject request received in late December is due in January 2027: provisional; one due in 2026 is not", async () => {
    const s = await subject(db.prisma, alice);
    const late = expectOk(await run(db.prisma, officer, requestSchema, { subjectId: s.id, type: "ACCESS", receivedAt: sh("2026-12-21T10:00:00").toISOString() }, (ctx) => createRequest(ctx, sh("2026-12-21T10:05:00"))));
    const early = expectOk(await run(db.prisma, officer, requestSchema, { subjectId: s.id, type: "ACCESS", receivedAt: sh("2026-11-02T10:00:00").toISOString() }, (ctx) => createRequest(ctx, sh("2026-11-02T10:05:00"))));
    const [lateRow, earlyRow] = await Promise.all([late, early].map((r) => db.prisma.privacyRequest.findUniqueOrThrow({ where: { id: r.id } })));
    expect(lateRow.dueAt.getTime()).toBeGreaterThan(sh("2027-01-01T00:00:00").getTime());
    expect(earlyRow.dueAt.getTime()).toBeLessThan(sh("2027-01-01T00:00:00").getTime());
    const coverage = await loadHolidayCoverage(db.prisma);
    expect(coverage.provisionalYear(lateRow.dueAt)).toBe(2027);
    expect(coverage.provisionalYear(earlyRow.dueAt)).toBeNull();
    expect(coverage.provisionalYear(lateRow.dueAt, DEFAULT_ID)).toBe(2027);
    expect(coverage.provisionalYear(null)).toBeNull();
  });

  it("an approval step due in 2027 is provisional in the approver's inbox and on the request's timeline", async () => {
    const { requestId } = await requestAs(db.prisma, alice, org);
    const step = await db.prisma.approvalRequestStep.findFirstOrThrow({ where: { requestId, status: "PENDING" }, orderBy: { position: "asc" } });
    // The request has waited into the new year: its step falls due on 5 January 2027.
    await db.prisma.approvalRequestStep.update({ where: { id: step.id }, data: { dueAt: sh("2027-01-05T18:00:00") } });
    const approver = await actorFor(db.prisma, step.approverId!);
    const inbox = await listInbox(db.prisma, approver, "pending", 1, sh("2026-12-30T10:00:00"));
    expect(inbox.items.find((i) => i.requestId === requestId)?.step).toMatchObject({ provisionalYear: 2027 });
    const detail = await getRequestDetail(db.prisma, approver, requestId, sh("2026-12-30T10:00:00"));
    expect(detail!.steps.find((s) => s.id === step.id)).toMatchObject({ provisionalYear: 2027 });

    await db.prisma.approvalRequestStep.update({ where: { id: step.id }, data: { dueAt: sh("2026-12-31T18:00:00") } });
    expect((await listInbox(db.prisma, approver, "pending", 1, sh("2026-12-30T10:00:00"))).items.find((i) => i.requestId === requestId)?.step).toMatchObject({ provisionalYear: null });
  });
});

describe("the marker", () => {
  it("is one badge, in the person's language, and nothing for a date that is not provisional", () => {
    const zh = renderToStaticMarkup(createElement(ProvisionalBadge, { year: 2027, t: createTranslator(zhCN) }));
    expect(zh).toContain("暂定（2027 年节假日数据未加载）");
    expect(zh).toContain('data-testid="provisional-due"');
    expect(renderToStaticMarkup(createElement(ProvisionalBadge, { year: 2027, t: createTranslator(en) }))).toContain("Provisional (2027 holidays not loaded)");
    expect(renderToStaticMarkup(createElement(ProvisionalBadge, { year: null, t: createTranslator(zhCN) }))).toBe("");
  });
});

describe("once an ADMIN loads 2027", () => {
  it("nothing is provisional in 2027 and the home page warning is gone", async () => {
    const current = await db.prisma.businessCalendar.findUniqueOrThrow({ where: { id: DEFAULT_ID } });
    const input = replaceYearSchema.parse(yearForm({ ...notice2027, calendarId: DEFAULT_ID, version: current.version }));
    const { inUnitOfWork } = await import("@/lib/server/unit-of-work");
    await inUnitOfWork(db.prisma, admin, ({ tx, audit }) => replaceCalendarYear({ actor: admin, input, tx, audit }));
    expect(await calendarAttentionFrom(admin, db.prisma, sh("2026-12-05T10:00:00"))).toEqual([]);
    expect((await loadHolidayCoverage(db.prisma)).provisionalYear(sh("2027-01-05T18:00:00"))).toBeNull();
    // The warning comes back for 2028 on 1 November 2027.
    expect((await calendarAttentionFrom(admin, db.prisma, sh("2027-11-01T09:00:00"))).map((i) => i.params?.year)).toEqual([2028]);
  });
});
