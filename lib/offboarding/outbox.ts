import { randomUUID } from "node:crypto";
import { Prisma } from "../generated/prisma/client";
import { externalIdHashes } from "../accounts/contact-ids";
import { decrypt } from "../pii";
import { writeAuditEvent, type AuditActor } from "../server/audit-write";
import type { DbClient, Tx } from "../server/prisma-client";
import type { WeComClient } from "../wecom/client";
import { clientsFor } from "../wecom/connection";
import { loadConnection } from "../wecom/settings";
import { isTransient, WeComError } from "../wecom/errors";
import { DomainError } from "../server/errors";
import { CASE_ENTITY } from "./entities";

// The WeCom outbox (issue 15): customer transfers decided by startTransfers (one wecom_outbox row
// per transfer attempt, written in the same transaction) are sent here, after commit, ≤100 a call,
// and their answers recorded. Kept free of "server-only" so the worker process can load it.
//
// States: PENDING → SENDING (claimed under a lease) → SENT (WeCom started the transfer, errcode 0)
// or FAILED (WeCom refused this customer, with its errcode); UNKNOWN when the call's outcome is
// unknown (a timeout, a network failure, a 5xx after WeCom may have acted).
//
// Never twice: a row is claimed by one worker (FOR UPDATE SKIP LOCKED, state PENDING → SENDING in
// one committed statement) before its call. A worker killed after the call and before recording its
// answer leaves the row SENDING; once the lease lapses, the row is NOT sent again but reconciled:
// transfer_result (resigned/ or on-job, whichever API the batch used) is asked which customers WeCom
// has a transfer record for, from that leaver to that successor. A customer WeCom lists was sent
// (its status is applied); one WeCom does not list was never started there — either the call never
// reached WeCom or WeCom refused that customer, which starts nothing — so sending it again cannot
// make a second transfer, and it goes back to PENDING. UNKNOWN rows are reconciled the same way.
// A completed record older than the row (status 1 with takeover_time before the row was written)
// belongs to an earlier transfer of the same pair and does not count.

export const SYSTEM_ACTOR: AuditActor = { id: null, label: "system:wecom-outbox", ip: null };
const ONJOB = "/externalcontact/transfer_customer";
const RESIGNED = "/externalcontact/resigned/transfer_customer";
const GROUP_ONJOB = "/externalcontact/groupchat/onjob_transfer";
const GROUP_RESIGNED = "/externalcontact/groupchat/transfer";
/** WeCom passes at most 300 of one person's groups to new owners a day (96334). */
export const GROUP_DAILY_CAP = 300;

/**
 * How long a claimed batch is its worker's. It must outlast the longest a live worker can still be
 * inside the call — the client's timeout (10 s) on each of its 5 attempts plus backoff (≤ 7.5 s)
 * and the pacer's wait — or a reconciler could find the customers not yet in transfer_result and
 * send them again while the first call is still on its way. 5 minutes leaves ample margin.
 */
export const DEFAULT_LEASE_MS = 5 * 60_000;

export type OutboxOptions = { leaseMs?: number; log?: (line: string) => void; now?: () => Date; maxBatches?: number };
export type OutboxResult = { batches: number; sent: number; failed: number; unknown: number; reconciled: number; requeued: number };

type Row = {
  id: string;
  kind: string;
  handover_item_id: string | null;
  contact_transfer_id: string | null;
  target_cipher: string | null;
  chat_id: string | null;
  handover_userid: string;
  takeover_userid: string;
  api: string | null;
  created_at: Date;
};
const ROW = Prisma.sql`"id", "kind", "handover_item_id", "contact_transfer_id", "target_cipher", "chat_id", "handover_userid", "takeover_userid", "api", "created_at"`;
const target = (r: Row) => (r.kind === "GROUP_TRANSFER" ? r.chat_id! : decrypt(r.target_cipher!));

