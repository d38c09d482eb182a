import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addWorkingDays, buildDefaultChinaCalendar, validateCalendar, yearsWithHolidayData, type CalendarDefinition } from "@/lib/calendar";
import {
  calendarCreateSchema,
  calendarUpdateSchema,
  removeYearSchema,
  replaceYearSchema,
  type CalendarUpdateInput,
} from "@/lib/calendar/admin-schemas";
import { createCalendar, removeCalendarYear, replaceCalendarYear, updateCalendar } from "@/lib/calendar/commands";
import { getCalendar, listCalendars } from "@/lib/calendar/queries";
import { loadCalendar } from "@/lib/calendar/store";
import { fieldErrorsFrom } from "@/lib/forms";
import { zhCN } from "@/lib/i18n/messages";
import { createTranslator } from "@/lib/i18n/translate";
import type { ActionContext } from "@/lib/server/action";
import type { Actor } from "@/lib/server/actor";
import { DomainError } from "@/lib/server/errors";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { notice2027, settingsForm, yearForm } from "./helpers";

// The calendar administration against a real, freshly migrated database: the shipped default,
// editing the weekly hours, adding / replacing / removing a year, the default flag, optimistic
// concurrency and the unique code. Commands run in a unit of work exactly as the actions run them.

const DEFAULT_ID = "cncalendar2026default00001";
const sh = (local: string) => new Date(`${local}+08:00`);
const t = createTranslator(zhCN);

let db: TestDb;
let admin: Actor;
let employee: Actor;

beforeAll(async () => {
  db = await createTestDb();
  const ids = await db.prisma.$transaction(async (tx) => {
    const dept = await makeDepartment(tx, { name: "总公司", code: "HQ" });
    const a = await makeEmployee(tx, { departmentId: dept.id, email: "admin@example.test", roles: ["ADMIN"] });
    const e = await makeEmployee(tx, { departmentId: dept.id, email: "staff@example.test", roles: ["EMPLOYEE", "HR", "AUDITOR"] });
    return { admin: a.id, employee: e.id };
  });
  admin = await actorFor(db.prisma, ids.admin);
  employee = await actorFor(db.prisma, ids.employee);
});
afterAll(async () => db?.close());

function run<I, T>(command: (ctx: ActionContext<I>) => Promise<T>, input: I, actor: Actor = admin): Promise<T> {
  return inUnitOfWork(db.prisma, actor, ({ tx, audit }) => command({ actor, input, tx, audit }));
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected the command to be refused");
}

const row = (id = DEFAULT_ID) => db.prisma.businessCalendar.findUniqueOrThrow({ where: { id } });
const auditCount = () => db.prisma.auditEvent.count({ where: { entityType: "BusinessCalendar" } });
const definitionOf = async (id = DEFAULT_ID) => (await loadCalendar(db.prisma, id)).definition;
const defaultIds = async () => (await db.prisma.businessCalendar.findMany({ where: { isDefault: true }, select: { id: true } })).map((r) => r.id);

