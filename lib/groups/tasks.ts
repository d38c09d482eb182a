import { Prisma } from "@/lib/generated/prisma/client";
import { planDeliveriesFor } from "@/lib/notifications/service";
import type { Tx } from "@/lib/server/prisma-client";
import { isoDay, localDay } from "./policy-rules";
import { LIVE_STATUSES } from "./schemas";
import { VIOLATING_GROUP_SQL } from "./wecom-sql";

// The owners' tasks about the groups the WeCom sync found (issue 14): ONE notification per owner,
// never one per group (at scale 1 an owner may have hundreds), written set-based.
// - "Register your groups": one row per owner for good (dedupe key groups.unregistered:<owner>);
//   its count follows the owner's unregistered groups; it comes back unread (and to the top) when
//   the count grows, and is marked read when it reaches 0.
// - "Your groups break the membership rules": one a day per owner (dedupe key
//   groups.violations:<owner>:<day>, the day in China), its count refreshed by each re-check.
// `ownerIds` narrows the refresh to those owners (a callback, a registration); null is everyone.
// Beyond the home page, each notice new to the owner (or whose count grew) is handed to the
// notification planner's set-based entry (planDeliveriesFor), so it reaches them by WeCom or
// e-mail as they chose, with quiet hours and limits: "register your groups" at most once a day
// (delivery key <notice>:<day>), "rules broken" when the day's notice is first written.

export const UNREGISTERED_NOTICE_KIND = "groups.unregistered";
export const VIOLATIONS_NOTICE_KIND = "groups.violations";
export const UNREGISTERED_HREF = "/groups?outside=1&mine=owner";
export const VIOLATIONS_HREF = "/groups?violations=1&mine=owner";

/** An unregistered group: found in WeCom without a request here, still live, still in WeCom. */
export const UNREGISTERED_GROUP_SQL = `g.outside_portal AND g.wecom_gone_at IS NULL AND g.status IN (${LIVE_STATUSES.map((s) => `'${s}'`).join(", ")})`;

const onlyOwners = (ownerIds: readonly string[] | null) => (ownerIds ? Prisma.sql`AND g.owner_id = ANY(${[...ownerIds]}::text[])` : Prisma.empty);

/** Refreshes the owners' "register your groups" notices; returns how many were created or changed. */
export async function refreshUnregisteredNotices(tx: Tx, now: Date, ownerIds: readonly string[] | null = null): Promise<number> {
  if (ownerIds && ownerIds.length === 0) return 0;
  const keys = ownerIds ? Prisma.sql`AND n.dedupe_key = ANY(${ownerIds.map((o) => `${UNREGISTERED_NOTICE_KIND}:${o}`)}::text[])` : Prisma.sql`AND n.kind = ${UNREGISTERED_NOTICE_KIND}`;
  const rows = await tx.$queryRaw<{ changed: number; fresh: string[] }[]>`
    WITH counts AS (
      SELECT g.owner_id, count(*)::int AS n FROM work_groups g
       WHERE ${Prisma.raw(UNREGISTERED_GROUP_SQL)} AND g.owner_id IS NOT NULL ${onlyOwners(ownerIds)}
       GROUP BY g.owner_id
    ), prior AS (
      SELECT n.recipient_id, COALESCE((n.params->>'count')::int, 0) AS n FROM notifications n JOIN counts c ON n.dedupe_key = ${UNREGISTERED_NOTICE_KIND} || ':' || c.owner_id
    ), upserted AS (
      INSERT INTO notifications AS n (id, recipient_id, kind, message_key, params, href, dedupe_key, created_at, updated_at)
      SELECT replace(gen_random_uuid()::text, '-', ''), c.owner_id, ${UNREGISTERED_NOTICE_KIND}, 'groups.notices.unregistered', jsonb_build_object('count', c.n),
             ${UNREGISTERED_HREF}, ${UNREGISTERED_NOTICE_KIND} || ':' || c.owner_id, ${now}, ${now}
        FROM counts c
      ON CONFLICT (dedupe_key) DO UPDATE
         SET params = EXCLUDED.params,
             read_at = CASE WHEN (EXCLUDED.params->>'count')::int > COALESCE((n.params->>'count')::int, 0) THEN NULL ELSE n.read_at END,
             created_at = CASE WHEN (EXCLUDED.params->>'count')::int > COALESCE((n.params->>'count')::int, 0) THEN EXCLUDED.created_at ELSE n.created_at END,
             updated_at = EXCLUDED.updated_at
       WHERE n.params IS DISTINCT FROM EXCLUDED.params
      RETURNING n.id, n.recipient_id, (n.params->>'count')::int AS n
    ), cleared AS (
      UPDATE notifications n SET params = jsonb_build_object('count', 0), read_at = COALESCE(n.read_at, ${now}), updated_at = ${now}
       WHERE COALESCE((n.params->>'count')::int, 0) > 0 ${keys}
         AND NOT EXISTS (SELECT 1 FROM counts c WHERE c.owner_id = n.recipient_id)
      RETURNING 1
    )
    SELECT ((SELECT count(*) FROM upserted) + (SELECT count(*) FROM cleared))::int AS changed,
           COALESCE((SELECT array_agg(u.id) FROM upserted u LEFT JOIN prior p ON p.recipient_id = u.recipient_id WHERE p.recipient_id IS NULL OR u.n > p.n), '{}') AS fresh`;
  await planDeliveriesFor(tx, { notificationIds: rows[0].fresh, kind: UNREGISTERED_NOTICE_KIND, keySuffix: `:${isoDay(localDay(now))}` }, now);
  return rows[0].changed;
}