/** Sends every PENDING row (after reconciling stale ones), one pair (leaver, successor) and ≤100 rows a call. */
export async function sendOutbox(prisma: DbClient, client: WeComClient, options: OutboxOptions = {}): Promise<OutboxResult> {
  const out: OutboxResult = { batches: 0, sent: 0, failed: 0, unknown: 0, reconciled: 0, requeued: 0 };
  const r = await reconcileOutbox(prisma, client, options);
  out.reconciled += r.reconciled;
  out.requeued += r.requeued;
  for (let n = 0; n < (options.maxBatches ?? Number.POSITIVE_INFINITY); n++) {
    const batch = await claimBatch(prisma, options);
    if (!batch) break;
    out.batches++;
    const got = await sendBatch(prisma, client, batch, options);
    out.sent += got.sent;
    out.failed += got.failed;
    out.unknown += got.unknown;
  }
  return out;
}

type Batch = { id: string; api: string; rows: Row[] };

async function claimBatch(prisma: DbClient, options: OutboxOptions): Promise<Batch | null> {
  const now = options.now?.() ?? new Date();
  const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS));
  return prisma.$transaction(async (tx) => {
    // Group transfers wait for their day (WeCom's daily cap, spread by startTransfers).
    const first = await tx.$queryRaw<{ kind: string; handover_userid: string; takeover_userid: string }[]>`
      SELECT "kind", "handover_userid", "takeover_userid" FROM "wecom_outbox" WHERE "state" = 'PENDING' AND ("not_before" IS NULL OR "not_before" <= ${now})
      ORDER BY "created_at", "id" LIMIT 1 FOR UPDATE SKIP LOCKED`;
    if (first.length === 0) return null;
    const { kind, handover_userid: handover, takeover_userid: takeover } = first[0];
    const rows = await tx.$queryRaw<Row[]>`
      SELECT ${ROW} FROM "wecom_outbox"
      WHERE "state" = 'PENDING' AND "kind" = ${kind} AND "handover_userid" = ${handover} AND "takeover_userid" = ${takeover} AND ("not_before" IS NULL OR "not_before" <= ${now})
      ORDER BY "created_at", "id" LIMIT 100 FOR UPDATE SKIP LOCKED`;
    if (rows.length === 0) return null;
    // The leaver's API follows what WeCom reports: left (5) or gone from the directory.
    const [who] = await tx.$queryRaw<{ resigned: boolean }[]>`
      SELECT coalesce(bool_or(e."wecom_status" = 5 OR e."wecom_removed_at" IS NOT NULL), false) AS resigned FROM "employees" e WHERE e."wecom_userid" = ${handover}`;
    const resigned = who?.resigned ?? false;
    const api = kind === "GROUP_TRANSFER" ? (resigned ? GROUP_RESIGNED : GROUP_ONJOB) : resigned ? RESIGNED : ONJOB;
    const id = randomUUID();
    await tx.$executeRaw`
      UPDATE "wecom_outbox" SET "state" = 'SENDING', "batch_id" = ${id}, "api" = ${api}, "lease_until" = ${leaseUntil}, "attempts" = "attempts" + 1, "updated_at" = ${now}
      WHERE "id" IN (${Prisma.join(rows.map((r) => r.id))}) AND "state" = 'PENDING'`;
    return { id, api, rows };
  });
}

