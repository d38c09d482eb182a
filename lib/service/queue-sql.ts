import { Prisma } from "@/lib/generated/prisma/client";
import { escapeLike } from "@/lib/search";
import type { CaseListParams } from "./schemas";
import { caseScopeSql, subtreeSql, type ScopeActor } from "./scope";
import { CASE_STATUSES } from "./sla";

// The queue's filters and order as SQL over service_cases `c`: what queueWhere and orderBy
// (lib/service/queries.ts) give Prisma, for the one statement that reads a page of the queue.
// tests/service/queue-sql.test.ts compares the two for each kind of reader, view, filter and sort.

/** Every status but CLOSED. Status is a NOT NULL enum, so `IN` these is `<> 'CLOSED'` — and unlike
 * `<>` it is a condition the (status, next_due_at) index can search (docs/performance.md). */
export const NOT_CLOSED = CASE_STATUSES.filter((s) => s !== "CLOSED");

const notClosedSql = Prisma.sql`c."status" IN (${Prisma.join(NOT_CLOSED.map((s) => Prisma.sql`${s}::"ServiceCaseStatus"`))})`;

export type QueueFilter = Omit<CaseListParams, "page" | "pageSize" | "sort" | "dir">;

/** The conditions of queueWhere (the reader's scope first) joined with AND. */
export function queueSql(actor: ScopeActor, params: QueueFilter, now: Date): Prisma.Sql {
  const and: Prisma.Sql[] = [caseScopeSql(actor)];
  switch (params.view) {
    case "open":
      and.push(notClosedSql);
      break;
    case "mine":
      and.push(Prisma.sql`c."assignee_id" = ${actor.id}`, notClosedSql);
      break;
    case "team":
      and.push(actor.permissions.has("service.read:department") ? Prisma.sql`c."team_id" IN (${subtreeSql(actor.departmentPath)})` : Prisma.sql`c."team_id" = ${actor.departmentId}`, notClosedSql);
      break;
    case "breached":
      and.push(Prisma.sql`c."status" = 'OPEN'::"ServiceCaseStatus" AND c."next_due_at" < ${now.toISOString()}::timestamptz`);
      break;
    case "closed":
      and.push(Prisma.sql`c."status" = 'CLOSED'::"ServiceCaseStatus"`);
      break;
    case "all":
      break;
  }
  if (params.channel) and.push(Prisma.sql`c."channel" = ${params.channel}::"ServiceChannel"`);
  if (params.caseType) and.push(Prisma.sql`c."case_type" = ${params.caseType}::"ServiceCaseType"`);
  if (params.priority) and.push(Prisma.sql`c."priority" = ${params.priority}::"ServicePriority"`);
  if (params.status) and.push(Prisma.sql`c."status" = ${params.status}::"ServiceCaseStatus"`);
  if (params.department) {
    and.push(Prisma.sql`c."team_id" IN (SELECT fd."id" FROM "departments" fd JOIN "departments" top ON fd."path" LIKE top."path" || '%' WHERE top."id" = ${params.department})`);
  }
  if (params.q) {
    const like = `%${escapeLike(params.q)}%`;
    and.push(Prisma.sql`(c."title" ILIKE ${like} OR c."customer_name" ILIKE ${like} OR c."customer_ref" = ${params.q})`);
  }
  return Prisma.join(and, " AND ");
}

/** orderBy's order as SQL. */
export function orderSql(params: Pick<CaseListParams, "sort" | "dir">): Prisma.Sql {
  const dir = params.dir === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  switch (params.sort) {
    case "nextDueAt":
      return Prisma.sql`c."status" ASC, c."next_due_at" ${dir} NULLS LAST, c."priority" DESC, c."id" ASC`;
    case "priority":
      return Prisma.sql`c."priority" ${dir}, c."next_due_at" ASC NULLS LAST, c."id" ASC`;
    case "receivedAt":
      return Prisma.sql`c."received_at" ${dir}, c."id" ${dir}`;
    case "title":
      return Prisma.sql`c."title" ${dir}, c."id" ${dir}`;
  }
}