describe("the shipped default calendar", () => {
  it("is inserted by the migration, loads as the default and validates", async () => {
    const loaded = await loadCalendar(db.prisma);
    expect(loaded).toMatchObject({ id: DEFAULT_ID, code: "CN-DEFAULT", name: "中国大陆工作日历" });
    expect(validateCalendar(loaded.definition)).toEqual([]);
    expect(loaded.definition).toEqual(buildDefaultChinaCalendar());
    expect(yearsWithHolidayData(loaded.definition)).toEqual([2026]);
  });

  it("is listed for ADMIN with a warning that next year has no holiday data", async () => {
    const list = await listCalendars(admin, { client: db.prisma, now: sh("2026-11-25T12:00") });
    expect(list).toEqual([
      expect.objectContaining({ id: DEFAULT_ID, isDefault: true, timeZone: "Asia/Shanghai", years: [2026], missingYears: [{ year: 2027, current: false }], problems: [] }),
    ]);
    // In the calendar's zone it is already 2027 at 2026-12-31T17:00Z: both years are checked.
    const newYear = await listCalendars(admin, { client: db.prisma, now: new Date("2026-12-31T17:00:00Z") });
    expect(newYear[0].missingYears).toEqual([
      { year: 2027, current: true },
      { year: 2028, current: false },
    ]);
  });

  it("is not shown to, nor changed by, anyone without calendars.manage", async () => {
    await expect(listCalendars(employee, { client: db.prisma })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getCalendar(employee, DEFAULT_ID, { client: db.prisma })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const input = calendarUpdateSchema.parse(settingsForm({ id: DEFAULT_ID, version: 1, isDefault: true }));
    expect((await refusal(run(updateCalendar, input, employee))).code).toBe("FORBIDDEN");
  });
});

describe("editing the weekly hours", () => {
  it("saves valid hours, moves the version on and audits before and after", async () => {
    const before = await row();
    const audits = await auditCount();
    const saturdayMorning = [{ start: "09:00", end: "12:00" }];
    const input = calendarUpdateSchema.parse(settingsForm({ id: DEFAULT_ID, version: before.version, isDefault: true, weeklyHours: { 6: saturdayMorning } }));
    await run(updateCalendar, input);

    const after = await row();
    expect(after.version).toBe(before.version + 1);
    const definition = await definitionOf();
    expect(definition.weeklyHours[6]).toEqual(saturdayMorning);
    // Holidays are not part of the settings form and are kept.
    expect(definition.holidays).toEqual(buildDefaultChinaCalendar().holidays);

    expect(await auditCount()).toBe(audits + 1);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityType: "BusinessCalendar", entityId: DEFAULT_ID }, orderBy: { id: "desc" } });
    expect(event.action).toBe("calendar.update");
    expect(event.actorId).toBe(admin.id);
    expect(event.before).toMatchObject({ version: before.version, definition: { weeklyHours: { 6: [] } } });
    expect(event.after).toMatchObject({ version: before.version + 1, definition: { weeklyHours: { 6: saturdayMorning } } });
  });

  it("refuses overlapping intervals on Tuesday in the form and in the command, and changes nothing", async () => {
    const before = await row();
    const audits = await auditCount();
    const overlapping = [
      { start: "09:00", end: "12:30" },
      { start: "12:00", end: "18:00" },
    ];
    const form = settingsForm({ id: DEFAULT_ID, version: before.version, isDefault: true, weeklyHours: { 2: overlapping } });

    // In the browser and in defineAction: the message sits beside Tuesday's second interval.
    const parsed = calendarUpdateSchema.safeParse(form);
    expect(parsed.success).toBe(false);
    expect(fieldErrorsFrom(parsed.error!, t)).toEqual({ "weeklyHours.2.1": ["与同一天的另一个时段重叠。"] });

    // A command called without the form's schema validates the whole definition itself.
    const input: CalendarUpdateInput = { ...calendarUpdateSchema.parse(settingsForm({ id: DEFAULT_ID, version: before.version, isDefault: true })) };
    input.weeklyHours = { ...input.weeklyHours, 2: overlapping };
    const refused = await refusal(run(updateCalendar, input));
    expect(refused).toMatchObject({ code: "VALIDATION", messageKey: "calendar.problems.OVERLAPPING_INTERVALS", options: { field: "weeklyHours.2.1" } });

    expect(await row()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it("refuses an empty working week", async () => {
    const before = await row();
    const empty = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
    const parsed = calendarUpdateSchema.safeParse(settingsForm({ id: DEFAULT_ID, version: before.version, isDefault: true, weeklyHours: empty }));
    expect(parsed.success).toBe(false);
    expect(fieldErrorsFrom(parsed.error!, t).weeklyHours).toEqual(["一周中至少要有一天有工作时段，否则任何期限都无法计算。"]);

    const input = calendarUpdateSchema.parse(settingsForm({ id: DEFAULT_ID, version: before.version, isDefault: true }));
    const refused = await refusal(run(updateCalendar, { ...input, weeklyHours: empty }));
    expect(refused).toMatchObject({ code: "VALIDATION", messageKey: "calendar.problems.EMPTY_WEEK", options: { field: "weeklyHours" } });
    expect(await row()).toEqual(before);
  });

  it("refuses a save made from an out-of-date page (STALE)", async () => {
    const current = await row();
    const input = calendarUpdateSchema.parse(settingsForm({ id: DEFAULT_ID, version: current.version - 1, isDefault: true, name: "旧页面" }));
    expect(await refusal(run(updateCalendar, input))).toMatchObject({ code: "STALE", messageKey: "errors.stale" });
    expect((await row()).name).toBe(current.name);
  });

  it("stores custom hours for adjusted working days, and Monday's hours again when unticked", async () => {
    const current = await row();
    const custom = [{ start: "10:00", end: "16:00" }];
    await run(updateCalendar, calendarUpdateSchema.parse(settingsForm({ id: DEFAULT_ID, version: current.version, isDefault: true, adjustedDayHours: custom })));
    expect((await definitionOf()).adjustedDayHours).toEqual(custom);
    await run(updateCalendar, calendarUpdateSchema.parse(settingsForm({ id: DEFAULT_ID, version: current.version + 1, isDefault: true })));
    expect((await definitionOf()).adjustedDayHours).toBeUndefined();
  });
});

describe("holidays year by year", () => {
  it("adds 2027 from holiday ranges: expanded per date, other years kept, deadlines skip the new holidays", async () => {
    const definitionBefore = await definitionOf();
    // Before 2027 is entered, 2027-01-01 is an ordinary Friday.
    expect(addWorkingDays(definitionBefore, sh("2026-12-31T10:00"), 1)).toEqual(sh("2027-01-01T10:00"));

    const current = await row();
    const audits = await auditCount();
    const input = replaceYearSchema.parse(yearForm({ ...notice2027, calendarId: DEFAULT_ID, version: current.version }));
    expect(await run(replaceCalendarYear, input)).toEqual({ id: DEFAULT_ID, year: 2027 });

    const definition = await definitionOf();
    expect(yearsWithHolidayData(definition)).toEqual([2026, 2027]);
    const holidays2027 = definition.holidays.filter((h) => h.date.startsWith("2027-"));
    expect(holidays2027).toHaveLength(3 + 9 + 5);
    expect(holidays2027[0]).toEqual({ date: "2027-01-01", name: "元旦", nameEn: "New Year's Day" });
    expect(definition.adjustedWorkingDays.filter((d) => d.date.startsWith("2027-"))).toEqual([
      { date: "2027-01-31", name: "春节调休" },
      { date: "2027-02-20", name: "春节调休" },
      { date: "2027-04-25" },
    ]);
    expect(definition.holidays.filter((h) => h.date.startsWith("2026-"))).toEqual(buildDefaultChinaCalendar().holidays);
    expect(validateCalendar(definition)).toEqual([]);

    // Thursday 2026-12-31 + 1 working day: 1–3 January are holidays, so Monday 2027-01-04.
    expect(addWorkingDays(definition, sh("2026-12-31T10:00"), 1)).toEqual(sh("2027-01-04T10:00"));
    // Across the Spring Festival (5–13 Feb) and the weekend after it.
    expect(addWorkingDays(definition, sh("2027-02-04T10:00"), 1)).toEqual(sh("2027-02-15T10:00"));
    // Saturday 2027-02-20 is an adjusted working day.
    expect(addWorkingDays(definition, sh("2027-02-19T10:00"), 1)).toEqual(sh("2027-02-20T10:00"));

    expect(await auditCount()).toBe(audits + 1);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityType: "BusinessCalendar" }, orderBy: { id: "desc" } });
    expect(event.action).toBe("calendar.year.replace");
    expect(event.before).toEqual({ year: 2027, holidays: [], adjustedWorkingDays: [], version: current.version });
    expect(event.after).toMatchObject({ year: 2027, version: current.version + 1 });
    expect((event.after as { holidays: unknown[] }).holidays).toHaveLength(17);
  });

  it("replaces 2027 as a whole, leaving 2026 alone", async () => {
    const current = await row();
    const corrected = {
      year: "2027",
      holidays: [{ name: "元旦", nameEn: "", from: "2027-01-01", to: "2027-01-01" }],
      adjustedWorkingDays: [],
    };
    await run(replaceCalendarYear, replaceYearSchema.parse(yearForm({ ...corrected, calendarId: DEFAULT_ID, version: current.version })));
    const definition = await definitionOf();
    expect(definition.holidays.filter((h) => h.date.startsWith("2027-"))).toEqual([{ date: "2027-01-01", name: "元旦" }]);
    expect(definition.adjustedWorkingDays.filter((d) => d.date.startsWith("2027-"))).toEqual([]);
    expect(definition.holidays.filter((h) => h.date.startsWith("2026-"))).toHaveLength(33);
    expect(addWorkingDays(definition, sh("2026-12-31T10:00"), 1)).toEqual(sh("2027-01-04T10:00"));
    expect(addWorkingDays(definition, sh("2027-02-04T10:00"), 1)).toEqual(sh("2027-02-05T10:00"));
  });

  it("refuses a year change from an out-of-date page (STALE)", async () => {
    const current = await row();
    const input = replaceYearSchema.parse(yearForm({ ...notice2027, calendarId: DEFAULT_ID, version: current.version - 1 }));
    expect((await refusal(run(replaceCalendarYear, input))).code).toBe("STALE");
    const removal = removeYearSchema.parse({ calendarId: DEFAULT_ID, version: String(current.version - 1), year: "2027" });
    expect((await refusal(run(removeCalendarYear, removal))).code).toBe("STALE");
    expect(await row()).toEqual(current);
  });

  it("removes a year's data, and says so when a year has none", async () => {
    const current = await row();
    await run(removeCalendarYear, removeYearSchema.parse({ calendarId: DEFAULT_ID, version: String(current.version), year: "2027" }));
    const definition = await definitionOf();
    expect(yearsWithHolidayData(definition)).toEqual([2026]);
    expect(addWorkingDays(definition, sh("2026-12-31T10:00"), 1)).toEqual(sh("2027-01-01T10:00"));
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityType: "BusinessCalendar" }, orderBy: { id: "desc" } });
    expect(event.action).toBe("calendar.year.remove");
    expect(event.after).toEqual({ year: 2027, holidays: [], adjustedWorkingDays: [], version: current.version + 1 });

    const again = removeYearSchema.parse({ calendarId: DEFAULT_ID, version: String(current.version + 1), year: "2027" });
    expect(await refusal(run(removeCalendarYear, again))).toMatchObject({ code: "INVALID_STATE", messageKey: "calendar.errors.yearHasNoData" });
  });

  it("refuses 调休 days for a calendar whose adjusted-day hours are empty", async () => {
    // Written outside the app (a stored definition with empty adjusted-day hours and no 调休 days
    // is valid); adding a 调休 day to it must be refused.
    const current = await row();
    const definition: CalendarDefinition = { ...(await definitionOf()), adjustedDayHours: [], adjustedWorkingDays: [] };
    await db.prisma.businessCalendar.update({ where: { id: DEFAULT_ID }, data: { definition } });
    const input = replaceYearSchema.parse(yearForm({ ...notice2027, calendarId: DEFAULT_ID, version: current.version }));
    expect(await refusal(run(replaceCalendarYear, input))).toMatchObject({ code: "VALIDATION", messageKey: "calendar.problems.EMPTY_ADJUSTED_DAY" });
    await db.prisma.businessCalendar.update({ where: { id: DEFAULT_ID }, data: { definition: buildDefaultChinaCalendar() } });
  });
});