async function sendBatch(prisma: DbClient, client: WeComClient, batch: Batch, options: OutboxOptions): Promise<{ sent: number; failed: number; unknown: number }> {
  const log = options.log ?? (() => undefined);
  const { handover_userid: handover, takeover_userid: takeover } = batch.rows[0];
  const targets = batch.rows.map(target);
  let answer: Map<string, number>;
  try {
    if (batch.api === GROUP_ONJOB || batch.api === GROUP_RESIGNED) {
      // Every chat not in failed_chat_list passed to the new owner.
      const res = await client.groupChatTransfer(batch.api === GROUP_RESIGNED, { chat_id_list: targets, new_owner: takeover });
      answer = new Map(targets.map((t) => [t, 0]));
      for (const f of res.failed_chat_list ?? []) if (answer.has(f.chat_id)) answer.set(f.chat_id, f.errcode || -1);
    } else {
      const res = await client.transferCustomer(batch.api === RESIGNED, { handover_userid: handover, takeover_userid: takeover, external_userid: targets });
      answer = new Map((res.customer ?? []).map((c) => [c.external_userid, c.errcode]));
    }
  } catch (e) {
    if (!(e instanceof WeComError)) throw e;
    const now = options.now?.() ?? new Date();
    if (e.kind !== "API" || isTransient(e)) {
      // WeCom may have acted (a timeout, a 5xx, an unreadable answer), or the call never reached
      // WeCom's API (a redirect, a 4xx from a gateway): either way the outcome is asked for
      // (reconcileOutbox), never guessed; what WeCom has no record of is sent again.
      await prisma.$executeRaw`UPDATE "wecom_outbox" SET "state" = 'UNKNOWN', "lease_until" = NULL, "answer" = ${JSON.stringify({ failure: e.kind, errcode: e.errcode })}::jsonb, "updated_at" = ${now} WHERE "batch_id" = ${batch.id} AND "state" = 'SENDING'`;
      log(`[outbox] batch ${batch.id}: ${e.kind}, outcome unknown (reconciled from transfer_result)`);
      return { sent: 0, failed: 0, unknown: batch.rows.length };
    }
    // The whole call was refused (a wrong secret, no permission, the leaver not yet resigned): no
    // transfer started; every customer of the batch carries the errcode.
    const errcode = e.errcode ?? -1;
    await record(prisma, batch, batch.rows.map(() => errcode), now, { failure: e.kind, errcode: e.errcode });
    log(`[outbox] batch ${batch.id}: refused (errcode ${errcode})`);
    return { sent: 0, failed: batch.rows.length, unknown: 0 };
  }
  const now = options.now?.() ?? new Date();
  // A customer WeCom did not answer for is left UNKNOWN (reconciled), never assumed.
  const codes = targets.map((t) => answer.get(t) ?? null);
  await record(prisma, batch, codes, now, null);
  const failed = codes.filter((c) => c !== null && c !== 0).length;
  const unknown = codes.filter((c) => c === null).length;
  return { sent: codes.length - failed - unknown, failed, unknown };
}

/** Records a batch's answers (row by row, conditional on the batch still holding it) and moves the
 * handover items: errcode 0 → waiting on WeCom (status 2); another → FAILED with the errcode. */
async function record(prisma: DbClient, batch: Batch, codes: (number | null)[], now: Date, whole: Record<string, unknown> | null): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const ids = batch.rows.map((r) => r.id);
    const state = codes.map((c) => (c === null ? "UNKNOWN" : c === 0 ? "SENT" : "FAILED"));
    const rows = await tx.$queryRaw<Answered[]>`
      UPDATE "wecom_outbox" o SET "state" = u.s::"WeComOutboxState", "errcode" = u.e, "lease_until" = NULL,
        "sent_at" = CASE WHEN u.s = 'UNKNOWN' THEN NULL ELSE ${now}::timestamptz END,
        "answer" = coalesce(${whole ? JSON.stringify(whole) : null}::jsonb, jsonb_build_object('errcode', u.e)), "updated_at" = ${now}
      FROM unnest(${ids}::text[], ${state}::text[], ${codes}::int[]) AS u(id, s, e)
      WHERE o."id" = u.id AND o."batch_id" = ${batch.id} AND o."state" = 'SENDING'
      RETURNING o."id", o."kind", o."handover_item_id", o."contact_transfer_id", o."errcode", o."state"::text AS state`;
    await applyCallAnswers(tx, rows, now);
  });
}

