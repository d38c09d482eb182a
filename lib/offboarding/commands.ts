import "server-only";
import { markAccountInHandover, reassignAccount, requestAccountDissolution } from "@/lib/accounts/commands";
import { assertNoPendingRequest, pendingRequestAbout } from "@/lib/approvals/pending";
import { Prisma } from "@/lib/generated/prisma/client";
import { GROUP_ENTITY } from "@/lib/groups/audit-view";
import { newId } from "@/lib/ids";
import { sendNotifications } from "@/lib/notifications/store";
import type { ActionContext } from "@/lib/server/action";
import type { Actor } from "@/lib/server/actor";
import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/db";
import { DomainError, forbidden, notFound, stale } from "@/lib/server/errors";
import { CASE_ENTITY, ITEM_ENTITY } from "./entities";
import { resolveItemIds, type ResolvedFilter } from "./filter";
import type {
  AccountDissolveInput,
  AssignItemInput,
  BulkAssignInput,
  CaseRefInput,
  DepartInput,
  FailureInput,
  ItemRefInput,
  OpenCaseInput,
  StartTransfersInput,
  WaiverInput,
} from "./schemas";
import { ASSIGNABLE_STATUSES, OPEN_ITEM_STATUSES } from "./schemas";
import { departCase } from "./sweeps";
import { GROUP_DAILY_CAP } from "./outbox";
import { isoDay, limitWindowStart, shanghaiToday, transferAllowedFrom, transferDue } from "./time";

// Writes of offboarding (SPEC §6). Each runs inside the caller's transaction (defineAction's, a
// test's unit of work, or a job's) and records its audit events there. Every transition is a
// conditional update on the status it starts from (and the version the person saw), so two people
// or two job runs never apply one twice. Bulk work is set-based SQL (INSERT … SELECT, UPDATE …
// WHERE), one statement for thousands of items. `now` is a parameter so tests control the clock.

/**
 * Account states that still need a handover: not ended (DISSOLVED), not a request that never became
 * an account (REJECTED, WITHDRAWN). REASSIGNED is included: the filter is on the holder, and an
 * account REASSIGNED *to* the leaver is theirs and live (the accounts module moves REASSIGNED on
 * to HANDOVER, SUSPENDED, …); leaving it out would lose it.
 */
const LIVE_ACCOUNT = Prisma.sql`('REQUESTED','ACTIVE','SUSPENDED','HANDOVER','DISSOLUTION_PENDING','REASSIGNED')`;
/** From these the accounts module moves an account to HANDOVER while its holder leaves. */
const TO_HANDOVER = ["ACTIVE", "SUSPENDED", "REASSIGNED"] as const;
const LIVE_GROUP = Prisma.sql`('PENDING_APPROVAL','ACTIVE','DISSOLUTION_PENDING')`;
const ASSIGNABLE = Prisma.sql`('PENDING','REFUSED','FAILED')`;

type Ctx<I> = ActionContext<I>;
export type Options = { now?: Date };
type Audit = (event: AuditInput) => Promise<void>;

const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, options?: ConstructorParameters<typeof DomainError>[2]) =>
  new DomainError(code, `offboarding.errors.${key}`, options);

function requireManage(actor: Pick<Actor, "permissions">) {
  if (!actor.permissions.has("offboarding.manage")) throw forbidden();
}

async function openCaseRow(tx: Tx, caseId: string) {
  const c = await tx.offboardingCase.findUnique({ where: { id: caseId } });
  if (!c) throw notFound();
  if (c.status !== "OPEN") throw err("INVALID_STATE", "caseNotOpen");
  return c;
}

async function itemRow(tx: Tx, itemId: string, version: number) {
  const item = await tx.handoverItem.findUnique({ where: { id: itemId }, include: { case: true } });
  if (!item) throw notFound();
  if (item.case.status !== "OPEN") throw err("INVALID_STATE", "caseNotOpen");
  if (item.version !== version) throw stale();
  return item;
}

/** A successor: an ACTIVE employee who is not the leaver. */
async function successor(tx: Tx, successorId: string, leaverId: string) {
  if (successorId === leaverId) throw err("VALIDATION", "successorIsLeaver", { field: "successorId" });
  const e = await tx.employee.findUnique({ where: { id: successorId }, select: { id: true, name: true, status: true } });
  if (!e || e.status !== "ACTIVE") throw err("VALIDATION", "successorNotActive", { field: "successorId" });
  return e;
}

// ---------------------------------------------------------------------------------------------
// Opening a case

