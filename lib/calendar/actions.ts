"use server";
import { defineAction } from "@/lib/server/action";
import { calendarCreateSchema, calendarUpdateSchema, removeYearSchema, replaceYearSchema } from "./admin-schemas";
import { createCalendar, removeCalendarYear, replaceCalendarYear, updateCalendar } from "./commands";

// The calendar administration's Server Actions: each one is defineAction (session → actor → zod →
// permission → transaction → command → audit → typed result). ADMIN only (calendars.manage).

const LIST = "/settings/calendars";

export const createCalendarAction = defineAction({
  schema: calendarCreateSchema,
  permission: "calendars.manage",
  run: createCalendar,
  revalidate: () => [LIST],
});

export const updateCalendarAction = defineAction({
  schema: calendarUpdateSchema,
  permission: "calendars.manage",
  run: updateCalendar,
  revalidate: ({ id }) => [LIST, `${LIST}/${id}`],
});

export const replaceCalendarYearAction = defineAction({
  schema: replaceYearSchema,
  permission: "calendars.manage",
  run: replaceCalendarYear,
  revalidate: ({ id }) => [LIST, `${LIST}/${id}`, `${LIST}/${id}/years`],
});

export const removeCalendarYearAction = defineAction({
  schema: removeYearSchema,
  permission: "calendars.manage",
  run: removeCalendarYear,
  revalidate: ({ id }) => [LIST, `${LIST}/${id}`, `${LIST}/${id}/years`],
});