type Answered = { kind: string; handover_item_id: string | null; contact_transfer_id: string | null; errcode: number | null; state: string };

async function applyCallAnswers(tx: Tx, rows: Answered[], now: Date): Promise<void> {
  // A group WeCom moved has its new owner now: the item is done and the registry follows.
  const moved = rows.filter((r) => r.kind === "GROUP_TRANSFER" && r.state === "SENT" && r.handover_item_id);
  if (moved.length > 0) {
    const cases = await tx.$queryRaw<{ case_id: string; n: bigint }[]>`
      WITH i AS (
        UPDATE "handover_items" h SET "status" = 'DONE', "outcome" = 'OWNER_TRANSFERRED', "wecom_errcode" = 0, "completed_at" = ${now}, "version" = h."version" + 1, "updated_at" = ${now}
        WHERE h."id" IN (${Prisma.join(moved.map((r) => r.handover_item_id!))}) AND h."status" = 'TRANSFERRING'
        RETURNING h."case_id", h."group_id", h."successor_id"
      ), g AS (
        UPDATE "work_groups" g SET "owner_id" = i."successor_id", "version" = g."version" + 1, "updated_at" = ${now}
        FROM i WHERE g."id" = i."group_id" RETURNING g."id"
      )
      SELECT "case_id", count(*)::bigint AS n FROM i GROUP BY "case_id"`;
    for (const c of cases) {
      await writeAuditEvent(tx, SYSTEM_ACTOR, { action: "offboarding.wecom.groupsTransferred", entityType: CASE_ENTITY, entityId: c.case_id, before: null, after: { groups: Number(c.n) } });
    }
  }
  const started = rows.filter((r) => r.kind !== "GROUP_TRANSFER" && r.state === "SENT" && r.handover_item_id);
  const refused = rows.filter((r) => r.state === "FAILED" && r.handover_item_id);
  if (started.length > 0) {
    await tx.$executeRaw`
      UPDATE "handover_items" SET "wecom_errcode" = 0, "wecom_transfer_status" = 2, "version" = "version" + 1, "updated_at" = ${now}
      WHERE "id" IN (${Prisma.join(started.map((r) => r.handover_item_id!))}) AND "status" = 'TRANSFERRING'`;
  }
  if (refused.length > 0) {
    const items = refused.map((r) => r.handover_item_id!);
    const codes = refused.map((r) => r.errcode ?? -1);
    const cases = await tx.$queryRaw<{ case_id: string; n: bigint }[]>`
      WITH i AS (
        UPDATE "handover_items" h SET "status" = 'FAILED', "wecom_errcode" = u.e, "failure_reason" = NULL, "version" = h."version" + 1, "updated_at" = ${now}
        FROM unnest(${items}::text[], ${codes}::int[]) AS u(id, e) WHERE h."id" = u.id AND h."status" = 'TRANSFERRING' RETURNING h."case_id"
      ) SELECT "case_id", count(*)::bigint AS n FROM i GROUP BY "case_id"`;
    await tx.$executeRaw`
      UPDATE "contact_transfers" SET "status" = 'FAILED', "finished_at" = ${now}, "updated_at" = ${now}
      WHERE "id" IN (${Prisma.join(refused.map((r) => r.contact_transfer_id ?? ""))}) AND "status" = 'WAITING'`;
    for (const c of cases) {
      await writeAuditEvent(tx, SYSTEM_ACTOR, { action: "offboarding.wecom.refused", entityType: CASE_ENTITY, entityId: c.case_id, before: null, after: { refused: Number(c.n), errcodes: [...new Set(codes)] } });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reconciliation and results

/**
 * Rows whose outcome is unknown — SENDING past its lease (the worker died between call and record),
 * or UNKNOWN — are settled from transfer_result before anything is sent again (see the top).
 */
export async function reconcileOutbox(prisma: DbClient, client: WeComClient, options: OutboxOptions = {}): Promise<{ reconciled: number; requeued: number }> {
  const now = options.now?.() ?? new Date();
  const pairs = await prisma.$queryRaw<{ api: string; handover_userid: string; takeover_userid: string }[]>`
    SELECT DISTINCT "api", "handover_userid", "takeover_userid" FROM "wecom_outbox"
    WHERE ("state" = 'SENDING' AND "lease_until" < ${now}) OR "state" = 'UNKNOWN'`;
  let reconciled = 0;
  let requeued = 0;
  for (const p of pairs) {
    const rows = await prisma.$queryRaw<Row[]>`
      SELECT ${ROW} FROM "wecom_outbox"
      WHERE "api" = ${p.api} AND "handover_userid" = ${p.handover_userid} AND "takeover_userid" = ${p.takeover_userid}
        AND (("state" = 'SENDING' AND "lease_until" < ${now}) OR "state" = 'UNKNOWN')`;
    // What WeCom holds: transfer_result for customers; for groups, each chat's owner (groupchat/get):
    // a chat already owned by the successor was moved by the lost call.
    let results: Map<string, { status: number; at: number }>;
    try {
      if (p.api === GROUP_ONJOB || p.api === GROUP_RESIGNED) {
        results = new Map();
        for (const row of rows) {
          const owner = await client
            .groupChatGet(row.chat_id!, false)
            .then((r) => r.group_chat?.owner ?? null)
            .catch((e: unknown) => {
              if (e instanceof WeComError && e.kind === "API") return null;
              throw e;
            });
          if (owner === p.takeover_userid) results.set(row.chat_id!, { status: 1, at: 0 });
        }
      } else {
        results = await wecomResults(client, p.api === RESIGNED, p.handover_userid, p.takeover_userid);
      }
    } catch (e) {
      // Not known yet: the rows stay as they are (never resent) and are asked about on the next run.
      if (!(e instanceof WeComError)) throw e;
      options.log?.(`[outbox] WeCom's state not available (${e.kind}${e.errcode !== null ? ` ${e.errcode}` : ""}); reconciliation left for the next run`);
      continue;
    }
    await prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<Row[]>`
        SELECT ${ROW} FROM "wecom_outbox"
        WHERE "api" = ${p.api} AND "handover_userid" = ${p.handover_userid} AND "takeover_userid" = ${p.takeover_userid}
          AND (("state" = 'SENDING' AND "lease_until" < ${now}) OR "state" = 'UNKNOWN')
        FOR UPDATE SKIP LOCKED`;
      const seen: { row: Row; status: number; at: number }[] = [];
      const back: string[] = [];
      for (const row of rows) {
        const r = results.get(target(row));
        const ours = r && r.status !== 5 && !(r.status === 1 && r.at > 0 && r.at * 1000 < row.created_at.getTime());
        if (ours) seen.push({ row, status: r.status, at: r.at });
        else back.push(row.id);
      }
      if (back.length > 0) {
        await tx.$executeRaw`UPDATE "wecom_outbox" SET "state" = 'PENDING', "batch_id" = NULL, "lease_until" = NULL, "updated_at" = ${now} WHERE "id" IN (${Prisma.join(back)})`;
      }
      if (seen.length > 0) {
        const updated = await tx.$queryRaw<Answered[]>`
          UPDATE "wecom_outbox" SET "state" = 'SENT', "errcode" = 0, "lease_until" = NULL, "sent_at" = ${now}, "answer" = '{"reconciled":true}'::jsonb, "updated_at" = ${now}
          WHERE "id" IN (${Prisma.join(seen.map((s) => s.row.id))}) RETURNING "kind", "handover_item_id", "contact_transfer_id", "errcode", "state"::text AS state`;
        await applyCallAnswers(tx, updated, now);
        await applyResults(tx, seen.filter((s) => s.row.kind !== "GROUP_TRANSFER").map((s) => ({ itemId: s.row.handover_item_id, transferId: s.row.contact_transfer_id, status: s.status, at: s.at })), now);
      }
      reconciled += seen.length;
      requeued += back.length;
    });
  }
  return { reconciled, requeued };
}

async function wecomResults(client: WeComClient, resigned: boolean, handover: string, takeover: string): Promise<Map<string, { status: number; at: number }>> {
  const out = new Map<string, { status: number; at: number }>();
  for await (const page of client.allTransferResults(resigned, handover, takeover)) for (const c of page) out.set(c.external_userid, { status: c.status, at: c.takeover_time });
  return out;
}

/**
 * Polls transfer_result for every pair with transfers still waiting on WeCom and moves their items
 * as WeCom says (1 done, 3 refused, 4 successor's limit; 2 stays waiting). The schedule runs it;
 * a transfer_fail callback settles one customer at once (applyTransferFail).
 */
export async function pollTransferResults(prisma: DbClient, client: WeComClient, options: OutboxOptions & { caseId?: string } = {}): Promise<{ pairs: number; changed: number }> {
  const now = options.now?.() ?? new Date();
  // One case's pairs only (HR's "refresh results"), or every pair with transfers still waiting.
  const ofCase = options.caseId
    ? Prisma.sql`AND EXISTS (SELECT 1 FROM "handover_items" h WHERE h."id" = o."handover_item_id" AND h."case_id" = ${options.caseId})`
    : Prisma.empty;
  const pairs = await prisma.$queryRaw<{ api: string; handover_userid: string; takeover_userid: string }[]>`
    SELECT DISTINCT o."api", o."handover_userid", o."takeover_userid" FROM "wecom_outbox" o
    JOIN "contact_transfers" t ON t."id" = o."contact_transfer_id"
    WHERE o."state" = 'SENT' AND t."status" = 'WAITING' ${ofCase}`;
  let changed = 0;
  for (const p of pairs) {
    const results = await wecomResults(client, p.api === RESIGNED, p.handover_userid, p.takeover_userid);
    changed += await prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<Row[]>`
        SELECT o."id", o."kind", o."handover_item_id", o."contact_transfer_id", o."target_cipher", o."chat_id", o."handover_userid", o."takeover_userid", o."api", o."created_at" FROM "wecom_outbox" o
        JOIN "contact_transfers" t ON t."id" = o."contact_transfer_id"
        WHERE o."state" = 'SENT' AND t."status" = 'WAITING' AND o."api" = ${p.api} AND o."handover_userid" = ${p.handover_userid} AND o."takeover_userid" = ${p.takeover_userid}`;
      const found: { itemId: string | null; transferId: string | null; status: number; at: number }[] = [];
      const waitingIds: string[] = [];
      const waitingUntil: Date[] = [];
      for (const row of rows) {
        const r = results.get(target(row));
        if (!r || r.status === 5) continue;
        if (r.status !== 2) found.push({ itemId: row.handover_item_id, transferId: row.contact_transfer_id, status: r.status, at: r.at });
        else if (r.at > 0 && row.handover_item_id) {
          waitingIds.push(row.handover_item_id);
          waitingUntil.push(new Date(r.at * 1000));
        }
      }
      // Still waiting: the window HR sees is WeCom's (the takeover time it gives), not the local 24 h.
      if (waitingIds.length > 0) {
        await tx.$executeRaw`
          UPDATE "handover_items" h SET "transfer_due_at" = u.at, "updated_at" = ${now}
          FROM unnest(${waitingIds}::text[], ${waitingUntil}::timestamptz[]) AS u(id, at)
          WHERE h."id" = u.id AND h."status" = 'TRANSFERRING' AND h."transfer_due_at" IS DISTINCT FROM u.at`;
      }
      return applyResults(tx, found, now);
    });
  }
  return { pairs: pairs.length, changed };
}