export async function openCase({ actor, input, tx, audit }: Ctx<OpenCaseInput>, options: Options = {}): Promise<{ id: string; counts: Record<string, number> }> {
  requireManage(actor);
  const now = options.now ?? new Date();
  if (input.lastWorkingDay.getTime() < shanghaiToday(now).getTime()) throw err("VALIDATION", "lastDayPast", { field: "lastWorkingDay" });
  if (input.employeeId === actor.id) throw err("VALIDATION", "notYourself", { field: "employeeId" });

  // The leaver's row is locked: two HR people opening a case for the same person at once give one case.
  await tx.$queryRaw`SELECT "id" FROM "employees" WHERE "id" = ${input.employeeId} FOR UPDATE`;
  const employee = await tx.employee.findUnique({ where: { id: input.employeeId }, select: { id: true, name: true, status: true, version: true } });
  if (!employee || employee.status !== "ACTIVE") throw err("VALIDATION", "employeeNotActive", { field: "employeeId" });
  const moved = await tx.employee.updateMany({
    where: { id: employee.id, status: "ACTIVE" },
    data: { status: "OFFBOARDING", leaveDate: input.lastWorkingDay, version: { increment: 1 } },
  });
  if (moved.count !== 1) throw stale();

  const id = newId();
  await tx.offboardingCase.create({ data: { id, employeeId: employee.id, lastWorkingDay: input.lastWorkingDay, openedById: actor.id, createdAt: now } });

  // One statement per kind, built from the records (set-based: thousands of contacts at once).
  const accounts = await tx.$executeRaw`
    INSERT INTO "handover_items" ("id", "case_id", "kind", "account_id", "label", "created_at", "updated_at")
    SELECT replace(gen_random_uuid()::text, '-', ''), ${id}, 'ACCOUNT', a."id", a."display_name" || ' (' || a."platform_id_mask" || ')', ${now}, ${now}
    FROM "accounts" a WHERE a."holder_id" = ${employee.id} AND a."status"::text IN ${LIVE_ACCOUNT}`;
  const contacts = await tx.$executeRaw`
    INSERT INTO "handover_items" ("id", "case_id", "kind", "contact_id", "label", "created_at", "updated_at")
    SELECT replace(gen_random_uuid()::text, '-', ''), ${id}, 'CONTACT', c."id", c."name" || coalesce(' · ' || c."company", ''), ${now}, ${now}
    FROM "customer_contacts" c JOIN "accounts" a ON a."id" = c."account_id"
    WHERE a."holder_id" = ${employee.id} AND a."status"::text IN ${LIVE_ACCOUNT} AND c."status" = 'ACTIVE'`;
  const groups = await tx.$executeRaw`
    INSERT INTO "handover_items" ("id", "case_id", "kind", "group_id", "label", "created_at", "updated_at")
    SELECT replace(gen_random_uuid()::text, '-', ''), ${id}, 'GROUP', g."id", g."name", ${now}, ${now}
    FROM "work_groups" g WHERE g."owner_id" = ${employee.id} AND g."status"::text IN ${LIVE_GROUP}`;

  // The leaver's accounts go to HANDOVER through the accounts module (a few per person; its own
  // audit event per account, on the account).
  const toHandover = await tx.account.findMany({ where: { holderId: employee.id, status: { in: [...TO_HANDOVER] } }, select: { id: true } });
  for (const a of toHandover) await markAccountInHandover({ actor, tx, audit }, { accountId: a.id });

  const counts = { accounts, contacts, groups };
  await audit({
    action: "offboarding.open",
    entityType: CASE_ENTITY,
    entityId: id,
    before: { employeeStatus: "ACTIVE" },
    after: { employeeId: employee.id, employeeName: employee.name, lastWorkingDay: isoDay(input.lastWorkingDay), employeeStatus: "OFFBOARDING", items: counts },
  });
  return { id, counts };
}

// ---------------------------------------------------------------------------------------------
// Successors

/**
 * Assigns a successor to every item matching the filter (resolved here, not posted as ids). In
 * "unassigned" mode an item that has a successor keeps it; the condition is re-checked on each
 * row under its lock, so two people assigning the same items at once never both win one: each
 * item ends with exactly one of them, and none is left out.
 */
export async function bulkAssign({ actor, input, tx, audit }: Ctx<BulkAssignInput>, options: Options = {}): Promise<{ assigned: number; matching: number }> {
  requireManage(actor);
  const now = options.now ?? new Date();
  const c = await openCaseRow(tx, input.caseId);
  const s = await successor(tx, input.successorId, c.employeeId);
  const filter: ResolvedFilter = { kind: input.kind, accountId: input.accountId, q: input.q, status: input.status, unassignedOnly: input.unassignedOnly };
  const { ids, count: matching } = await resolveItemIds(tx, c.id, filter);
  const onlyUnassigned = input.mode === "unassigned" ? Prisma.sql`AND h."successor_id" IS NULL` : Prisma.sql`AND h."successor_id" IS DISTINCT FROM ${s.id}`;
  const assigned = await tx.$executeRaw`
    UPDATE "handover_items" h SET "successor_id" = ${s.id}, "version" = h."version" + 1, "updated_at" = ${now}
    WHERE h."case_id" = ${c.id} AND h."id" IN (${ids}) AND h."status"::text IN ${ASSIGNABLE} ${onlyUnassigned}`;
  await audit({
    action: "offboarding.assign",
    entityType: CASE_ENTITY,
    entityId: c.id,
    before: null,
    after: { successorId: s.id, successorName: s.name, filter, mode: input.mode, matching, assigned },
  });
  // The successor hears of it (lib/notifications); one message per case, successor and assignment.
  // The home page counts their waiting items already: recorded read there (homePage: false).
  if (assigned > 0)
    await sendNotifications(tx, [{ recipientId: s.id, kind: "offboarding.assigned", messageKey: "offboarding.notify.assigned", params: { count: assigned }, href: "/offboarding/mine", dedupeKey: `offboarding.assigned:${c.id}:${s.id}:${now.toISOString()}`, homePage: false }], now);
  return { assigned, matching };
}

