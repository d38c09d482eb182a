import { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/server/prisma-client";
import { CLASSIFICATION_ORDER, type MembershipRules } from "./membership";
import { LIVE_STATUSES } from "./schemas";

// Membership governance (SPEC §4, 成员准入): the synced WeCom groups checked against the rules of
// the policy in force, set-based. A group is GOVERNED while it is live here (pending, active or
// pending dissolution), was seen in WeCom and WeCom has not dropped it. For each governed group:
// - EXTERNAL_MEMBER: it has external members and its classification allows none;
// - DEPARTED_MEMBER: an internal member (other than the owner, whose departure is the group being
//   ownerless, with its own handover) is an employee who has left — DEPARTED here, or reported
//   by WeCom as left (employees.wecom_status 5, recorded by the directory sync) — and its
//   classification does not let leavers stay;
// - OVER_SIZE: internal + external members exceed its classification's limit.
// One open row per group and kind (work_group_violations, partial unique index): a violation still
// true keeps its row (details refreshed), one no longer true — or on a group no longer governed —
// is resolved; nothing is deleted. Used by the sync's governance step (every group, a slice at a
// time), the callback (one group) and a registration (one group, its classification changed).

/** How many departed members' userids a violation's details keep (the count is always whole). */
const DEPARTED_KEPT = 20;

const LIVE_SQL = Prisma.raw(LIVE_STATUSES.map((s) => `'${s}'`).join(", "));

/** Some groups by id, or the WeCom groups whose chat id is after `after` and up to `upTo` (null: to the end). */
export type RecheckScope = { groupIds: readonly string[] } | { after: string; upTo: string | null };
export type RecheckResult = { checked: number; opened: number; resolved: number };

/** Re-checks the groups in scope; returns how many were checked, opened and resolved. */
export async function recheckMembership(tx: Tx, rules: MembershipRules, scope: RecheckScope, now: Date): Promise<RecheckResult> {
  const rulesRows = Prisma.join(
    CLASSIFICATION_ORDER.map((c) => Prisma.sql`(${c}::text, ${rules[c].externalAllowed}::boolean, ${rules[c].maxMembers}::int, ${rules[c].departedMayStay}::boolean)`),
  );
  const selection =
    "groupIds" in scope
      ? Prisma.sql`SELECT g.* FROM work_groups g WHERE g.id = ANY(${[...scope.groupIds]}::text[])`
      : Prisma.sql`SELECT g.* FROM work_groups g WHERE g.platform = 'WECOM' AND g.external_id IS NOT NULL AND g.external_id > ${scope.after}
                    ${scope.upTo === null ? Prisma.empty : Prisma.sql`AND g.external_id <= ${scope.upTo}`}`;
  const rows = await tx.$queryRaw<{ checked: number; opened: number; resolved: number }[]>`
    WITH rules (cls, external_ok, max_members, departed_ok) AS (VALUES ${rulesRows}),
    picked AS (${selection}),
    g AS (
      SELECT p.id, p.external_id, p.classification::text AS cls, p.wecom_owner_userid, p.internal_member_userids,
             COALESCE(p.internal_member_count, 0) AS internal, COALESCE(p.external_member_count, 0) AS external,
             (p.wecom_last_seen_at IS NOT NULL AND p.wecom_gone_at IS NULL AND p.status IN (${LIVE_SQL})) AS governed
        FROM picked p
    ),
    departed AS (
      SELECT g.id, array_agg(u.userid ORDER BY u.userid) AS userids
        FROM g CROSS JOIN LATERAL unnest(g.internal_member_userids) AS u(userid)
        JOIN employees e ON e.wecom_userid = u.userid
       WHERE g.governed AND u.userid IS DISTINCT FROM g.wecom_owner_userid AND (e.status = 'DEPARTED' OR e.wecom_status = 5)
       GROUP BY g.id
    ),
    found AS (
      SELECT g.id AS group_id, 'EXTERNAL_MEMBER'::text AS kind, jsonb_build_object('external', g.external) AS details
        FROM g JOIN rules r ON r.cls = g.cls WHERE g.governed AND NOT r.external_ok AND g.external > 0
      UNION ALL
      SELECT g.id, 'DEPARTED_MEMBER', jsonb_build_object('departed', cardinality(d.userids), 'userids', to_jsonb(d.userids[1:${DEPARTED_KEPT}]))
        FROM departed d JOIN g ON g.id = d.id JOIN rules r ON r.cls = g.cls WHERE NOT r.departed_ok
      UNION ALL
      SELECT g.id, 'OVER_SIZE', jsonb_build_object('members', g.internal + g.external, 'limit', r.max_members)
        FROM g JOIN rules r ON r.cls = g.cls WHERE g.governed AND g.internal + g.external > r.max_members
    ),
    opened AS (
      INSERT INTO work_group_violations (id, group_id, kind, details, opened_at, last_checked_at, created_at, updated_at)
      SELECT replace(gen_random_uuid()::text, '-', ''), f.group_id, f.kind, f.details, ${now}, ${now}, ${now}, ${now} FROM found f
      ON CONFLICT (group_id, kind) WHERE resolved_at IS NULL DO UPDATE
         SET details = EXCLUDED.details, last_checked_at = EXCLUDED.last_checked_at,
             updated_at = CASE WHEN work_group_violations.details IS DISTINCT FROM EXCLUDED.details THEN EXCLUDED.updated_at ELSE work_group_violations.updated_at END
      RETURNING (xmax = 0) AS inserted
    ),
    resolved AS (
      UPDATE work_group_violations v SET resolved_at = ${now}, last_checked_at = ${now}, updated_at = ${now}
        FROM g
       WHERE v.group_id = g.id AND v.resolved_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM found f WHERE f.group_id = v.group_id AND f.kind = v.kind)
      RETURNING v.id
    )
    SELECT (SELECT count(*)::int FROM g) AS checked,
           (SELECT count(*)::int FROM opened WHERE inserted) AS opened,
           (SELECT count(*)::int FROM resolved) AS resolved`;
  const r = rows[0];
  return { checked: r.checked, opened: r.opened, resolved: r.resolved };
}
