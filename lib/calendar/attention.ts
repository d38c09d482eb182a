import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AttentionItem } from "@/lib/home/attention";
import { runAttentionQuery, type AttentionQuery } from "@/lib/home/attention-query";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/db";
import { yearsToWarnAbout } from "./holiday-data";
import { calendarDefinitionSchema } from "./schemas";

// ADMIN's home page: a calendar without holiday data for this year, or for next year from
// 1 November on (the State Council publishes it in November), computes deadlines falling there on
// the weekly hours alone. One item per calendar and year, linking to the form that loads the year.
// The default calendar always counts; another one only if it keeps holidays at all (a 24/7 desk
// calendar that lists none is not nagged about).

type Row = { id: string; code: string; name: string; nameEn: string; isDefault: boolean; definition: unknown };

/** The statement (every calendar as one JSON array) and its items; null without calendars.manage.
 * The home page runs it in its one statement (lib/home/attention-query.ts). */
export function calendarAttentionQuery(actor: Pick<Actor, "permissions">, now = new Date()): AttentionQuery<{ rows: Row[] }> | null {
  if (!actor.permissions.has("calendars.manage")) return null;
  return {
    sql: Prisma.sql`
      SELECT coalesce(json_agg(json_build_object('id', id, 'code', code, 'name', name, 'nameEn', name_en, 'isDefault', is_default, 'definition', definition)
                               ORDER BY is_default DESC, code ASC), '[]'::json) AS rows
        FROM business_calendars`,
    items: ({ rows }) => calendarItems(rows, now),
  };
}

function calendarItems(rows: Row[], now: Date): AttentionItem[] {
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

export async function calendarAttentionFrom(actor: Pick<Actor, "permissions">, client: Tx, now = new Date()): Promise<AttentionItem[]> {
  return runAttentionQuery(client, calendarAttentionQuery(actor, now));
}
