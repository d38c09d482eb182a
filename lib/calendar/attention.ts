import "server-only";
import type { AttentionItem } from "@/lib/home/attention";
import type { Actor } from "@/lib/server/actor";
import { db, type Tx } from "@/lib/server/db";
import { yearsToWarnAbout } from "./holiday-data";
import { calendarDefinitionSchema } from "./schemas";

// ADMIN's home page: a calendar without holiday data for this year, or for next year from
// 1 November on (the State Council publishes it in November), computes deadlines falling there on
// the weekly hours alone. One item per calendar and year, linking to the form that loads the year.
// The default calendar always counts; another one only if it keeps holidays at all (a 24/7 desk
// calendar that lists none is not nagged about).

export async function calendarAttentionFrom(actor: Pick<Actor, "permissions">, client: Tx, now = new Date()): Promise<AttentionItem[]> {
  if (!actor.permissions.has("calendars.manage")) return [];
  const rows = await client.businessCalendar.findMany({ select: { id: true, code: true, name: true, nameEn: true, isDefault: true, definition: true }, orderBy: [{ isDefault: "desc" }, { code: "asc" }] });
  const items: AttentionItem[] = [];
  for (const row of rows) {
    const parsed = calendarDefinitionSchema.safeParse(row.definition);
    if (!parsed.success) continue;
    for (const year of yearsToWarnAbout(parsed.data, now, { always: row.isDefault })) {
      items.push({
        key: `calendar.missingYear.${row.code}.${year}`,
        labelKey: "calendar.attention.missingYear",
        params: { year, name: row.name, nameEn: row.nameEn || row.name },
        href: `/settings/calendars/${row.id}/years?year=${year}`,
      });
    }
  }
  return items;
}

/** The home page's source of calendar items (lib/home/attention.ts). */
export async function calendarAttention(actor: Actor): Promise<AttentionItem[]> {
  return calendarAttentionFrom(actor, db());
}