/** One item's successor (after a refusal or failure: a different one, then start again). */
export async function assignItem({ actor, input, tx, audit }: Ctx<AssignItemInput>, options: Options = {}): Promise<{ id: string }> {
  requireManage(actor);
  const now = options.now ?? new Date();
  const item = await itemRow(tx, input.itemId, input.version);
  if (!ASSIGNABLE_STATUSES.includes(item.status)) throw err("INVALID_STATE", "notAssignable", { params: { status: item.status } });
  const s = await successor(tx, input.successorId, item.case.employeeId);
  const { count } = await tx.handoverItem.updateMany({
    where: { id: item.id, version: input.version, status: { in: [...ASSIGNABLE_STATUSES] } },
    data: { successorId: s.id, version: { increment: 1 }, updatedAt: now },
  });
  if (count !== 1) throw stale();
  await audit({ action: "offboarding.item.assign", entityType: ITEM_ENTITY, entityId: item.id, before: { successorId: item.successorId }, after: { successorId: s.id, successorName: s.name } });
  // The new successor hears of it like a bulk assignment (one item); the key holds the item's new
  // version, so a retried request sends nothing more and a later reassignment sends again.
  if (s.id !== item.successorId)
    await sendNotifications(tx, [{ recipientId: s.id, kind: "offboarding.assigned", messageKey: "offboarding.notify.assigned", params: { count: 1 }, href: "/offboarding/mine", dedupeKey: `offboarding.assigned:item:${item.id}:${s.id}:${item.version + 1}`, homePage: false }], now);
  return { id: item.id };
}

// ---------------------------------------------------------------------------------------------
// Transfers

/** The contacts among these (by their external id's keyed hash) that reached the 90-day limit,
 * with the day they may move again. */
export async function transferLimits(tx: Tx, externalIdHashes: string[], now: Date): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  if (externalIdHashes.length === 0) return out;
  const rows = await tx.contactTransfer.findMany({
    where: { externalIdHash: { in: externalIdHashes }, status: "DONE", finishedAt: { gt: limitWindowStart(now) } },
    select: { externalIdHash: true, finishedAt: true },
  });
  const byId = new Map<string, Date[]>();
  for (const r of rows) if (r.finishedAt && r.externalIdHash) byId.set(r.externalIdHash, [...(byId.get(r.externalIdHash) ?? []), r.finishedAt]);
  for (const [hash, times] of byId) {
    const until = transferAllowedFrom(times, now);
    if (until) out.set(hash, until);
  }
  return out;
}

/**
 * Starts the transfers of the matching items that have a successor: contacts go TRANSFERRING with
 * a WAITING ContactTransfer due 24 h later (set-based; contacts at the 90-day limit are left
 * PENDING and counted); groups pass to their successor at once (DONE). Accounts end by
 * reassignment or a dissolution request instead.
 */
