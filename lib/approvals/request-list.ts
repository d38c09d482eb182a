import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/server/actor";
import { forbidden } from "@/lib/server/errors";
import type { Tx } from "@/lib/server/prisma-client";
import { REQUEST_TYPES } from "./types";

// Every approval request of a scope as a list (the dashboard's approvals figures open it): ADMIN
// and AUDITOR (approvals.read:all) see all of them; a MANAGER (dashboard.read:department) those
// of their department's subtree (the department whose manager the request asks first). Filters
// as the dashboard counts: status, type, overdue (a pending step past its due time), department.

const REQUEST_STATUSES = ["PENDING", "APPROVED", "REJECTED", "WITHDRAWN"] as const;
const id = z.string().regex(/^[a-z0-9]{8,40}$/i).optional().catch(undefined);

export const requestListSchema = z.object({
  status: z.enum(REQUEST_STATUSES).optional().catch(undefined),
  type: z.enum(REQUEST_TYPES).optional().catch(undefined),
  overdue: z.enum(["1"]).optional().catch(undefined),
  department: id,
  sort: z.enum(["createdAt"]).catch("createdAt"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type RequestListParams = z.output<typeof requestListSchema>;
export const REQUEST_LIST_FILTERS = ["status", "type", "overdue", "department"] as const;
export { REQUEST_STATUSES };

export const REQUEST_LIST_PAGE_SIZE = 50;

export type RequestListRow = {
  id: string;
  title: string;
  type: string;
  status: string;
  createdAt: Date;
  requesterName: string | null;
  departmentName: string | null;
  stepPosition: number | null;
  approverName: string | null;
  approverRole: string | null;
  dueAt: Date | null;
  /** The request's business calendar (its due dates are counted on it). */
  calendarId: string;
};

type Viewer = Pick<Actor, "permissions" | "departmentPath">;

export function canListRequests(actor: Pick<Actor, "permissions">): boolean {
  return actor.permissions.has("approvals.read:all") || actor.permissions.has("dashboard.read:department");
}

/** The WHERE clause and its parameters; the scope is part of it, so nothing outside is ever read. */
async function whereOf(actor: Viewer, tx: Tx, p: Omit<RequestListParams, "page" | "sort" | "dir">, now: Date): Promise<{ sql: string; values: unknown[] }> {
  if (!canListRequests(actor)) throw forbidden();
  const values: unknown[] = [];
  const and: string[] = [];
  const add = (clause: (n: number) => string, value: unknown) => {
    values.push(value);
    and.push(clause(values.length));
  };
  if (!actor.permissions.has("approvals.read:all")) add((n) => `d.path LIKE $${n}`, `${actor.departmentPath}%`);
  if (p.department) {
    const dept = await tx.department.findUnique({ where: { id: p.department }, select: { path: true } });
    add((n) => `d.path LIKE $${n}`, `${dept?.path ?? "/nothing/"}%`);
  }
  if (p.status) add((n) => `r.status = $${n}::"ApprovalRequestStatus"`, p.status);
  if (p.type) add((n) => `r.type = $${n}::"ApprovalRequestType"`, p.type);
  if (p.overdue) add((n) => `EXISTS (SELECT 1 FROM approval_request_steps o WHERE o.request_id = r.id AND o.status = 'PENDING' AND o.due_at < $${n})`, now);
  return { sql: and.length ? `WHERE ${and.join(" AND ")}` : "", values };
}

/** Requests with the department whose manager they ask first (the scope and filters refer to d). */
const FROM_SQL = `FROM approval_requests r JOIN departments d ON d.id = r.facts->>'managerOfDepartmentId'`;
/** A list row: the request, its requester, department and the step it waits on. */
const ROW_SQL = `SELECT r.id, r.title, r.type::text AS type, r.status::text AS status, r.created_at AS "createdAt", q.name AS "requesterName", d.name AS "departmentName",
            s.position AS "stepPosition", a.name AS "approverName", s.role::text AS "approverRole", s.due_at AS "dueAt", r.calendar_id AS "calendarId"
       ${FROM_SQL}
       LEFT JOIN employees q ON q.id = r.requester_id
       LEFT JOIN LATERAL (SELECT * FROM approval_request_steps x WHERE x.request_id = r.id AND x.status = 'PENDING' ORDER BY x.position LIMIT 1) s ON true
       LEFT JOIN employees a ON a.id = s.approver_id`;

export async function listRequests(actor: Viewer, tx: Tx, p: RequestListParams, now = new Date()): Promise<{ rows: RequestListRow[]; total: number; page: number }> {
  const where = await whereOf(actor, tx, p, now);
  const [{ n }] = await tx.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n ${FROM_SQL} ${where.sql}`, ...where.values);
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / REQUEST_LIST_PAGE_SIZE));
  const page = Math.min(p.page, pages);
  const rows = await tx.$queryRawUnsafe<RequestListRow[]>(
    `${ROW_SQL}
       ${where.sql}
      ORDER BY r.created_at ${p.dir === "asc" ? "ASC" : "DESC"}, r.id ${p.dir === "asc" ? "ASC" : "DESC"}
      LIMIT ${REQUEST_LIST_PAGE_SIZE} OFFSET ${(page - 1) * REQUEST_LIST_PAGE_SIZE}`,
    ...where.values,
  );
  return { rows, total, page };
}

/** The same rows for the CSV export, a page at a time in creation order (never all in memory). */
export async function* requestExportPages(actor: Viewer, tx: Tx, p: Omit<RequestListParams, "page" | "sort" | "dir">, now = new Date()): AsyncGenerator<RequestListRow[]> {
  const where = await whereOf(actor, tx, p, now);
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const values = [...where.values];
    let keyset = "";
    if (after) {
      values.push(after.createdAt, after.id);
      keyset = `${where.sql ? "AND" : "WHERE"} (r.created_at, r.id) > ($${values.length - 1}, $${values.length})`;
    }
    const rows: RequestListRow[] = await tx.$queryRawUnsafe<RequestListRow[]>(
      `${ROW_SQL}
         ${where.sql} ${keyset}
        ORDER BY r.created_at, r.id LIMIT 1000`,
      ...values,
    );
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1];
    after = { createdAt: last.createdAt, id: last.id };
  }
}
