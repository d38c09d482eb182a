import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { departmentsById, peopleById } from "@/lib/groups/queries";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";
import { parseLocalDateTime, type ReportDimension, type ReportParams } from "./schemas";
import { subtreeDepartmentIds } from "./scope";

// Attainment reports (SPEC §8): first response and resolution met / breached by team, agent,
// channel, type and week, with the median and 90th percentile of the time used on the policy's
// clock (percentile_cont in SQL), and the open breaches. Counted in the database, scoped like
// the queue: everything for service.read:all, a manager's subtree, an agent's own cases.

export type AttainmentRow = {
  key: string;
  label: string;
  total: number;
  frMet: number;
  frBreached: number;
  resMet: number;
  resBreached: number;
  frMedian: number | null;
  frP90: number | null;
  resMedian: number | null;
  resP90: number | null;
};

/** `days`: a rolling window (cases received in the last N days up to now), else calendar days. */
export type ReportRange = { from: Date; to: Date; fromDay: string; toDay: string; days?: number };

const DAY = 86_400_000;
const shanghaiDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** The reporting window: [from 00:00, to 24:00) China time; by default the last 12 weeks. With
 * `days`, the last N days up to now instead — the window the dashboard's service figures count
 * (received at or after now − N days). */
export function reportRange(params: Pick<ReportParams, "from" | "to" | "days">, now = new Date()): ReportRange {
  if (params.days) {
    const from = new Date(now.getTime() - params.days * DAY);
    const toDay = shanghaiDay(now);
    // Up to the end of today: nothing is received later than now, so this is "up to now".
    const to = new Date((parseLocalDateTime(`${toDay}T00:00`) ?? now).getTime() + DAY);
    return { from, to, fromDay: shanghaiDay(from), toDay, days: params.days };
  }
  const toDay = params.to ?? shanghaiDay(now);
  const fromDay = params.from ?? shanghaiDay(new Date(now.getTime() - 83 * DAY));
  let from = parseLocalDateTime(`${fromDay}T00:00`) ?? new Date(now.getTime() - 83 * DAY);
  let to = new Date((parseLocalDateTime(`${toDay}T00:00`) ?? now).getTime() + DAY);
  if (to <= from) [from, to] = [new Date(to.getTime() - DAY), new Date(from.getTime() + DAY)];
  return { from, to, fromDay, toDay };
}

/** What the actor may read, and within it the `department` asked for (its team and the teams
 * below it). The department only narrows: a manager who names one outside their subtree gets the
 * cases of that team assigned to themselves at most, never more than their scope. An id that
 * names no department selects nothing. */
export async function reportScope(actor: Actor, tx: Tx, department?: string): Promise<Prisma.Sql> {
  const scope = await actorScope(actor, tx);
  if (!department) return scope;
  const dept = await tx.department.findUnique({ where: { id: department }, select: { path: true } });
  const ids = dept ? await subtreeDepartmentIds(tx, dept.path) : [];
  return ids.length ? Prisma.sql`(${scope} AND "team_id" IN (${Prisma.join(ids)}))` : Prisma.sql`FALSE`;
}

async function actorScope(actor: Actor, tx: Tx): Promise<Prisma.Sql> {
  if (actor.permissions.has("service.read:all")) return Prisma.sql`TRUE`;
  if (actor.permissions.has("service.read:department")) {
    const ids = await subtreeDepartmentIds(tx, actor.departmentPath);
    return Prisma.sql`("team_id" IN (${Prisma.join(ids)}) OR "assignee_id" = ${actor.id})`;
  }
  return Prisma.sql`("assignee_id" = ${actor.id} OR "created_by_id" = ${actor.id})`;
}

const KEY: Record<ReportDimension, Prisma.Sql> = {
  team: Prisma.sql`"team_id"`,
  agent: Prisma.sql`COALESCE("assignee_id", '')`,
  channel: Prisma.sql`"channel"::text`,
  type: Prisma.sql`"case_type"::text`,
  week: Prisma.sql`to_char(date_trunc('week', "received_at" AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD')`,
};

type RawAttainment = {
  key: string;
  total: number;
  fr_met: number;
  fr_breached: number;
  res_met: number;
  res_breached: number;
  fr_median: number | null;
  fr_p90: number | null;
  res_median: number | null;
  res_p90: number | null;
};