export async function startTransfers(
  { actor, input, tx, audit }: Ctx<StartTransfersInput & { itemId?: string }>,
  options: Options = {},
): Promise<{ started: number; groupsDone: number; groupsWaiting: number; limited: number; noWecomUser: number; groupsViaWecom: number; groupsLastDay: string | null }> {
  requireManage(actor);
  const now = options.now ?? new Date();
  const c = await openCaseRow(tx, input.caseId);
  const filter: ResolvedFilter = { kind: input.kind, accountId: input.accountId, q: input.q, status: input.status, unassignedOnly: input.unassignedOnly, itemId: input.itemId };
  const { ids } = await resolveItemIds(tx, c.id, filter);
  const due = transferDue(now);
  const windowStart = limitWindowStart(now);
  // A successor who has since left (or is leaving) receives nothing: reassign first.
  const successorActive = Prisma.sql`EXISTS (SELECT 1 FROM "employees" e WHERE e."id" = h."successor_id" AND e."status" = 'ACTIVE')`;
  const limitedSql = Prisma.sql`(SELECT count(*) FROM "contact_transfers" t WHERE t."external_id_hash" = cc."external_id_hash" AND t."status" = 'DONE' AND t."finished_at" > ${windowStart}) >= 2`;

  const [{ n: limited }] = await tx.$queryRaw<{ n: bigint }[]>`
    SELECT count(*)::bigint AS n FROM "handover_items" h JOIN "customer_contacts" cc ON cc."id" = h."contact_id"
    WHERE h."id" IN (${ids}) AND h."kind" = 'CONTACT' AND h."status"::text IN ${ASSIGNABLE} AND h."successor_id" IS NOT NULL AND ${limitedSql}`;

  // With WeCom connected (the customer-contact secret set) and the leaver known to WeCom, the
  // transfers are WeCom's: each one gets an outbox row and follows WeCom's answers; a successor
  // without a WeCom userid cannot receive a customer there and is left PENDING (reassign). Without
  // WeCom the local 24-hour timer completes them (lib/offboarding/sweeps.ts).
  const leaverUserid = await wecomLeaverUserid(tx, c.employeeId);
  const successorInWecom = leaverUserid !== null ? Prisma.sql`AND EXISTS (SELECT 1 FROM "employees" se WHERE se."id" = h."successor_id" AND se."wecom_userid" IS NOT NULL)` : Prisma.empty;
  const [{ n: noWecomUser }] =
    leaverUserid !== null
      ? await tx.$queryRaw<{ n: bigint }[]>`
          SELECT count(*)::bigint AS n FROM "handover_items" h JOIN "employees" se ON se."id" = h."successor_id"
          WHERE h."id" IN (${ids}) AND h."kind" = 'CONTACT' AND h."status"::text IN ${ASSIGNABLE} AND se."wecom_userid" IS NULL`
      : [{ n: BigInt(0) }];
  const startedRows = await tx.$queryRaw<{ id: string }[]>`
    WITH moved AS (
      UPDATE "handover_items" h
      SET "status" = 'TRANSFERRING', "transfer_started_at" = ${now}, "transfer_due_at" = ${due}, "failure_reason" = NULL,
          "completed_at" = NULL, "version" = h."version" + 1, "updated_at" = ${now}
      FROM "customer_contacts" cc
      WHERE cc."id" = h."contact_id" AND h."case_id" = ${c.id} AND h."id" IN (${ids}) AND h."kind" = 'CONTACT'
        AND h."status"::text IN ${ASSIGNABLE} AND h."successor_id" IS NOT NULL AND cc."status" = 'ACTIVE'
        AND ${successorActive} AND NOT ${limitedSql} ${successorInWecom}
      RETURNING h."id", h."successor_id", cc."id" AS contact_id, cc."external_id_cipher", cc."external_id_hash", cc."external_id_mask", cc."account_id"
    )
    , t AS (
      INSERT INTO "contact_transfers" ("id", "contact_id", "external_id_cipher", "external_id_hash", "external_id_mask", "from_account_id", "to_employee_id", "handover_item_id", "status", "started_at", "due_at", "via_wecom", "created_at", "updated_at")
      SELECT replace(gen_random_uuid()::text, '-', ''), m.contact_id, m."external_id_cipher", m."external_id_hash", m."external_id_mask", m."account_id", m."successor_id", m."id", 'WAITING', ${now}, ${due}, ${leaverUserid !== null}, ${now}, ${now}
      FROM moved m RETURNING "id", "handover_item_id", "external_id_cipher", "to_employee_id"
    ), o AS (
      -- The WeCom call this decision needs, in the same transaction (lib/offboarding/outbox.ts sends
      -- it after commit). One row per transfer attempt: the key is the transfer's id.
      INSERT INTO "wecom_outbox" ("id", "kind", "idempotency_key", "contact_transfer_id", "handover_item_id", "handover_userid", "takeover_userid", "target_cipher", "created_at", "updated_at")
      SELECT replace(gen_random_uuid()::text, '-', ''), 'CUSTOMER_TRANSFER', 'transfer:' || t."id", t."id", t."handover_item_id", ${leaverUserid ?? ""}, s."wecom_userid", t."external_id_cipher", ${now}, ${now}
      FROM t JOIN "employees" s ON s."id" = t."to_employee_id"
      WHERE ${leaverUserid !== null} AND s."wecom_userid" IS NOT NULL AND t."external_id_cipher" IS NOT NULL
    )
    SELECT "handover_item_id" AS id FROM t`;

  // Customer groups WeCom knows (a chat id) go through WeCom's group transfer: TRANSFERRING with an
  // outbox row, spread over days by WeCom's cap of 300 of one person's groups a day.
  const wecomGroups = leaverUserid !== null ? await startWecomGroups(tx, c.employeeId, leaverUserid, ids, now) : { started: 0, lastDay: null };

  // Other groups: few per person; each passes to its successor through the same conditional update as
  // the groups module's transfer (owner and status unchanged since read), audited on the group.
  const groupItems = await tx.$queryRaw<{ id: string; group_id: string; successor_id: string }[]>`
    SELECT h."id", h."group_id", h."successor_id" FROM "handover_items" h
    WHERE h."id" IN (${ids}) AND h."kind" = 'GROUP' AND h."status"::text IN ${ASSIGNABLE} AND h."successor_id" IS NOT NULL AND ${successorActive}`;
  let groupsDone = 0;
  let groupsWaiting = 0;
  for (const g of groupItems) {
    const outcome = await transferGroupItem(tx, audit, c.employeeId, g, now);
    if (outcome === "WAITING") groupsWaiting++;
    else if (outcome) groupsDone++;
  }

  // Nothing changed (another person started these a moment ago, or none had a successor): said
  // so, rather than an empty success.
  if (startedRows.length === 0 && groupsDone === 0 && groupsWaiting === 0 && Number(limited) === 0 && wecomGroups.started === 0) {
    throw noWecomUser > 0 ? err("VALIDATION", "successorNotInWecom", { params: { count: Number(noWecomUser) } }) : err("CONFLICT", "nothingToStart");
  }
  {
    await audit({
      action: "offboarding.startTransfers",
      entityType: CASE_ENTITY,
      entityId: c.id,
      before: null,
      after: { filter, started: startedRows.length, dueAt: due, groupsDone, groupsWaitingOnRequest: groupsWaiting, limitedBy90Days: Number(limited), successorNotInWecom: Number(noWecomUser), groupsViaWecom: wecomGroups.started, groupsLastDay: wecomGroups.lastDay },
    });
  }
  return { started: startedRows.length, groupsDone, groupsWaiting, limited: Number(limited), noWecomUser: Number(noWecomUser), groupsViaWecom: wecomGroups.started, groupsLastDay: wecomGroups.lastDay };
}

