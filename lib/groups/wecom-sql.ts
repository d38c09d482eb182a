import { LIVE_STATUSES } from "./schemas";

// SQL conditions on a work group (alias g) that several readers must agree on, kept pure (the
// dashboard's figure definitions import them).
const LIVE_LIST = LIVE_STATUSES.map((s) => `'${s}'`).join(", ");

/** A governed group (alias g): synced from WeCom, still there, live here — what the rules check. */
export const GOVERNED_GROUP_SQL = `g.platform = 'WECOM' AND g.wecom_last_seen_at IS NOT NULL AND g.wecom_gone_at IS NULL AND g.status IN (${LIVE_LIST})`;

/** A group with open membership violations (alias g), as the registry's filter reads it
 * (lib/groups/queries.ts VIOLATING_WHERE) and the dashboard counts it. */
export const VIOLATING_GROUP_SQL = `g.status IN (${LIVE_LIST}) AND g.wecom_gone_at IS NULL
  AND g.id IN (SELECT v.group_id FROM work_group_violations v WHERE v.resolved_at IS NULL)`;
