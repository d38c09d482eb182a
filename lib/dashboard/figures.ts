import { HELD_STATUSES } from "@/lib/accounts/schemas";
import type { Permission } from "@/lib/auth/permissions";
import { GOVERNED_GROUP_SQL, VIOLATING_GROUP_SQL } from "@/lib/groups/wecom-sql";
import { ARCHIVE_STALE_DAYS } from "@/lib/groups/policy-rules";
import { EXPIRING_DAYS, RECENT_WITHDRAWAL_DAYS } from "@/lib/privacy/schemas";

/** Attainment counts the cases received in this many days (a rolling four weeks). */
export const SERVICE_WINDOW_DAYS = 28;
/** "Expiring" consents: expiry within the consent list's window (lib/privacy/schemas.ts). */
const CONSENT_EXPIRING_DAYS = EXPIRING_DAYS;

// The figures of the compliance dashboard (SPEC §10), one definition each: how it is counted (one
// SQL aggregate per figure, grouped by department), which way is better, its default target, its
// weight in the compliance score, and the list behind it. docs/dashboard.md explains each one.
//
// Every query returns, for each department under the scope's path, that department's OWN rows:
//   department_id, value (numerator, or the largest age for a "max" figure), total (denominator)
// and the dashboard sums them up the tree, so one pass answers the scope and every department
// ranked below it. Parameters, read through the `params` row: scope ($1, a path prefix with '%',
// '/%' for the whole company), now ($2, timestamptz), today ($3, the date in China).

export type FigureKind = "rate" | "count" | "max";
export type Better = "lower" | "higher";
export type FigureDomain = "approvals" | "groups" | "offboarding" | "accounts" | "privacy" | "service" | "training";

export type FigureDef = {
  key: string;
  domain: FigureDomain;
  kind: FigureKind;
  better: Better;
  /** In the figure's display unit: percent for a rate, a count, days for "max". */
  defaultTarget: { green: number; amber: number };
  /** Weight in the compliance score (docs/dashboard.md); 0 leaves it out. */
  weight: number;
  sql: string;
  /** The list behind the figure, filtered as the figure counts; null when there is none. */
  list?: { href: (departmentId: string | null) => string; anyOf: readonly Permission[] };
};

const inScope = (deptColumn: string) => `JOIN departments d ON d.id = ${deptColumn} AND d.path LIKE params.scope`;
/** A department column limited to the scope's subtree (a semi-join on the 300-odd departments). */
// ($1 itself, not params.scope: a subquery that refers to the params row is re-run for every row
// instead of being hashed once.)
const deptIn = (deptColumn: string) => `${deptColumn} IN (SELECT id FROM departments WHERE path LIKE $1::text)`;
/** Every query reads its three parameters through one row, so each statement uses all of them. */
const withParams = (body: string) => `WITH params AS (SELECT $1::text AS scope, $2::timestamptz AS now, $3::date AS today) ${body}`;
const withDept = (base: string, departmentId: string | null) => (departmentId ? `${base}${base.includes("?") ? "&" : "?"}department=${departmentId}` : base);