/** The start (00:00 China time) of China day `offset` days after `now`'s. */
const chinaDayStart = (now: Date, offset: number) => new Date(shanghaiToday(now).getTime() + offset * 86_400_000 - 8 * 3600_000);

/**
 * The leaver's customer groups with a chat id, a successor WeCom knows, no pending request, still
 * theirs: TRANSFERRING, one GROUP_TRANSFER outbox row each, each on a day (not_before) that keeps the
 * leaver's groups to GROUP_DAILY_CAP a China day, counting those already scheduled.
 */
async function startWecomGroups(tx: Tx, leaverId: string, leaverUserid: string, ids: Prisma.Sql, now: Date): Promise<{ started: number; lastDay: string | null }> {
  const candidates = await tx.$queryRaw<{ id: string; group_id: string; chat_id: string; takeover: string }[]>`
    SELECT h."id", h."group_id", g."external_id" AS chat_id, se."wecom_userid" AS takeover
    FROM "handover_items" h JOIN "work_groups" g ON g."id" = h."group_id" JOIN "employees" se ON se."id" = h."successor_id"
    WHERE h."id" IN (${ids}) AND h."kind" = 'GROUP' AND h."status"::text IN ${ASSIGNABLE} AND se."status" = 'ACTIVE' AND se."wecom_userid" IS NOT NULL
      AND g."external_id" IS NOT NULL AND g."owner_id" = ${leaverId} AND g."status"::text IN ${LIVE_GROUP}
    ORDER BY h."label", h."id"`;
  const eligible = [];
  for (const g of candidates) if (!(await pendingRequestAbout(tx, GROUP_ENTITY, g.group_id))) eligible.push(g);
  if (eligible.length === 0) return { started: 0, lastDay: null };
  const moved = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "handover_items" h SET "status" = 'TRANSFERRING', "transfer_started_at" = ${now}, "transfer_due_at" = NULL, "failure_reason" = NULL, "wecom_errcode" = NULL,
      "completed_at" = NULL, "version" = h."version" + 1, "updated_at" = ${now}
    WHERE h."id" IN (${Prisma.join(eligible.map((g) => g.id))}) AND h."status"::text IN ${ASSIGNABLE} RETURNING h."id"`;
  const movedIds = new Set(moved.map((m) => m.id));
  const rows = eligible.filter((g) => movedIds.has(g.id));
  // Days already taken by this leaver's group transfers (WeCom counts per person, whoever starts them).
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`wecom-groups:${leaverUserid}`}))::text AS locked`;
  const taken = await tx.$queryRaw<{ day: Date; n: bigint }[]>`
    SELECT "not_before" AS day, count(*)::bigint AS n FROM "wecom_outbox"
    WHERE "kind" = 'GROUP_TRANSFER' AND "handover_userid" = ${leaverUserid} AND "not_before" >= ${chinaDayStart(now, 0)} GROUP BY "not_before"`;
  const used = new Map(taken.map((t) => [t.day.getTime(), Number(t.n)]));
  let offset = 0;
  const days: Date[] = [];
  for (let k = 0; k < rows.length; k++) {
    while ((used.get(chinaDayStart(now, offset).getTime()) ?? 0) >= GROUP_DAILY_CAP) offset++;
    const day = chinaDayStart(now, offset);
    used.set(day.getTime(), (used.get(day.getTime()) ?? 0) + 1);
    days.push(day);
  }
  await tx.$executeRaw`
    INSERT INTO "wecom_outbox" ("id", "kind", "idempotency_key", "handover_item_id", "group_id", "chat_id", "handover_userid", "takeover_userid", "not_before", "created_at", "updated_at")
    SELECT replace(gen_random_uuid()::text, '-', ''), 'GROUP_TRANSFER', 'group:' || u.item || ':' || hv.v, u.item, u.grp, u.chat, ${leaverUserid}, u.takeover, u.day, ${now}, ${now}
    FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.group_id)}::text[], ${rows.map((r) => r.chat_id)}::text[], ${rows.map((r) => r.takeover)}::text[], ${days}::timestamptz[]) AS u(item, grp, chat, takeover, day)
    JOIN (SELECT "id", "version" AS v FROM "handover_items") hv ON hv."id" = u.item`;
  const last = days.reduce((a, b) => (b > a ? b : a), days[0]);
  return { started: rows.length, lastDay: isoDay(shanghaiToday(last)) };
}

