import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { notice2027, settingsForm, yearForm } from "./helpers";

// The calendar Server Actions through their real wrapper (defineAction) with the FormData the
// forms post. Only what a request would carry is stood in for: the signed-in actor, the language
// (English here, to see the messages translated), and Next.js's cache.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const actions = await import("@/lib/calendar/actions");

const DEFAULT_ID = "cncalendar2026default00001";
let db: TestDb;
let admin: Actor;
let hr: Actor;

function formData(values: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.append(k, v);
  return fd;
}

const row = () => db.prisma.businessCalendar.findUniqueOrThrow({ where: { id: DEFAULT_ID } });

beforeAll(async () => {
  db = await createTestDb();
  const ids = await db.prisma.$transaction(async (tx) => {
    const dept = await makeDepartment(tx, { name: "总公司", code: "HQ" });
    const a = await makeEmployee(tx, { departmentId: dept.id, roles: ["ADMIN"] });
    const h = await makeEmployee(tx, { departmentId: dept.id, roles: ["HR", "AUDITOR"] });
    return { admin: a.id, hr: h.id };
  });
  admin = await actorFor(db.prisma, ids.admin);
  hr = await actorFor(db.prisma, ids.hr);
});
afterAll(async () => db?.close());
beforeEach(() => {
  session.actor = null;
});

describe("calendar actions", () => {
  it("refuse anyone not signed in, and anyone without calendars.manage, changing nothing", async () => {
    const before = await row();
    const form = formData(settingsForm({ id: DEFAULT_ID, version: before.version, isDefault: true, name: "改名" }));
    expect(await actions.updateCalendarAction(null, form)).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    session.actor = hr;
    expect(await actions.updateCalendarAction(null, form)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    const year = formData(yearForm({ ...notice2027, calendarId: DEFAULT_ID, version: before.version }));
    expect(await actions.replaceCalendarYearAction(null, year)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await row()).toEqual(before);
  });

  it("answer a problem beside its field in the person's language", async () => {
    session.actor = admin;
    const before = await row();
    const overlapping = settingsForm({
      id: DEFAULT_ID,
      version: before.version,
      isDefault: true,
      weeklyHours: {
        2: [
          { start: "09:00", end: "12:30" },
          { start: "12:00", end: "18:00" },
        ],
      },
    });
    expect(await actions.updateCalendarAction(null, formData(overlapping))).toEqual({
      ok: false,
      code: "VALIDATION",
      formError: "Please correct the marked fields.",
      fieldErrors: { "weeklyHours.2.1": ["Overlaps another interval of the same day."] },
    });
    const notDefault = settingsForm({ id: DEFAULT_ID, version: before.version, isDefault: false });
    expect(await actions.updateCalendarAction(null, formData(notDefault))).toMatchObject({
      ok: false,
      code: "INVALID_STATE",
      fieldErrors: { isDefault: ["There must be a default calendar. To change it, tick “Default calendar” on another calendar."] },
    });
    expect(await row()).toEqual(before);
  });

  it("create, edit and add a year, and say when a page is out of date", async () => {
    session.actor = admin;
    const created = await actions.createCalendarAction(null, formData(settingsForm({ code: "hk", name: "香港", nameEn: "Hong Kong", timeZone: "Asia/Hong_Kong" })));
    expect(created).toMatchObject({ ok: true, data: { id: expect.stringMatching(/^[a-f0-9]{32}$/) } });
    const taken = await actions.createCalendarAction(null, formData(settingsForm({ code: "HK", name: "香港2", nameEn: "Hong Kong 2" })));
    expect(taken).toMatchObject({ ok: false, code: "CONFLICT", fieldErrors: { code: ["Another calendar already uses this code."] } });

    const before = await row();
    const year = formData(yearForm({ ...notice2027, calendarId: DEFAULT_ID, version: before.version }));
    expect(await actions.replaceCalendarYearAction(null, year)).toEqual({ ok: true, data: { id: DEFAULT_ID, year: 2027 } });
    // The same form posted again carries the old version.
    expect(await actions.replaceCalendarYearAction(null, year)).toEqual({ ok: false, code: "STALE", formError: "Someone else changed this record. Reload the page and try again." });
    const removal = formData({ calendarId: DEFAULT_ID, version: String(before.version + 1), year: "2027" });
    expect(await actions.removeCalendarYearAction(null, removal)).toEqual({ ok: true, data: { id: DEFAULT_ID, year: 2027 } });
    expect(await db.prisma.auditEvent.count({ where: { entityType: "BusinessCalendar" } })).toBe(3);
  });

  it("refuse forged posts without an answer of 500", async () => {
    session.actor = admin;
    const before = await row();
    const forged = [
      { ...settingsForm({ id: "../../etc", version: before.version, isDefault: true }) },
      { ...settingsForm({ id: DEFAULT_ID, isDefault: true }), version: "NaN" },
      { ...settingsForm({ id: DEFAULT_ID, version: before.version, isDefault: true }), "weeklyHours.1.0.start": "09:00\u0000" },
    ];
    for (const values of forged) expect(await actions.updateCalendarAction(null, formData(values))).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(await actions.updateCalendarAction(null, { ...settingsForm({ id: DEFAULT_ID, version: before.version, isDefault: true }), "weeklyHours.1.0.start": ["09:00", "10:00"] })).toMatchObject({
      ok: false,
      code: "VALIDATION",
    });
    const unknown = settingsForm({ id: "a".repeat(26), version: 1, isDefault: true, code: "ZZ" });
    expect(await actions.updateCalendarAction(null, formData(unknown))).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await row()).toEqual(before);
  });
});