/**
 * Writes today's "your groups break the membership rules" notice of each owner with such groups,
 * and settles today's notice of an owner who has none left (count 0, read). Returns how many
 * notices were created or changed.
 */
export async function refreshViolationNotices(tx: Tx, now: Date, ownerIds: readonly string[] | null = null): Promise<number> {
  if (ownerIds && ownerIds.length === 0) return 0;
  const day = isoDay(localDay(now));
  const todays = ownerIds
    ? Prisma.sql`n.dedupe_key = ANY(${ownerIds.map((o) => `${VIOLATIONS_NOTICE_KIND}:${o}:${day}`)}::text[])`
    : Prisma.sql`n.kind = ${VIOLATIONS_NOTICE_KIND} AND n.dedupe_key LIKE ${`${VIOLATIONS_NOTICE_KIND}:%:${day}`}`;
  const rows = await tx.$queryRaw<{ changed: number; fresh: string[] }[]>`
    WITH counts AS (
      SELECT g.owner_id, count(*)::int AS n FROM work_groups g
       WHERE ${Prisma.raw(VIOLATING_GROUP_SQL)} AND g.owner_id IS NOT NULL ${onlyOwners(ownerIds)}
       GROUP BY g.owner_id
    ), upserted AS (
      INSERT INTO notifications AS n (id, recipient_id, kind, message_key, params, href, dedupe_key, created_at, updated_at)
      SELECT replace(gen_random_uuid()::text, '-', ''), c.owner_id, ${VIOLATIONS_NOTICE_KIND}, 'groups.notices.violations', jsonb_build_object('count', c.n),
             ${VIOLATIONS_HREF}, ${VIOLATIONS_NOTICE_KIND} || ':' || c.owner_id || ':' || ${day}, ${now}, ${now}
        FROM counts c
      ON CONFLICT (dedupe_key) DO UPDATE SET params = EXCLUDED.params, updated_at = EXCLUDED.updated_at
       WHERE n.params IS DISTINCT FROM EXCLUDED.params
      RETURNING n.id, (xmax = 0) AS inserted
    ), settled AS (
      UPDATE notifications n SET params = jsonb_build_object('count', 0), read_at = COALESCE(n.read_at, ${now}), updated_at = ${now}
       WHERE ${todays} AND COALESCE((n.params->>'count')::int, 0) > 0
         AND NOT EXISTS (SELECT 1 FROM counts c WHERE c.owner_id = n.recipient_id)
      RETURNING 1
    )
    SELECT ((SELECT count(*) FROM upserted) + (SELECT count(*) FROM settled))::int AS changed,
           COALESCE((SELECT array_agg(u.id) FROM upserted u WHERE u.inserted), '{}') AS fresh`;
  await planDeliveriesFor(tx, { notificationIds: rows[0].fresh, kind: VIOLATIONS_NOTICE_KIND }, now);
  return rows[0].changed;
}