/** The leaver's WeCom userid when transfers go through WeCom (connected, and the leaver is a WeCom
 * member), else null. */
async function wecomLeaverUserid(tx: Tx, employeeId: string): Promise<string | null> {
  const rows = await tx.$queryRaw<{ userid: string | null }[]>`
    SELECT e."wecom_userid" AS userid FROM "employees" e, "wecom_settings" w
    WHERE e."id" = ${employeeId} AND w."id" = 'default' AND w."corp_id" <> '' AND w."customer_secret_cipher" IS NOT NULL`;
  return rows[0]?.userid ?? null;
}

async function transferGroupItem(tx: Tx, audit: Audit, leaverId: string, g: { id: string; group_id: string; successor_id: string }, now: Date): Promise<boolean | "WAITING"> {
  await tx.$queryRaw`SELECT "id" FROM "work_groups" WHERE "id" = ${g.group_id} FOR UPDATE`;
  // A group under a pending request keeps its owner until the request ends (the approvers decide
  // on what the request shows them): the item stays as it is and is handed over on a later start.
  if (await pendingRequestAbout(tx, GROUP_ENTITY, g.group_id)) return "WAITING";
  const group = await tx.workGroup.findUnique({ where: { id: g.group_id }, include: { administrators: { select: { employeeId: true } } } });
  const live = group && ["PENDING_APPROVAL", "ACTIVE", "DISSOLUTION_PENDING"].includes(group.status);
  let outcome = "OWNER_TRANSFERRED";
  if (group && live && group.ownerId === leaverId) {
    const { count } = await tx.workGroup.updateMany({
      where: { id: group.id, version: group.version, status: group.status, ownerId: leaverId },
      data: { ownerId: g.successor_id, version: { increment: 1 } },
    });
    if (count !== 1) return false;
    const wasAdministrator = group.administrators.some((a) => a.employeeId === g.successor_id);
    if (wasAdministrator) await tx.workGroupAdministrator.delete({ where: { groupId_employeeId: { groupId: group.id, employeeId: g.successor_id } } });
    await audit({
      action: "workGroup.transfer",
      entityType: "WorkGroup",
      entityId: group.id,
      before: { ownerId: group.ownerId, version: group.version },
      after: { ownerId: g.successor_id, removedFromAdministrators: wasAdministrator, version: group.version + 1, handoverItemId: g.id },
    });
  } else {
    // Already moved on (transferred, dissolved): nothing left to hand over.
    outcome = "NOTHING_TO_TRANSFER";
  }
  const { count } = await tx.handoverItem.updateMany({
    where: { id: g.id, status: { in: [...ASSIGNABLE_STATUSES] } },
    data: { status: "DONE", outcome, completedAt: now, version: { increment: 1 }, updatedAt: now },
  });
  return count === 1;
}

/** One contact or group item: refuses with the date when the contact is at the 90-day limit. */
export async function startItem(ctx: Ctx<ItemRefInput>, options: Options = {}) {
  requireManage(ctx.actor);
  const now = options.now ?? new Date();
  const item = await itemRow(ctx.tx, ctx.input.itemId, ctx.input.version);
  if (item.kind === "ACCOUNT") throw err("INVALID_STATE", "accountNotTransferable");
  if (!ASSIGNABLE_STATUSES.includes(item.status)) throw err("INVALID_STATE", "notStartable", { params: { status: item.status } });
  if (!item.successorId) throw err("VALIDATION", "noSuccessor", { field: "successorId" });
  await successor(ctx.tx, item.successorId, item.case.employeeId);
  if (item.kind === "CONTACT" && item.contactId) {
    const contact = await ctx.tx.customerContact.findUnique({ where: { id: item.contactId }, select: { externalIdHash: true } });
    const until = contact?.externalIdHash ? (await transferLimits(ctx.tx, [contact.externalIdHash], now)).get(contact.externalIdHash) : undefined;
    if (until) throw err("INVALID_STATE", "transferLimit", { params: { until: isoDay(shanghaiToday(until)) } });
  }
  if (item.kind === "GROUP" && item.groupId) await assertNoPendingRequest(ctx.tx, GROUP_ENTITY, item.groupId);
  const result = await startTransfers({ ...ctx, input: { caseId: item.caseId, itemId: item.id } }, { now });
  if (result.started + result.groupsDone !== 1) throw stale();
  return { id: item.id, ...result };
}

/** A transfer sent through WeCom follows WeCom's answers (lib/offboarding/outbox.ts): HR cannot
 * record a refusal or failure by hand that WeCom might contradict. */
async function assertNotViaWecom(tx: Tx, itemId: string) {
  if (await tx.contactTransfer.count({ where: { handoverItemId: itemId, status: "WAITING", viaWecom: true } })) throw err("INVALID_STATE", "followsWecom");
}