export const FIGURES: readonly FigureDef[] = [
  {
    key: "approvals.overdue",
    domain: "approvals",
    kind: "rate",
    better: "lower",
    defaultTarget: { green: 5, amber: 15 },
    weight: 1,
    sql: withParams(`SELECT d.id AS department_id, count(*) FILTER (WHERE s.due_at < params.now) AS value, count(*) AS total
            FROM params CROSS JOIN approval_request_steps s JOIN approval_requests r ON r.id = s.request_id
            ${inScope("r.facts->>'managerOfDepartmentId'")}
           WHERE s.status = 'PENDING' AND r.status = 'PENDING' GROUP BY d.id`),
    list: { href: (dept) => withDept("/approvals/requests?status=PENDING&overdue=1", dept), anyOf: ["approvals.read:all", "dashboard.read:department"] },
  },
  {
    key: "approvals.oldestDays",
    domain: "approvals",
    kind: "max",
    better: "lower",
    defaultTarget: { green: 2, amber: 5 },
    weight: 0.5,
    sql: withParams(`SELECT d.id AS department_id, max(extract(epoch FROM (params.now - r.created_at)) / 86400) AS value, count(*) AS total
            FROM params CROSS JOIN approval_requests r ${inScope("r.facts->>'managerOfDepartmentId'")}
           WHERE r.status = 'PENDING' GROUP BY d.id`),
    list: { href: (dept) => withDept("/approvals/requests?status=PENDING&sort=createdAt&dir=asc", dept), anyOf: ["approvals.read:all", "dashboard.read:department"] },
  },
  {
    key: "groups.reviewOverdue",
    domain: "groups",
    kind: "rate",
    better: "lower",
    defaultTarget: { green: 2, amber: 5 },
    weight: 1,
    // Index-only on work_groups (status, department_id, review_due_at).
    sql: withParams(`SELECT g.department_id, count(*) FILTER (WHERE g.review_due_at < params.now) AS value, count(*) AS total
            FROM params CROSS JOIN work_groups g
           WHERE g.status = 'ACTIVE' AND ${deptIn("g.department_id")} GROUP BY g.department_id`),
    list: { href: (dept) => withDept("/groups?review=overdue", dept), anyOf: ["groups.read:all", "groups.read:department"] },
  },
  {
    key: "groups.ownerless",
    domain: "groups",
    kind: "rate",
    better: "lower",
    defaultTarget: { green: 0, amber: 1 },
    weight: 1,
    // Live groups per department (index-only), and those of departed owners (by the owner index).
    sql: withParams(`SELECT department_id, sum(value) AS value, sum(total) AS total FROM (
              SELECT g.department_id, 0 AS value, count(*) AS total FROM params CROSS JOIN work_groups g
               WHERE g.status IN ('PENDING_APPROVAL', 'ACTIVE', 'DISSOLUTION_PENDING') AND ${deptIn("g.department_id")} GROUP BY g.department_id
              UNION ALL
              SELECT g.department_id, count(*), 0 FROM params CROSS JOIN work_groups g
               WHERE (g.owner_id = ANY (ARRAY(SELECT id FROM employees WHERE status = 'DEPARTED')) OR g.wecom_status IN (1, 2))
                 AND g.status IN ('PENDING_APPROVAL', 'ACTIVE', 'DISSOLUTION_PENDING') AND ${deptIn("g.department_id")} GROUP BY g.department_id
            ) x GROUP BY department_id`),
    list: { href: (dept) => withDept("/groups?ownerless=1", dept), anyOf: ["groups.read:all", "groups.read:department"] },
  },
  {
    key: "groups.archiveStale",
    domain: "groups",
    kind: "rate",
    better: "lower",
    defaultTarget: { green: 5, amber: 15 },
    weight: 0.5,
    // Index-only on work_groups (status, department_id, last_archived_on), kept by a trigger.
    sql: withParams(`SELECT g.department_id,
                 count(*) FILTER (WHERE g.last_archived_on IS NULL OR g.last_archived_on < params.today - ${ARCHIVE_STALE_DAYS}) AS value, count(*) AS total
            FROM params CROSS JOIN work_groups g
           WHERE g.status = 'ACTIVE' AND ${deptIn("g.department_id")} GROUP BY g.department_id`),
    list: { href: (dept) => withDept("/groups?archive=stale", dept), anyOf: ["groups.read:all", "groups.read:department"] },
  },
  {
    key: "groups.membershipViolations",
    domain: "groups",
    kind: "rate",
    better: "lower",
    defaultTarget: { green: 0, amber: 2 },
    weight: 1,
    // Groups synced from WeCom and governed (live, still in WeCom), and those with an open
    // membership violation (成员准入: external members, leavers, over the size; lib/groups/violations.ts).
    sql: withParams(`SELECT department_id, sum(value) AS value, sum(total) AS total FROM (
              SELECT g.department_id, 0 AS value, count(*) AS total FROM params CROSS JOIN work_groups g
               WHERE ${GOVERNED_GROUP_SQL} AND ${deptIn("g.department_id")} GROUP BY g.department_id
              UNION ALL
              SELECT g.department_id, count(*), 0 FROM params CROSS JOIN work_groups g
               WHERE ${VIOLATING_GROUP_SQL} AND ${deptIn("g.department_id")} GROUP BY g.department_id
            ) x GROUP BY department_id`),
    list: { href: (dept) => withDept("/groups?violations=1", dept), anyOf: ["groups.read:all", "groups.read:department"] },
  },
  {
    key: "offboarding.open",
    domain: "offboarding",
    kind: "count",
    better: "lower",
    defaultTarget: { green: 20, amber: 50 },
    weight: 0,
    sql: withParams(`SELECT d.id AS department_id, count(*) AS value, 0 AS total
            FROM params CROSS JOIN offboarding_cases c JOIN employees e ON e.id = c.employee_id ${inScope("e.department_id")}
           WHERE c.status = 'OPEN' GROUP BY d.id`),
    list: { href: (dept) => withDept("/offboarding?view=open", dept), anyOf: ["offboarding.read"] },
  },
  {
    key: "offboarding.pastDue",
    domain: "offboarding",
    kind: "count",
    better: "lower",
    defaultTarget: { green: 0, amber: 3 },
    weight: 1,
    sql: withParams(`SELECT d.id AS department_id, count(*) AS value, 0 AS total
            FROM params CROSS JOIN offboarding_cases c JOIN employees e ON e.id = c.employee_id ${inScope("e.department_id")}
           WHERE c.status = 'OPEN' AND c.last_working_day < params.today GROUP BY d.id`),
    list: { href: (dept) => withDept("/offboarding?view=pastDue", dept), anyOf: ["offboarding.read"] },
  },
  {
    key: "offboarding.contactsAtRisk",
    domain: "offboarding",
    kind: "count",
    better: "lower",
    defaultTarget: { green: 0, amber: 200 },
    weight: 1,
    // The open cases' customer handover items not yet done, plus the customers WeCom lists as
    // unassigned (get_unassigned_list, lib/wecom/unassigned.ts) of leavers with no open case — a
    // case's own items already count its leaver's customers. By the leaver's department; a WeCom
    // userid no employee carries has no department here and is not counted (HR is notified).
    sql: withParams(`SELECT department_id, sum(value) AS value, 0 AS total FROM (
              SELECT d.id AS department_id, count(*) AS value
                FROM params CROSS JOIN handover_items i JOIN offboarding_cases c ON c.id = i.case_id JOIN employees e ON e.id = c.employee_id ${inScope("e.department_id")}
               WHERE c.status = 'OPEN' AND i.kind = 'CONTACT' AND i.status IN ('PENDING', 'TRANSFERRING', 'REFUSED', 'FAILED') GROUP BY d.id
              UNION ALL
              SELECT d.id, count(*)
                FROM params CROSS JOIN wecom_unassigned_customers w JOIN employees e ON e.id = w.employee_id ${inScope("e.department_id")}
               WHERE NOT EXISTS (SELECT 1 FROM offboarding_cases c WHERE c.employee_id = e.id AND c.status = 'OPEN') GROUP BY d.id
            ) x GROUP BY department_id`),
    list: { href: (dept) => withDept("/offboarding?view=open", dept), anyOf: ["offboarding.read"] },
  },
  // --- Accounts (SPEC §5): by the custodian department --------------------------------------------
  {
    key: "accounts.heldByDeparted",
    domain: "accounts",
    kind: "count",
    better: "lower",
    defaultTarget: { green: 0, amber: 2 },
    weight: 1,
    // Accounts still on the platform (HELD_STATUSES) whose holder has left: handed over to nobody,
    // or waiting on a dissolution (by the holder index, as ownerless groups).
    sql: withParams(`SELECT a.custodian_department_id AS department_id, count(*) AS value, 0 AS total
            FROM params CROSS JOIN accounts a
           WHERE a.holder_id = ANY (ARRAY(SELECT id FROM employees WHERE status = 'DEPARTED'))
             AND a.status IN (${HELD_STATUSES.map((s) => `'${s}'`).join(", ")}) AND ${deptIn("a.custodian_department_id")}
           GROUP BY a.custodian_department_id`),
    list: { href: (dept) => withDept("/accounts?holderDeparted=1", dept), anyOf: ["accounts.read:all", "accounts.read:department"] },
  },
  // --- Service cases (SPEC §8): attainment over the cases received in the last 28 days, by team ----
  {
    key: "service.firstResponse",
    domain: "service",
    kind: "rate",
    better: "higher",
    defaultTarget: { green: 95, amber: 85 },
    weight: 1,
    // Met ÷ decided (met or breached), as the attainment report counts them (lib/service/reports.ts).
    sql: withParams(`SELECT c.team_id AS department_id,
                 count(*) FILTER (WHERE c.first_response_at IS NOT NULL AND c.first_response_at <= c.first_response_due_at) AS value,
                 count(*) FILTER (WHERE c.first_response_at IS NOT NULL OR (c.status = 'OPEN' AND c.first_response_due_at < params.now)) AS total
            FROM params CROSS JOIN service_cases c
           WHERE c.received_at >= params.now - interval '${SERVICE_WINDOW_DAYS} days' AND ${deptIn("c.team_id")} GROUP BY c.team_id`),
    // The attainment report over the same rolling window, narrowed to the department: its by-team
    // rows sum to this figure (met, and met + breached).
    list: { href: (dept) => withDept(`/service/reports?days=${SERVICE_WINDOW_DAYS}`, dept), anyOf: ["service.read:all", "service.read:department"] },
  },
  {
    key: "service.resolution",
    domain: "service",
    kind: "rate",
    better: "higher",
    defaultTarget: { green: 90, amber: 80 },
    weight: 1,
    sql: withParams(`SELECT c.team_id AS department_id,
                 count(*) FILTER (WHERE c.resolved_at IS NOT NULL AND c.resolved_at <= c.resolution_due_at) AS value,
                 count(*) FILTER (WHERE c.resolved_at IS NOT NULL OR (c.status = 'OPEN' AND c.resolution_due_at < params.now)) AS total
            FROM params CROSS JOIN service_cases c
           WHERE c.received_at >= params.now - interval '${SERVICE_WINDOW_DAYS} days' AND ${deptIn("c.team_id")} GROUP BY c.team_id`),
    list: { href: (dept) => withDept(`/service/reports?days=${SERVICE_WINDOW_DAYS}`, dept), anyOf: ["service.read:all", "service.read:department"] },
  },
  {
    key: "service.openBreaches",
    domain: "service",
    kind: "count",
    better: "lower",
    defaultTarget: { green: 0, amber: 5 },
    weight: 1,
    // Open cases past their next due time (index on status, next_due_at).
    sql: withParams(`SELECT c.team_id AS department_id, count(*) AS value, 0 AS total
            FROM params CROSS JOIN service_cases c
           WHERE c.status = 'OPEN' AND c.next_due_at < params.now AND ${deptIn("c.team_id")} GROUP BY c.team_id`),
    list: { href: (dept) => withDept("/service?view=breached", dept), anyOf: ["service.read:all", "service.read:department"] },
  },
  // --- Personal information (SPEC §7): a consent belongs to its collector's department; a request
  // to its assignee's (the creator's while unassigned) ----------------------------------------------
  {
    key: "privacy.consentsExpiring",
    domain: "privacy",
    kind: "count",
    better: "lower",
    defaultTarget: { green: 50, amber: 200 },
    weight: 0.5,
    // Valid consents whose expiry (renewals included) falls in the next 30 days: not withdrawn, not
    // renewed beyond the window. Candidates come from two index ranges on (kind, expires_at) — grants
    // and renewals expiring in the window — and renewals and withdrawals are hashed once (a few
    // percent of the register), so the million-row register is never scanned.
    sql: withParams(`SELECT e.department_id, count(*) AS value, 0 AS total
            FROM params CROSS JOIN (
                   SELECT g.id, g.collected_by_id, g.occurred_at, g.expires_at FROM params CROSS JOIN consent_events g
                    WHERE g.kind = 'GRANT' AND g.expires_at > params.now AND g.expires_at <= params.now + interval '${CONSENT_EXPIRING_DAYS} days'
                   UNION
                   SELECT g.id, g.collected_by_id, g.occurred_at, g.expires_at FROM params CROSS JOIN consent_events r JOIN consent_events g ON g.id = r.consent_id
                    WHERE r.kind = 'RENEW' AND r.expires_at > params.now AND r.expires_at <= params.now + interval '${CONSENT_EXPIRING_DAYS} days' AND r.occurred_at <= params.now
                 ) g
            JOIN employees e ON e.id = g.collected_by_id
            LEFT JOIN (SELECT r.consent_id, max(r.expires_at) AS renewed_to FROM params CROSS JOIN consent_events r
                        WHERE r.kind = 'RENEW' AND r.occurred_at <= params.now GROUP BY r.consent_id) rn ON rn.consent_id = g.id
            LEFT JOIN (SELECT DISTINCT w.consent_id FROM params CROSS JOIN consent_events w
                        WHERE w.kind = 'WITHDRAW' AND w.occurred_at <= params.now) wd ON wd.consent_id = g.id
           WHERE g.occurred_at <= params.now AND wd.consent_id IS NULL AND ${deptIn("e.department_id")}
             AND GREATEST(g.expires_at, rn.renewed_to) <= params.now + interval '${CONSENT_EXPIRING_DAYS} days'
           GROUP BY e.department_id`),
    list: { href: (dept) => withDept("/privacy/consents?state=expiring", dept), anyOf: ["privacy.read:all"] },
  },
  {
    key: "privacy.consentsWithdrawn",
    domain: "privacy",
    kind: "count",
    better: "lower",
    defaultTarget: { green: 100, amber: 500 },
    weight: 0,
    // Withdrawals recorded in the last 30 days (context: how often customers take consent back).
    sql: withParams(`SELECT e.department_id, count(*) AS value, 0 AS total
            FROM params CROSS JOIN consent_events w JOIN consent_events g ON g.id = w.consent_id JOIN employees e ON e.id = g.collected_by_id
           WHERE w.kind = 'WITHDRAW' AND w.occurred_at > params.now - interval '${RECENT_WITHDRAWAL_DAYS} days' AND w.occurred_at <= params.now AND ${deptIn("e.department_id")}
           GROUP BY e.department_id`),
    list: { href: (dept) => withDept(`/privacy/consents?state=withdrawn&withdrawnDays=${RECENT_WITHDRAWAL_DAYS}`, dept), anyOf: ["privacy.read:all"] },
  },
  {
    key: "privacy.consentsSelfGiven",
    domain: "privacy",
    kind: "rate",
    better: "higher",
    defaultTarget: { green: 50, amber: 20 },
    weight: 0,
    // Of the consents given in the last 30 days, the share the customer gave themselves on the
    // consent page (source CUSTOMER, with its evidence) rather than staff recording it (issue 19):
    // the register as evidence, not a claim. By the collector's department, as the other figures.
    sql: withParams(`SELECT e.department_id, count(*) FILTER (WHERE g.source = 'CUSTOMER') AS value, count(*) AS total
            FROM params CROSS JOIN consent_events g JOIN employees e ON e.id = g.collected_by_id
           WHERE g.kind = 'GRANT' AND g.occurred_at > params.now - interval '${RECENT_WITHDRAWAL_DAYS} days' AND g.occurred_at <= params.now AND ${deptIn("e.department_id")}
           GROUP BY e.department_id`),
  },
  {
    key: "privacy.requestsOverdue",
    domain: "privacy",
    kind: "count",
    better: "lower",
    defaultTarget: { green: 0, amber: 1 },
    weight: 1,
    sql: withParams(`SELECT COALESCE(a.department_id, c.department_id) AS department_id, count(*) AS value, 0 AS total
            FROM params CROSS JOIN privacy_requests r
            LEFT JOIN employees a ON a.id = r.assignee_id
            JOIN employees c ON c.id = r.created_by_id
           WHERE r.status IN ('RECEIVED', 'VERIFIED') AND r.due_at < params.now AND ${deptIn("COALESCE(a.department_id, c.department_id)")}
           GROUP BY 1`),
    list: { href: (dept) => withDept("/privacy/requests?overdue=1", dept), anyOf: ["privacy.read:all"] },
  },
  // --- Training and policy acknowledgement (SPEC §9): people who have not left, by their department -
  {
    key: "training.completion",
    domain: "training",
    kind: "rate",
    better: "higher",
    defaultTarget: { green: 95, amber: 80 },
    weight: 1,
    sql: withParams(`SELECT e.department_id, count(*) FILTER (WHERE a.status = 'COMPLETED') AS value, count(*) AS total
            FROM params CROSS JOIN training_assignments a JOIN employees e ON e.id = a.employee_id
           WHERE a.current AND e.status <> 'DEPARTED' AND ${deptIn("e.department_id")} GROUP BY e.department_id`),
    list: { href: (dept) => withDept("/training/overview?state=open", dept), anyOf: ["training.read:all", "training.read:department"] },
  },
  {
    key: "training.overdue",
    domain: "training",
    kind: "rate",
    better: "lower",
    defaultTarget: { green: 2, amber: 5 },
    weight: 1,
    sql: withParams(`SELECT e.department_id, count(*) FILTER (WHERE a.status = 'ASSIGNED' AND a.due_at < params.now) AS value, count(*) AS total
            FROM params CROSS JOIN training_assignments a JOIN employees e ON e.id = a.employee_id
           WHERE a.current AND e.status <> 'DEPARTED' AND ${deptIn("e.department_id")} GROUP BY e.department_id`),
    list: { href: (dept) => withDept("/training/overview?state=overdue", dept), anyOf: ["training.read:all", "training.read:department"] },
  },
  {
    key: "training.policyAcknowledged",
    domain: "training",
    kind: "rate",
    better: "higher",
    defaultTarget: { green: 95, amber: 85 },
    weight: 1,
    sql: withParams(`SELECT e.department_id, count(*) FILTER (WHERE k.acknowledged_at IS NOT NULL) AS value, count(*) AS total
            FROM params CROSS JOIN policy_acknowledgements k JOIN employees e ON e.id = k.employee_id
           WHERE k.current AND e.status <> 'DEPARTED' AND ${deptIn("e.department_id")} GROUP BY e.department_id`),
    list: { href: (dept) => withDept("/training/overview?state=open", dept), anyOf: ["training.read:all", "training.read:department"] },
  },
];

export const FIGURE_KEYS = FIGURES.map((f) => f.key);

export function figureByKey(key: string): FigureDef | undefined {
  return FIGURES.find((f) => f.key === key);
}