/** WeCom's status for transfers (1 done, 3 refused, 4 successor's limit), applied to the transfer,
 * the contact and the handover item, each conditional on still waiting. Audited per case. */
export async function applyResults(tx: Tx, results: { itemId: string | null; transferId: string | null; status: number; at: number }[], now: Date): Promise<number> {
  const final = results.filter((r) => (r.status === 1 || r.status === 3 || r.status === 4) && r.transferId);
  if (final.length === 0) return 0;
  const ids = final.map((r) => r.transferId!);
  const statuses = final.map((r) => r.status);
  const ats = final.map((r) => (r.status === 1 && r.at > 0 ? new Date(r.at * 1000) : now));
  const cases = await tx.$queryRaw<{ case_id: string; status: number; n: bigint }[]>`
    WITH u AS (SELECT * FROM unnest(${ids}::text[], ${statuses}::int[], ${ats}::timestamptz[]) AS u(id, s, at)),
    t AS (
      UPDATE "contact_transfers" t SET "status" = (CASE u.s WHEN 1 THEN 'DONE' WHEN 3 THEN 'REFUSED' ELSE 'FAILED' END)::"TransferStatus", "finished_at" = u.at, "updated_at" = ${now}
      FROM u WHERE t."id" = u.id AND t."status" = 'WAITING' RETURNING t."contact_id", t."handover_item_id", u.s, u.at
    ), c AS (
      UPDATE "customer_contacts" cc SET "status" = 'TRANSFERRED', "version" = cc."version" + 1, "updated_at" = ${now}
      FROM t WHERE cc."id" = t."contact_id" AND t.s = 1 AND cc."status" = 'ACTIVE' RETURNING cc."id"
    ), i AS (
      UPDATE "handover_items" h SET "status" = (CASE t.s WHEN 1 THEN 'DONE' WHEN 3 THEN 'REFUSED' ELSE 'FAILED' END)::"HandoverItemStatus",
        "wecom_transfer_status" = t.s, "completed_at" = CASE WHEN t.s = 1 THEN t.at ELSE NULL END, "version" = h."version" + 1, "updated_at" = ${now}
      FROM t WHERE h."id" = t."handover_item_id" AND h."status" = 'TRANSFERRING' RETURNING h."case_id", t.s
    )
    SELECT "case_id", s AS status, count(*)::bigint AS n FROM i GROUP BY "case_id", s`;
  let n = 0;
  const byCase = new Map<string, Record<string, number>>();
  for (const c of cases) {
    n += Number(c.n);
    const key = c.status === 1 ? "done" : c.status === 3 ? "refused" : "successorLimit";
    byCase.set(c.case_id, { ...byCase.get(c.case_id), [key]: Number(c.n) });
  }
  for (const [caseId, after] of byCase) await writeAuditEvent(tx, SYSTEM_ACTOR, { action: "offboarding.wecom.results", entityType: CASE_ENTITY, entityId: caseId, before: null, after });
  return n;
}