/** HR records that the customer declined within the 24-hour window (transfers not sent through WeCom). */
export async function recordRefusal({ actor, input, tx, audit }: Ctx<ItemRefInput>, options: Options = {}): Promise<{ id: string }> {
  requireManage(actor);
  const now = options.now ?? new Date();
  const item = await itemRow(tx, input.itemId, input.version);
  if (item.status !== "TRANSFERRING" || !item.transferDueAt) throw err("INVALID_STATE", "notTransferring", { params: { status: item.status } });
  if (now.getTime() >= item.transferDueAt.getTime()) throw err("INVALID_STATE", "windowPassed");
  await assertNotViaWecom(tx, item.id);
  const { count } = await tx.handoverItem.updateMany({
    where: { id: item.id, version: input.version, status: "TRANSFERRING", transferDueAt: { gt: now } },
    data: { status: "REFUSED", completedAt: null, version: { increment: 1 }, updatedAt: now },
  });
  if (count !== 1) throw stale();
  await tx.contactTransfer.updateMany({ where: { handoverItemId: item.id, status: "WAITING" }, data: { status: "REFUSED", finishedAt: now, updatedAt: now } });
  await audit({ action: "offboarding.item.refused", entityType: ITEM_ENTITY, entityId: item.id, before: { status: "TRANSFERRING" }, after: { status: "REFUSED", successorId: item.successorId } });
  if (item.successorId)
    await sendNotifications(tx, [{ recipientId: item.successorId, kind: "offboarding.refused", messageKey: "offboarding.notify.refused", href: "/offboarding/mine", dedupeKey: `offboarding.refused:${item.id}:${now.toISOString()}` }], now);
  return { id: item.id };
}

/** HR records that the transfer failed (the successor reached the platform's limit, …). */
export async function recordFailure({ actor, input, tx, audit }: Ctx<FailureInput>, options: Options = {}): Promise<{ id: string }> {
  requireManage(actor);
  const now = options.now ?? new Date();
  const item = await itemRow(tx, input.itemId, input.version);
  if (item.status !== "TRANSFERRING") throw err("INVALID_STATE", "notTransferring", { params: { status: item.status } });
  await assertNotViaWecom(tx, item.id);
  const { count } = await tx.handoverItem.updateMany({
    where: { id: item.id, version: input.version, status: "TRANSFERRING" },
    data: { status: "FAILED", failureReason: input.reason, version: { increment: 1 }, updatedAt: now },
  });
  if (count !== 1) throw stale();
  await tx.contactTransfer.updateMany({ where: { handoverItemId: item.id, status: "WAITING" }, data: { status: "FAILED", finishedAt: now, updatedAt: now } });
  await audit({ action: "offboarding.item.failed", entityType: ITEM_ENTITY, entityId: item.id, before: { status: "TRANSFERRING" }, after: { status: "FAILED", reason: input.reason } });
  return { id: item.id };
}

// ---------------------------------------------------------------------------------------------
// Accounts

async function accountItem(tx: Tx, input: ItemRefInput) {
  const item = await itemRow(tx, input.itemId, input.version);
  if (item.kind !== "ACCOUNT" || !item.accountId) throw err("INVALID_STATE", "notAccount");
  if (!ASSIGNABLE_STATUSES.includes(item.status)) throw err("INVALID_STATE", "notAssignable", { params: { status: item.status } });
  await tx.$queryRaw`SELECT "id" FROM "accounts" WHERE "id" = ${item.accountId} FOR UPDATE`;
  const account = await tx.account.findUnique({ where: { id: item.accountId } });
  if (!account) throw notFound();
  return { item, account };
}

/** The account passes to the item's successor: REASSIGNED, new holder (the accounts module). */
export async function reassignAccountItem({ actor, input, tx, audit }: Ctx<ItemRefInput>, options: Options = {}): Promise<{ id: string }> {
  requireManage(actor);
  const now = options.now ?? new Date();
  const { item, account } = await accountItem(tx, input);
  if (!item.successorId) throw err("VALIDATION", "noSuccessor", { field: "successorId" });
  await successor(tx, item.successorId, item.case.employeeId);
  if (account.holderId !== item.case.employeeId) throw err("INVALID_STATE", "accountChanged", { params: { status: account.status } });
  await reassignAccount({ actor, tx, audit }, { accountId: account.id, newHolderId: item.successorId, expectedVersion: account.version });
  await finishAccountItem(tx, audit, item.id, input.version, { outcome: "REASSIGNED" }, now);
  return { id: item.id };
}

/** The account is to be dissolved: DISSOLUTION_PENDING and an ACCOUNT_DISSOLVE approval request
 * (the accounts module, section 3). The item is DONE with outcome DISSOLVE_REQUESTED. */
export async function requestAccountDissolutionItem({ actor, input, tx, audit }: Ctx<AccountDissolveInput>, options: Options = {}): Promise<{ id: string; requestId: string }> {
  requireManage(actor);
  const now = options.now ?? new Date();
  const { item, account } = await accountItem(tx, input);
  const request = await requestAccountDissolution({ actor, tx, audit }, { accountId: account.id, reason: input.reason, expectedVersion: account.version });
  await finishAccountItem(tx, audit, item.id, input.version, { outcome: "DISSOLVE_REQUESTED", approvalRequestId: request.requestId }, now);
  return { id: item.id, requestId: request.requestId };
}