describe("creating calendars and the default flag", () => {
  let shanghaiOffice: string;

  it("creates a calendar with the official holidays, not the default", async () => {
    const input = calendarCreateSchema.parse(
      settingsForm({ code: "sh-office", name: "上海办公室", nameEn: "Shanghai office", timeZone: "asia/shanghai", includeOfficialHolidays: true }),
    );
    expect(input).toMatchObject({ code: "SH-OFFICE", timeZone: "Asia/Shanghai", isDefault: false });
    ({ id: shanghaiOffice } = await run(createCalendar, input));
    const created = await row(shanghaiOffice);
    expect(created).toMatchObject({ code: "SH-OFFICE", isDefault: false, version: 1 });
    expect((await definitionOf(shanghaiOffice)).holidays).toEqual(buildDefaultChinaCalendar().holidays);
    expect(await defaultIds()).toEqual([DEFAULT_ID]);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityId: shanghaiOffice } });
    expect(event).toMatchObject({ action: "calendar.create", entityType: "BusinessCalendar", before: null });
  });

  it("refuses a code another calendar has, whatever its case, on the code field", async () => {
    const create = calendarCreateSchema.parse(settingsForm({ code: "SH-office", name: "重复", nameEn: "Duplicate" }));
    expect(await refusal(run(createCalendar, create))).toMatchObject({ code: "CONFLICT", messageKey: "calendar.errors.codeTaken", options: { field: "code" } });
    const current = await row();
    const update = calendarUpdateSchema.parse(settingsForm({ id: DEFAULT_ID, version: current.version, isDefault: true, code: "SH-OFFICE" }));
    expect(await refusal(run(updateCalendar, update))).toMatchObject({ code: "CONFLICT", options: { field: "code" } });
    expect(await db.prisma.businessCalendar.count()).toBe(2);
  });

  it("makes another calendar the default in one transaction: exactly one default afterwards", async () => {
    const oldDefault = await row();
    const office = await row(shanghaiOffice);
    const input = calendarUpdateSchema.parse(
      settingsForm({ id: shanghaiOffice, version: office.version, code: "SH-OFFICE", name: "上海办公室", nameEn: "Shanghai office", isDefault: true }),
    );
    await run(updateCalendar, input);
    expect(await defaultIds()).toEqual([shanghaiOffice]);
    expect((await loadCalendar(db.prisma)).id).toBe(shanghaiOffice);
    // The old default changed too: its version moved on and the change is audited.
    expect((await row()).version).toBe(oldDefault.version + 1);
    const cleared = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "calendar.default.clear" } });
    expect(cleared).toMatchObject({ entityId: DEFAULT_ID, before: { isDefault: true }, after: { isDefault: false } });

    // A form still showing the old default as the default is out of date.
    const stalePage = calendarUpdateSchema.parse(settingsForm({ id: DEFAULT_ID, version: oldDefault.version, isDefault: true }));
    expect((await refusal(run(updateCalendar, stalePage))).code).toBe("STALE");
    expect(await defaultIds()).toEqual([shanghaiOffice]);
  });

  it("refuses removing the default flag from the only default", async () => {
    const office = await row(shanghaiOffice);
    const input = calendarUpdateSchema.parse(settingsForm({ id: shanghaiOffice, version: office.version, code: "SH-OFFICE", isDefault: false }));
    expect(await refusal(run(updateCalendar, input))).toMatchObject({ code: "INVALID_STATE", messageKey: "calendar.errors.lastDefault", options: { field: "isDefault" } });
    expect(await defaultIds()).toEqual([shanghaiOffice]);
  });

  it("a new calendar created as the default takes the flag from the others", async () => {
    const input = calendarCreateSchema.parse(settingsForm({ code: "BERLIN", name: "柏林", nameEn: "Berlin", timeZone: "Europe/Berlin", isDefault: true }));
    const { id } = await run(createCalendar, input);
    expect(await defaultIds()).toEqual([id]);
    // Put the shipped calendar back as the default.
    const current = await row();
    await run(updateCalendar, calendarUpdateSchema.parse(settingsForm({ id: DEFAULT_ID, version: current.version, isDefault: true })));
    expect(await defaultIds()).toEqual([DEFAULT_ID]);
  });

  it("keeps exactly one default when two ADMINs make two calendars the default at once", async () => {
    const [a, b] = await Promise.all(
      ["RACE-A", "RACE-B"].map((code) => run(createCalendar, calendarCreateSchema.parse(settingsForm({ code, name: code, nameEn: code })))),
    );
    const [rowA, rowB] = await Promise.all([row(a.id), row(b.id)]);
    const makeDefault = (r: typeof rowA) =>
      run(updateCalendar, calendarUpdateSchema.parse(settingsForm({ id: r.id, version: r.version, code: r.code, name: r.name, nameEn: r.nameEn, isDefault: true })));
    const outcomes = await Promise.allSettled([makeDefault(rowA), makeDefault(rowB)]);
    expect(outcomes.filter((o) => o.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
    expect(await defaultIds()).toHaveLength(1);
  });
});