/**
 * A change_external_contact/transfer_fail callback (92277): WeCom says at once that a customer was
 * not taken over — customer_refused (status 3) or customer_limit_exceed (4, the successor's limit).
 * Applied to the waiting transfer of that customer sent through WeCom to (or from) that member;
 * the scheduled poll would find the same later, and applying both changes nothing more.
 */
export async function applyTransferFail(prisma: DbClient, event: { userid: string; externalUserid: string; reason: string }, now = new Date()): Promise<number> {
  const status = event.reason === "customer_limit_exceed" ? 4 : 3;
  const hashes = externalIdHashes(event.externalUserid);
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ item_id: string | null; transfer_id: string }[]>`
      SELECT t."handover_item_id" AS item_id, t."id" AS transfer_id FROM "contact_transfers" t JOIN "wecom_outbox" o ON o."contact_transfer_id" = t."id"
      WHERE t."external_id_hash" IN (${Prisma.join(hashes)}) AND t."status" = 'WAITING' AND o."state" = 'SENT'
        AND (o."takeover_userid" = ${event.userid} OR o."handover_userid" = ${event.userid})`;
    return applyResults(tx, rows.map((r) => ({ itemId: r.item_id, transferId: r.transfer_id, status, at: 0 })), now);
  });
}

// ---------------------------------------------------------------------------------------------
// The jobs (lib/jobs/runner.ts): nothing to do while the customer-contact secret is unset.