async function finishAccountItem(tx: Tx, audit: Audit, itemId: string, version: number, data: { outcome: string; approvalRequestId?: string }, now: Date) {
  const { count } = await tx.handoverItem.updateMany({
    where: { id: itemId, version, status: { in: [...ASSIGNABLE_STATUSES] } },
    data: { status: "DONE", outcome: data.outcome, approvalRequestId: data.approvalRequestId ?? null, completedAt: now, version: { increment: 1 }, updatedAt: now },
  });
  if (count !== 1) throw stale();
  await audit({ action: "offboarding.item.done", entityType: ITEM_ENTITY, entityId: itemId, before: null, after: { status: "DONE", ...data } });
}

// ---------------------------------------------------------------------------------------------
// Waivers: one HR and one ADMIN signature, by two different people

export async function signWaiver({ actor, input, tx, audit }: Ctx<WaiverInput>, options: Options = {}): Promise<{ id: string; status: "SIGNED" | "WAIVED" }> {
  requireManage(actor);
  const now = options.now ?? new Date();
  if (!actor.roles.includes(input.as)) throw err("FORBIDDEN", "waiverRole", { field: "as" });
  const item = await itemRow(tx, input.itemId, input.version);
  if (!OPEN_ITEM_STATUSES.includes(item.status) || item.status === "TRANSFERRING") throw err("INVALID_STATE", "notWaivable", { params: { status: item.status } });
  if (item.waivedByHrId === actor.id || item.waivedByAdminId === actor.id) throw err("VALIDATION", "waiverSamePerson", { field: "as" });
  const mine = input.as === "HR" ? "waivedByHrId" : "waivedByAdminId";
  const other = input.as === "HR" ? "waivedByAdminId" : "waivedByHrId";
  if (item[mine]) throw err("CONFLICT", "waiverAlreadySigned", { field: "as" });
  const completes = item[other] !== null;
  const { count } = await tx.handoverItem.updateMany({
    where: { id: item.id, version: input.version, [mine]: null, status: item.status },
    data: {
      [mine]: actor.id,
      // The first signer's reason stands; the second signs that reason.
      waiverReason: completes ? (item.waiverReason ?? input.reason) : input.reason,
      ...(completes ? { status: "WAIVED" as const, completedAt: now } : {}),
      version: { increment: 1 },
      updatedAt: now,
    },
  });
  if (count !== 1) throw stale();
  await audit({
    action: completes ? "offboarding.item.waived" : "offboarding.item.waiverSigned",
    entityType: ITEM_ENTITY,
    entityId: item.id,
    before: { status: item.status, waivedByHrId: item.waivedByHrId, waivedByAdminId: item.waivedByAdminId },
    after: { status: completes ? "WAIVED" : item.status, signedAs: input.as, reason: input.reason },
  });
  return { id: item.id, status: completes ? "WAIVED" : "SIGNED" };
}

// ---------------------------------------------------------------------------------------------
// Closing and departure

export async function closeCase({ actor, input, tx, audit }: Ctx<CaseRefInput>, options: Options = {}): Promise<{ id: string }> {
  requireManage(actor);
  const now = options.now ?? new Date();
  await tx.$queryRaw`SELECT "id" FROM "offboarding_cases" WHERE "id" = ${input.caseId} FOR UPDATE`;
  const c = await openCaseRow(tx, input.caseId);
  if (c.version !== input.version) throw stale();
  const open = await tx.handoverItem.groupBy({ by: ["kind", "status"], where: { caseId: c.id, status: { in: [...OPEN_ITEM_STATUSES] } }, _count: { _all: true } });
  if (open.length > 0) {
    // The case page shows the open items by kind and status, in the person's language.
    throw err("INVALID_STATE", "itemsOpen", { params: { count: open.reduce((n, g) => n + g._count._all, 0) } });
  }
  const { count } = await tx.offboardingCase.updateMany({
    where: { id: c.id, version: input.version, status: "OPEN" },
    data: { status: "CLOSED", closedAt: now, closedById: actor.id, version: { increment: 1 } },
  });
  if (count !== 1) throw stale();
  await audit({ action: "offboarding.close", entityType: CASE_ENTITY, entityId: c.id, before: { status: "OPEN" }, after: { status: "CLOSED" } });
  return { id: c.id };
}

/** HR records the departure by hand, any time on the last working day or after it (a leaver who
 * hands in their laptop at 15:00 leaves then); the automatic sweep waits for 18:00. */
export async function departNow({ actor, input, tx, audit }: Ctx<DepartInput>, options: Options = {}): Promise<{ id: string }> {
  requireManage(actor);
  const now = options.now ?? new Date();
  const c = await tx.offboardingCase.findUnique({ where: { id: input.caseId } });
  if (!c) throw notFound();
  if (c.departedAt) throw err("INVALID_STATE", "alreadyDeparted");
  if (c.lastWorkingDay.getTime() > shanghaiToday(now).getTime()) throw err("INVALID_STATE", "notYetLastDay", { params: { day: isoDay(c.lastWorkingDay) } });
  if (!(await departCase(tx, audit, c.id, now, shanghaiToday(now)))) throw stale();
  return { id: c.id };
}