export async function attainment(actor: Actor, tx: Tx, dimension: ReportDimension, range: ReportRange, now = new Date(), options: { department?: string } = {}): Promise<AttainmentRow[]> {
  const scope = await reportScope(actor, tx, options.department);
  const rows = await tx.$queryRaw<RawAttainment[]>`
    SELECT ${KEY[dimension]} AS key,
           count(*)::int AS total,
           count(*) FILTER (WHERE "first_response_at" IS NOT NULL AND "first_response_at" <= "first_response_due_at")::int AS fr_met,
           count(*) FILTER (WHERE ("first_response_at" IS NOT NULL AND "first_response_at" > "first_response_due_at")
                               OR ("first_response_at" IS NULL AND "status" = 'OPEN' AND "first_response_due_at" < ${now}))::int AS fr_breached,
           count(*) FILTER (WHERE "resolved_at" IS NOT NULL AND "resolved_at" <= "resolution_due_at")::int AS res_met,
           count(*) FILTER (WHERE ("resolved_at" IS NOT NULL AND "resolved_at" > "resolution_due_at")
                               OR ("resolved_at" IS NULL AND "status" = 'OPEN' AND "resolution_due_at" < ${now}))::int AS res_breached,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY "first_response_seconds") / 60.0)::float8 AS fr_median,
           (percentile_cont(0.9) WITHIN GROUP (ORDER BY "first_response_seconds") / 60.0)::float8 AS fr_p90,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY "resolution_seconds") / 60.0)::float8 AS res_median,
           (percentile_cont(0.9) WITHIN GROUP (ORDER BY "resolution_seconds") / 60.0)::float8 AS res_p90
      FROM "service_cases"
     WHERE "received_at" >= ${range.from} AND "received_at" < ${range.to} AND ${scope}
     GROUP BY 1
     ORDER BY 1`;
  const labels = await labelsFor(tx, dimension, rows.map((r) => r.key));
  return rows.map((r) => ({
    key: r.key,
    label: labels.get(r.key) ?? r.key,
    total: r.total,
    frMet: r.fr_met,
    frBreached: r.fr_breached,
    resMet: r.res_met,
    resBreached: r.res_breached,
    frMedian: r.fr_median,
    frP90: r.fr_p90,
    resMedian: r.res_median,
    resP90: r.res_p90,
  }));
}

/** Names for team and agent keys; other dimensions are labelled by the page (i18n). */
async function labelsFor(tx: Tx, dimension: ReportDimension, keys: string[]): Promise<Map<string, string>> {
  if (dimension === "team") return new Map([...(await departmentsById(tx, keys))].map(([id, d]) => [id, d.name]));
  if (dimension === "agent") return new Map([...(await peopleById(tx, keys.filter(Boolean)))].map(([id, p]) => [id, `${p.name}（${p.employeeNo}）`]));
  return new Map();
}

/** met / (met + breached), or null when nothing is decided yet. */
export function rate(met: number, breached: number): number | null {
  return met + breached === 0 ? null : met / (met + breached);
}

export type BreachRow = { id: string; title: string; caseType: string; priority: string; teamId: string; teamName: string; assigneeName: string | null; nextTarget: string; nextDueAt: Date; escalated: boolean };

/** Open cases past their next due time, most overdue first. */
export async function openBreaches(actor: Actor, tx: Tx, now = new Date(), options: { limit?: number; afterId?: string; department?: string } = {}): Promise<BreachRow[]> {
  const scope = await reportScope(actor, tx, options.department);
  const rows = await tx.$queryRaw<{ id: string; title: string; case_type: string; priority: string; team_id: string; assignee_id: string | null; next_target: string; next_due_at: Date; escalated: boolean }[]>`
    SELECT c."id", c."title", c."case_type"::text, c."priority"::text, c."team_id", c."assignee_id", c."next_target"::text, c."next_due_at",
           EXISTS (SELECT 1 FROM "service_escalations" e WHERE e."case_id" = c."id" AND e."target" = c."next_target") AS escalated
      FROM "service_cases" c
     WHERE c."status" = 'OPEN' AND c."next_due_at" < ${now} AND ${scope}
       ${options.afterId ? Prisma.sql`AND c."id" > ${options.afterId}` : Prisma.empty}
     ORDER BY ${options.afterId !== undefined ? Prisma.sql`c."id"` : Prisma.sql`c."next_due_at", c."id"`}
     LIMIT ${options.limit ?? 200}`;
  const [teams, people] = await Promise.all([departmentsById(tx, rows.map((r) => r.team_id)), peopleById(tx, rows.flatMap((r) => (r.assignee_id ? [r.assignee_id] : [])))]);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    caseType: r.case_type,
    priority: r.priority,
    teamId: r.team_id,
    teamName: teams.get(r.team_id)?.name ?? "—",
    assigneeName: r.assignee_id ? (people.get(r.assignee_id)?.name ?? null) : null,
    nextTarget: r.next_target,
    nextDueAt: r.next_due_at,
    escalated: r.escalated,
  }));
}

/** Every open breach for the export, a page at a time in id order. */
export async function* breachExportPages(actor: Actor, tx: Tx, now = new Date(), options: { department?: string } = {}): AsyncGenerator<BreachRow[]> {
  let after = "";
  for (;;) {
    const rows = await openBreaches(actor, tx, now, { limit: 1000, afterId: after, department: options.department });
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < 1000) return;
    after = rows[rows.length - 1].id;
  }
}
