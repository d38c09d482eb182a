import "server-only";
import type { Tx } from "@/lib/server/db";
import { calendarDefinitionSchema, type CalendarDefinition } from "./schemas";

export type StoredCalendar = { id: string; code: string; name: string; nameEn: string; definition: CalendarDefinition };

/**
 * A business calendar from the database, its definition validated; without an id, the default
 * calendar. Every capability that computes a deadline loads its calendar through this.
 */
export async function loadCalendar(tx: Tx, id?: string): Promise<StoredCalendar> {
  const row = id
    ? await tx.businessCalendar.findUnique({ where: { id } })
    : await tx.businessCalendar.findFirst({ where: { isDefault: true }, orderBy: { createdAt: "asc" } });
  if (!row) throw new Error(id ? `Business calendar ${id} does not exist` : "No default business calendar (the calendars migration inserts one)");
  return { id: row.id, code: row.code, name: row.name, nameEn: row.nameEn, definition: calendarDefinitionSchema.parse(row.definition) };
}
