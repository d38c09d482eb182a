import "server-only";
import type { Tx } from "@/lib/server/db";
import { provisionalYear } from "./holiday-data";
import { calendarDefinitionSchema, type CalendarDefinition } from "./schemas";

// Which stored deadlines are provisional (their year has no holiday data in the calendar that
// computed them), for pages that list deadlines without loading calendars themselves. The
// calendars are a handful of rows, read once per page.

export type HolidayCoverage = {
  /** The year without holiday data that `at` falls in on that calendar (the default one when
   * none is named), or null when the deadline is not provisional. */
  provisionalYear(at: Date | null | undefined, calendarId?: string | null): number | null;
};

export async function loadHolidayCoverage(client: Tx): Promise<HolidayCoverage> {
  const rows = await client.businessCalendar.findMany({ select: { id: true, isDefault: true, definition: true }, orderBy: { createdAt: "asc" } });
  const calendars = new Map<string, CalendarDefinition>();
  let fallback: CalendarDefinition | undefined;
  for (const row of rows) {
    const parsed = calendarDefinitionSchema.safeParse(row.definition);
    if (!parsed.success) continue; // an invalid stored calendar computes nothing either
    calendars.set(row.id, parsed.data);
    if (row.isDefault && !fallback) fallback = parsed.data;
  }
  return {
    provisionalYear(at, calendarId) {
      if (!at) return null;
      const calendar = (calendarId ? calendars.get(calendarId) : undefined) ?? fallback;
      return calendar ? provisionalYear(calendar, at) : null;
    },
  };
}