export async function runOutboxJob(prisma: DbClient, log: (line: string) => void = console.log): Promise<OutboxResult | null> {
  const { customers } = clientsFor(prisma, await loadConnection(prisma));
  if (!customers) return null;
  const result = await sendOutbox(prisma, customers, { log });
  if (result.batches + result.reconciled + result.requeued > 0) log(`[wecom] outbox: ${JSON.stringify(result)}`);
  return result;
}

export async function runTransferResultsJob(prisma: DbClient, log: (line: string) => void = console.log): Promise<{ pairs: number; changed: number } | null> {
  const { customers } = clientsFor(prisma, await loadConnection(prisma));
  if (!customers) return null;
  const result = await pollTransferResults(prisma, customers, { log });
  if (result.changed > 0) log(`[wecom] transfer results: ${result.changed} handover item(s) settled by WeCom`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// HR's "refresh results" on a case (the schedule asks every 10 minutes; HR may ask now).

/** The shortest gap between two refreshes of one case, by anyone: WeCom's transfer_result is
 * paced per app, and one case's answers do not change faster than a person can read them. */
export const REFRESH_INTERVAL_MS = 30_000;
export const REFRESH_ACTION = "offboarding.wecom.refreshResults";

/**
 * Asks WeCom now for the results of one case's transfers still waiting (transfer_result), and
 * applies them as the schedule would. Audited (who asked, and what changed) and limited to once
 * per REFRESH_INTERVAL_MS per case: the case row is locked while the last refresh is read, so two
 * clicks at once make one poll. Returns null when the case has nothing waiting on WeCom.
 */
export async function refreshCaseResults(
  prisma: DbClient,
  client: WeComClient,
  actor: AuditActor,
  caseId: string,
  now = new Date(),
): Promise<{ pairs: number; changed: number; waiting: number }> {
  const waiting = await prisma.$transaction(async (tx) => {
    const [c] = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "offboarding_cases" WHERE "id" = ${caseId} FOR UPDATE`;
    if (!c) throw new DomainError("NOT_FOUND", "errors.notFound");
    const last = await tx.auditEvent.findFirst({ where: { entityType: CASE_ENTITY, entityId: caseId, action: REFRESH_ACTION }, orderBy: { id: "desc" }, select: { createdAt: true } });
    const wait = last ? last.createdAt.getTime() + REFRESH_INTERVAL_MS - now.getTime() : 0;
    if (wait > 0) throw new DomainError("INVALID_STATE", "offboarding.errors.refreshTooSoon", { params: { seconds: Math.ceil(wait / 1000) } });
    const [{ n }] = await tx.$queryRaw<{ n: bigint }[]>`
      SELECT count(*)::bigint AS n FROM "wecom_outbox" o JOIN "contact_transfers" t ON t."id" = o."contact_transfer_id"
      JOIN "handover_items" h ON h."id" = o."handover_item_id"
      WHERE h."case_id" = ${caseId} AND o."state" = 'SENT' AND t."status" = 'WAITING'`;
    await writeAuditEvent(tx, actor, { action: REFRESH_ACTION, entityType: CASE_ENTITY, entityId: caseId, before: null, after: { waiting: Number(n) } });
    return Number(n);
  });
  if (waiting === 0) return { pairs: 0, changed: 0, waiting };
  const out = await pollTransferResults(prisma, client, { caseId, now: () => now });
  return { ...out, waiting };
}
