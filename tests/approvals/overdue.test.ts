import { describe, expect, it } from "vitest";
import { overdueBy, overdueLabel } from "@/lib/approvals/overdue";
import { buildDefaultChinaCalendar } from "@/lib/calendar";

// How long a step is overdue, in working time of the 2026 China calendar (Asia/Shanghai).
const cal = buildDefaultChinaCalendar();
const at = (local: string) => new Date(`${local}+08:00`);

describe("overdueBy", () => {
  it("is null until the due time has passed", () => {
    expect(overdueBy(cal, at("2026-10-09T10:00:00"), at("2026-10-09T10:00:00"))).toBeNull();
    expect(overdueBy(cal, null, at("2026-10-09T10:00:00"))).toBeNull();
  });

  it("counts hours and minutes of working time, not of the clock (the lunch break does not count)", () => {
    expect(overdueBy(cal, at("2026-10-09T10:00:00"), at("2026-10-09T14:30:00"))).toEqual({ days: 0, hours: 3, minutes: 30 });
  });

  it("counts whole working days, including a 调休 Saturday, and skips the weekend", () => {
    // Due Friday 10:00; Saturday 10 October is a working day (国庆节调休); Sunday is not.
    expect(overdueBy(cal, at("2026-10-09T10:00:00"), at("2026-10-12T13:00:00"))).toEqual({ days: 2, hours: 2, minutes: 0 });
  });

  it("is overdue without working time when the due time passed outside working hours", () => {
    const o = overdueBy(cal, at("2026-10-09T18:00:00"), at("2026-10-09T20:00:00"));
    expect(o).toEqual({ days: 0, hours: 0, minutes: 0 });
    expect(overdueLabel(o!)).toEqual({ key: "approvals.overdue.justNow", params: {} });
  });

  it("says it in days and hours, hours and minutes, or minutes", () => {
    expect(overdueLabel({ days: 2, hours: 3, minutes: 5 })).toEqual({ key: "approvals.overdue.daysHours", params: { days: 2, hours: 3 } });
    expect(overdueLabel({ days: 1, hours: 0, minutes: 5 })).toEqual({ key: "approvals.overdue.days", params: { days: 1, hours: 0 } });
    expect(overdueLabel({ days: 0, hours: 1, minutes: 5 })).toEqual({ key: "approvals.overdue.hoursMinutes", params: { hours: 1, minutes: 5 } });
    expect(overdueLabel({ days: 0, hours: 0, minutes: 7 })).toEqual({ key: "approvals.overdue.minutes", params: { minutes: 7 } });
  });
});
