import { keyringFromEnv, hashCandidates, PiiKeyError, protect, type PiiKeyring } from "@/lib/pii";
import { applyTransferFail } from "@/lib/offboarding/outbox";
import { DomainError } from "@/lib/server/errors";
import type { Tx } from "@/lib/server/prisma-client";
import type { WeComClient } from "../client";
import { WeComError } from "../errors";
import type * as T from "../types";
import type { EventHandler, SyncContext, SyncStep } from "./types";

// The customer-contact step of the WeCom sync (issue 14, item 3) and the change_external_contact
// callback (item 5). docs/wecom.md, "Customer contacts".
//
// get_follow_user_list gives the members who have customer contacts; they are read 100 at a time
// (batch/get_by_user, 100 contacts a page, with WeCom's cursor) and written:
// - per member, its WECOM_MEMBER account, found by the keyed hash of the userid (an account
//   registered or imported earlier is that account); created when missing: ACTIVE, held by the
//   employee with that wecom_userid (custodian: their department), else by no one (custodian: the
//   root department); requested by no one (requested_by_id NULL = found by the sync);
// - per contact, one customer_contacts row per (account, keyed hash of external_userid): name,
//   company (corp_name of a WeCom-user customer; a WeChat user's keeps what the portal had),
//   follow-up remark, add time, tag ids, and wecom_last_seen_at = now. An existing row (imported
//   earlier, or the last run's) is updated in place, never duplicated; its token is kept.
// Several pages go into one commit (up to COMMIT_ROWS rows) as set-based statements over unnest(),
// with the checkpoint {batch, userids, cursor, ...}: a crash resumes at the first page not
// committed, and a page redone changes nothing.
//
// "No longer in WeCom" is decided at the end of a complete step: a member whose list was read to
// its end in this run carries wecom_contacts_synced_at >= the run's start, and its ACTIVE contacts
// this run did not see (wecom_last_seen_at < start, or never seen) become REMOVED, keeping their
// last-seen time. Never deleted. A contact in handover (a WAITING transfer) is left to the
// transfer (it leaves the member when WeCom completes it: TRANSFERRED, not REMOVED); TRANSFERRED
// stays TRANSFERRED. A REMOVED contact WeCom shows again is ACTIVE again. Members not in the list
// this run (left, no longer licensed for customer contact) and members WeCom refused keep their
// contacts as they were.
//
// Errors: WeCom refusing one member (60011 outside the app's range, 84061, 60111 unknown) is a
// warning naming the member (masked) and the others are read one by one; 48002 (no permission for
// customer contact) and anything else stops the step (the runner records it).

/** Rows per commit (several pages of 100 in one transaction). */
export const COMMIT_ROWS = 1_000;
const BATCH = 100;
/** Errcodes meaning "this member, not the whole call". */
const MEMBER_REFUSED: ReadonlySet<number> = new Set([60011, 84061, 60111]);
const CLOSED = ["DISSOLVED", "REJECTED", "WITHDRAWN"];
const TAG_SEP = "\u001f";

type Checkpoint = {
  /** Batches completed (for the page). */
  batch: number;
  /** The last userid (sorted) of the batches completed: the next batch starts after it. */
  after: string;
  /** The current batch's members; empty between batches. */
  userids: string[];
  /** The cursor within the current batch (or the current member, one by one). */
  cursor: string;
  /** One by one after WeCom refused a member of the batch: the index of the member being read. */
  single: number | null;
  /** Members of the current batch WeCom refused. */
  refused: string[];
  rows: number;
  members: number;
  done: boolean;
};

const START: Checkpoint = { batch: 0, after: "", userids: [], cursor: "", single: null, refused: [], rows: 0, members: 0, done: false };

function parseCheckpoint(value: unknown): Checkpoint {
  if (!value || typeof value !== "object") return { ...START };
  const v = value as Partial<Checkpoint>;
  return {
    batch: Number(v.batch) || 0,
    after: typeof v.after === "string" ? v.after : "",
    userids: Array.isArray(v.userids) ? v.userids.map(String) : [],
    cursor: typeof v.cursor === "string" ? v.cursor : "",
    single: typeof v.single === "number" ? v.single : null,
    refused: Array.isArray(v.refused) ? v.refused.map(String) : [],
    rows: Number(v.rows) || 0,
    members: Number(v.members) || 0,
    done: v.done === true,
  };
}

function ringOrFail(): PiiKeyring {
  try {
    return keyringFromEnv();
  } catch (error) {
    if (error instanceof PiiKeyError) throw new DomainError("INVALID_STATE", "wecom.sync.errors.piiKey");
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Writes shared by the step and the callback

/** One customer of one member, as WeCom gave it. */
export type ContactIn = { userid: string; externalUserid: string; name: string; company: string | null; remark: string | null; tags: string[]; addedAt: Date };

export function contactFromWeCom(c: T.ExternalContact): ContactIn {
  const e = c.external_contact;
  const f = c.follow_info;
  return {
    userid: f.userid,
    externalUserid: e.external_userid,
    name: e.name ?? "",
    // A WeCom-user customer (type 2) has a company; a WeChat user's company is what the portal knew.
    company: e.type === 2 ? e.corp_full_name || e.corp_name || null : null,
    remark: f.remark || null,
    tags: [...new Set(f.tag_id ?? [])],
    addedAt: new Date((f.createtime ?? 0) * 1000),
  };
}

type MemberAccount = { id: string; status: string };

/**
 * The WECOM_MEMBER account of each userid, found by the keyed hash (either key during a rotation)
 * and created when missing (unless `create` is false). Set-based: one SELECT, one INSERT.
 */
export async function memberAccounts(tx: Tx, userids: string[], ring: PiiKeyring, now: Date, create = true): Promise<{ accounts: Map<string, MemberAccount>; created: number; noDepartment: string[] }> {
  const unique = [...new Set(userids)];
  const accounts = new Map<string, MemberAccount>();
  if (unique.length === 0) return { accounts, created: 0, noDepartment: [] };
  const candidates = new Map(unique.map((u) => [u, hashCandidates("identifier", u, ring)]));
  const find = async (list: string[]) => {
    const hashes = list.flatMap((u) => candidates.get(u)!);
    const rows = await tx.$queryRaw<{ id: string; hash: string; status: string }[]>`
      SELECT "id", "platform_id_hash" AS hash, "status"::text AS status FROM "accounts" WHERE "type" = 'WECOM_MEMBER' AND "platform_id_hash" = ANY(${hashes}::text[])`;
    const byHash = new Map(rows.map((r) => [r.hash, r]));
    for (const u of list) {
      const hit = candidates.get(u)!.map((h) => byHash.get(h)).find(Boolean);
      if (hit) accounts.set(u, { id: hit.id, status: hit.status });
    }
  };
  await find(unique);
  const missing = unique.filter((u) => !accounts.has(u));
  if (!create || missing.length === 0) return { accounts, created: 0, noDepartment: [] };

  const employees = await tx.$queryRaw<{ id: string; name: string; department_id: string; wecom_userid: string }[]>`
    SELECT "id", "name", "department_id", "wecom_userid" FROM "employees" WHERE "wecom_userid" = ANY(${missing}::text[])`;
  const byUserid = new Map(employees.map((e) => [e.wecom_userid, e]));
  const root = missing.some((u) => !byUserid.has(u))
    ? ((await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "departments" WHERE "parent_id" IS NULL ORDER BY "path", "id" LIMIT 1`)[0]?.id ?? null)
    : null;
  const rows = missing.flatMap((u) => {
    const e = byUserid.get(u);
    const dept = e?.department_id ?? root;
    if (!dept) return [];
    const p = protect("identifier", u, ring);
    return [{ u, p, name: e ? `${e.name}（企业微信）` : `企业微信成员 ${p.mask}`, holder: e?.id ?? null, dept }];
  });
  let created = 0;
  if (rows.length > 0) {
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "accounts" ("id", "type", "display_name", "platform_id_cipher", "platform_id_hash", "platform_id_mask", "holder_id", "custodian_department_id", "status", "requested_by_id", "version", "created_at", "updated_at")
      SELECT replace(gen_random_uuid()::text, '-', ''), 'WECOM_MEMBER', u.n, u.c, u.h, u.m, u.holder, u.dept, 'ACTIVE', NULL, 1, ${now}, ${now}
      FROM unnest(${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.p.cipher)}::text[], ${rows.map((r) => r.p.hash)}::text[], ${rows.map((r) => r.p.mask)}::text[],
                  ${rows.map((r) => r.holder)}::text[], ${rows.map((r) => r.dept)}::text[]) AS u(n, c, h, m, holder, dept)
      ON CONFLICT ("type", "platform_id_hash") DO NOTHING
      RETURNING "id"`;
    created = inserted.length;
    // Created here, or by a callback a moment ago (the conflict): either way, found now.
    await find(rows.map((r) => r.u));
  }
  return { accounts, created, noDepartment: missing.filter((u) => !rows.some((r) => r.u === u)) };
}

/**
 * Upserts contacts onto their accounts (one INSERT … ON CONFLICT over unnest()); returns how many
 * were created and how many changed (name, company, remark, tags, add time, or back from REMOVED).
 */
export async function upsertContacts(tx: Tx, rows: (ContactIn & { accountId: string })[], ring: PiiKeyring, now: Date): Promise<{ created: number; updated: number }> {
  // One row per (account, customer): WeCom does not repeat one, but ON CONFLICT must never meet two.
  const seen = new Map<string, ContactIn & { accountId: string; p: ReturnType<typeof protect> }>();
  for (const r of rows) {
    const p = protect("identifier", r.externalUserid, ring);
    seen.set(`${r.accountId}\u0000${p.hash}`, { ...r, p });
  }
  const list = [...seen.values()];
  if (list.length === 0) return { created: 0, updated: 0 };
  const accountIds = list.map((r) => r.accountId);
  if (ring.previous) {
    // During a key rotation, a row still under the previous key's hash takes the current one here,
    // so the upsert below finds it instead of adding a second row for the same customer.
    const previous = list.map((r) => hashCandidates("identifier", r.externalUserid, ring)[1]);
    await tx.$executeRaw`
      UPDATE "customer_contacts" AS c SET "external_id_hash" = u.h, "external_id_cipher" = u.c
      FROM unnest(${accountIds}::text[], ${previous}::text[], ${list.map((r) => r.p.hash)}::text[], ${list.map((r) => r.p.cipher)}::text[]) AS u(a, old, h, c)
      WHERE c."account_id" = u.a AND c."external_id_hash" = u.old`;
  }
  const changed = `(c."name" IS DISTINCT FROM EXCLUDED."name" OR COALESCE(EXCLUDED."company", c."company") IS DISTINCT FROM c."company"
      OR c."remark" IS DISTINCT FROM EXCLUDED."remark" OR c."tags" IS DISTINCT FROM EXCLUDED."tags" OR c."added_at" IS DISTINCT FROM EXCLUDED."added_at" OR c."status" = 'REMOVED')`;
  const result = await tx.$queryRawUnsafe<{ created: boolean; changed: boolean }[]>(
    `INSERT INTO "customer_contacts" AS c ("id", "account_id", "external_id_cipher", "external_id_hash", "external_id_mask", "name", "company", "remark", "tags", "added_at", "status", "wecom_last_seen_at", "version", "created_at", "updated_at")
     SELECT replace(gen_random_uuid()::text, '-', ''), u.a, u.c, u.h, u.m, u.n, u.co, u.r, CASE WHEN u.t = '' THEN ARRAY[]::text[] ELSE string_to_array(u.t, chr(31)) END, u.at,
            'ACTIVE', $10::timestamptz, 1, $10::timestamptz, $10::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[]) AS u(a, c, h, m, n, co, r, t, at)
     ON CONFLICT ("account_id", "external_id_hash") DO UPDATE SET
       "name" = EXCLUDED."name",
       "company" = COALESCE(EXCLUDED."company", c."company"),
       "remark" = EXCLUDED."remark",
       "tags" = EXCLUDED."tags",
       "added_at" = EXCLUDED."added_at",
       "status" = CASE WHEN c."status" = 'REMOVED' THEN 'ACTIVE'::"ContactStatus" ELSE c."status" END,
       "wecom_last_seen_at" = EXCLUDED."wecom_last_seen_at",
       "version" = c."version" + CASE WHEN ${changed} THEN 1 ELSE 0 END,
       "updated_at" = CASE WHEN ${changed} THEN EXCLUDED."updated_at" ELSE c."updated_at" END
     RETURNING (xmax::text = '0') AS created, ("updated_at" = $10::timestamptz) AS changed`,
    accountIds,
    list.map((r) => r.p.cipher),
    list.map((r) => r.p.hash),
    list.map((r) => r.p.mask),
    list.map((r) => r.name),
    list.map((r) => r.company),
    list.map((r) => r.remark),
    list.map((r) => r.tags.filter((t) => t && !t.includes(TAG_SEP)).join(TAG_SEP)),
    list.map((r) => r.addedAt),
    now,
  );
  let created = 0;
  let updated = 0;
  for (const r of result) {
    if (r.created) created++;
    else if (r.changed) updated++;
  }
  return { created, updated };
}

/** ACTIVE contacts not in handover that are no longer on the member: REMOVED (last seen kept). */
const REMOVABLE = `c."status" = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM "contact_transfers" t WHERE t."contact_id" = c."id" AND t."status" = 'WAITING')`;

async function markRemoved(tx: Tx, accountId: string, externalUserid: string, ring: PiiKeyring, now: Date): Promise<number> {
  return tx.$executeRawUnsafe(
    `UPDATE "customer_contacts" AS c SET "status" = 'REMOVED', "version" = c."version" + 1, "updated_at" = $3::timestamptz
      WHERE c."account_id" = $1 AND c."external_id_hash" = ANY($2::text[]) AND ${REMOVABLE}`,
    accountId,
    hashCandidates("identifier", externalUserid, ring),
    now,
  );
}

/** The end of a complete step: what the members read to their end no longer have. */
async function sweepRemoved(tx: Tx, startedAt: Date, now: Date): Promise<number> {
  return tx.$executeRawUnsafe(
    `UPDATE "customer_contacts" AS c SET "status" = 'REMOVED', "version" = c."version" + 1, "updated_at" = $2::timestamptz
       FROM "accounts" a
      WHERE a."id" = c."account_id" AND a."type" = 'WECOM_MEMBER' AND a."wecom_contacts_synced_at" >= $1::timestamptz
        AND (c."wecom_last_seen_at" IS NULL OR c."wecom_last_seen_at" < $1::timestamptz) AND ${REMOVABLE}`,
    startedAt,
    now,
  );
}

// ---------------------------------------------------------------------------------------------
// The step

/** A member named in a warning: masked, as every list shows a WeCom userid. */
const memberLabel = (userid: string, ring: PiiKeyring) => protect("identifier", userid, ring).mask;

async function previousTotal(ctx: SyncContext): Promise<number | undefined> {
  const last = await ctx.prisma.weComSyncStep.findFirst({ where: { step: "contacts", status: "DONE", runId: { not: ctx.runId } }, orderBy: { finishedAt: "desc" }, select: { rows: true } });
  return last?.rows || undefined;
}

async function run(ctx: SyncContext): Promise<void> {
  const client = ctx.customers;
  if (!client) {
    await ctx.warn("wecom.sync.warnings.noSecret.customers");
    return;
  }
  // Accounts are matched to their holders through the directory's WeCom userids: it goes first.
  await ctx.waitFor("directory");
  const ring = ringOrFail();
  let cp = parseCheckpoint(ctx.checkpoint);
  if (cp.done) return;

  const followed = [...new Set((await client.followUserList()).follow_user ?? [])].sort();
  const estimate = await previousTotal(ctx);
  const warnedClosed = new Set<string>();
  const nextBatch = (after: string) => {
    const from = after ? followed.findIndex((u) => u > after) : 0;
    return from < 0 ? [] : followed.slice(from, from + BATCH);
  };
  const totalFor = (c: Checkpoint) => (c.members > 0 ? Math.max(c.rows, Math.round((c.rows / c.members) * followed.length)) : estimate);

  let pending: ContactIn[] = [];
  if (cp.userids.length === 0) cp = { ...cp, userids: nextBatch(cp.after), cursor: "", single: null, refused: [] };

  while (cp.userids.length > 0) {
    const current = cp.single === null ? cp.userids : [cp.userids[cp.single]];
    let page: T.BatchGetByUser | null = null;
    try {
      page = await client.batchGetByUser({ userid_list: current, cursor: cp.cursor, limit: 100 });
    } catch (error) {
      if (!(error instanceof WeComError && error.kind === "API" && error.errcode !== null && MEMBER_REFUSED.has(error.errcode))) throw error;
      if (cp.single === null && cp.userids.length > 1) {
        // Someone in the batch is refused: read the batch one member at a time to find who.
        cp = { ...cp, single: 0, cursor: "" };
        continue;
      }
      const userid = current[0];
      await ctx.warn("wecom.sync.warnings.contacts.memberRefused", { member: memberLabel(userid, ring), errcode: error.errcode });
      cp = { ...cp, refused: [...cp.refused, userid], cursor: "" };
    }
    if (page) {
      pending.push(...(page.external_contact_list ?? []).map(contactFromWeCom));
      cp = { ...cp, cursor: page.next_cursor ?? "" };
    }
    // This member (one by one) or the batch is read to its end when the cursor is exhausted.
    let batchEnd = false;
    if (!cp.cursor) {
      if (cp.single === null || cp.single + 1 >= cp.userids.length) batchEnd = true;
      else cp = { ...cp, single: cp.single + 1 };
    }
    if (pending.length < COMMIT_ROWS && !batchEnd) continue;

    const rows = pending;
    pending = [];
    const completed = batchEnd ? cp.userids.filter((u) => !cp.refused.includes(u)) : [];
    const refused = batchEnd ? cp.refused.length : 0;
    const next: Checkpoint = batchEnd
      ? { ...cp, batch: cp.batch + 1, after: cp.userids[cp.userids.length - 1], userids: [], cursor: "", single: null, refused: [], rows: cp.rows + rows.length, members: cp.members + completed.length }
      : { ...cp, rows: cp.rows + rows.length };
    const now = ctx.now();
    const written = await ctx.commit(
      async (tx) => {
        const found = await memberAccounts(tx, [...rows.map((r) => r.userid), ...completed], ring, now);
        const open = (u: string) => {
          const a = found.accounts.get(u);
          return a && !CLOSED.includes(a.status) ? a : null;
        };
        const contacts = await upsertContacts(tx, rows.flatMap((r) => (open(r.userid) ? [{ ...r, accountId: open(r.userid)!.id }] : [])), ring, now);
        const synced = completed.flatMap((u) => (open(u) ? [open(u)!.id] : []));
        if (synced.length > 0) await tx.$executeRaw`UPDATE "accounts" SET "wecom_contacts_synced_at" = ${now} WHERE "id" = ANY(${synced}::text[])`;
        const closed = [...new Set([...rows.map((r) => r.userid), ...completed])].filter((u) => found.accounts.has(u) && !open(u));
        return { ...contacts, accountsCreated: found.created, closed, noDepartment: found.noDepartment, synced: synced.length };
      },
      (w) => ({
        checkpoint: next,
        rows: rows.length,
        total: totalFor(next),
        counts: { "accounts.created": w.accountsCreated, "contacts.created": w.created, "contacts.updated": w.updated, "contacts.members": w.synced, "contacts.membersRefused": refused },
      }),
    );
    for (const u of [...written.closed, ...written.noDepartment]) {
      if (warnedClosed.has(u)) continue;
      warnedClosed.add(u);
      await ctx.warn(written.closed.includes(u) ? "wecom.sync.warnings.contacts.accountClosed" : "wecom.sync.warnings.contacts.noDepartment", { member: memberLabel(u, ring) });
    }
    cp = next;
    if (batchEnd) cp = { ...cp, userids: nextBatch(cp.after) };
  }

  // Every member read: what they no longer have is marked, and the step is done.
  const done: Checkpoint = { ...cp, done: true };
  await ctx.commit(
    (tx) => sweepRemoved(tx, ctx.startedAt, ctx.now()),
    (removed) => ({ checkpoint: done, total: cp.rows, counts: { "contacts.removed": removed } }),
  );
}

export const contactsStep: SyncStep = { name: "contacts", run };

// ---------------------------------------------------------------------------------------------
// The callback: change_external_contact

/** The member's follow-up of this customer, from externalcontact/get (follow_user pages past 500). */
async function followOf(client: WeComClient, externalUserid: string, userid: string): Promise<ContactIn | "GONE"> {
  let cursor = "";
  for (let pages = 0; pages < 100; pages++) {
    let got: T.ExternalContactGet;
    try {
      got = await client.externalContactGet(externalUserid, cursor);
    } catch (error) {
      // 84061: no relationship between the customer and any member the app sees any more.
      if (error instanceof WeComError && error.errcode === 84061) return "GONE";
      throw error;
    }
    const f = got.follow_user?.find((x) => x.userid === userid);
    if (f) {
      return contactFromWeCom({
        external_contact: got.external_contact,
        follow_info: { ...f, tag_id: (f.tags ?? []).flatMap((t) => (t.tag_id ? [t.tag_id] : [])) },
      });
    }
    if (!got.next_cursor) return "GONE";
    cursor = got.next_cursor;
  }
  return "GONE";
}

/**
 * Applies one change_external_contact event at once, as the sync would (idempotent: the same
 * event twice changes nothing more):
 * - add_external_contact / edit_external_contact: the customer is read again (externalcontact/get)
 *   and upserted on the member's account (created if missing); if WeCom no longer has the
 *   relationship, it is marked REMOVED instead;
 * - del_external_contact (the member deleted the customer) / del_follow_user (the customer deleted
 *   the member): that member's contact is marked REMOVED, its last-seen time kept;
 * - transfer_fail: the customer was not taken over (customer_refused, customer_limit_exceed): the
 *   waiting transfer sent through WeCom and its handover item become REFUSED or FAILED at once
 *   (lib/offboarding/outbox.ts applyTransferFail), without waiting for the next results poll.
 */
export const applyExternalContactEvent: EventHandler = async (ctx, fields) => {
  if (fields.Event !== "change_external_contact") return { applied: false };
  const changeType = fields.ChangeType ?? "";
  const userid = (fields.UserID ?? "").trim();
  const externalUserid = (fields.ExternalUserID ?? "").trim();
  if (changeType === "transfer_fail") {
    const reason = fields.FailReason ?? "";
    const changed = userid && externalUserid ? await applyTransferFail(ctx.prisma, { userid, externalUserid, reason }, ctx.now()) : 0;
    ctx.log(`[wecom] transfer_fail: a customer of member ${userid ? maskOf(userid) : "?"} was not taken over (${reason || "no reason given"}); ${changed} handover item(s) updated`);
    return { applied: changed > 0 };
  }
  if (!userid || !externalUserid) {
    ctx.log(`[wecom] change_external_contact/${changeType} without UserID or ExternalUserID: ignored`);
    return { applied: false };
  }
  if (!["add_external_contact", "edit_external_contact", "del_external_contact", "del_follow_user"].includes(changeType)) {
    ctx.log(`[wecom] change_external_contact/${changeType}: not a change the portal keeps; ignored`);
    return { applied: false };
  }
  const ring = ringOrFail();
  let contact: ContactIn | "GONE" = "GONE";
  if (changeType === "add_external_contact" || changeType === "edit_external_contact") {
    if (!ctx.customers) {
      ctx.log(`[wecom] change_external_contact/${changeType}: the customer-contact secret is not set; left to the next sync`);
      return { applied: false };
    }
    contact = await followOf(ctx.customers, externalUserid, userid);
  }
  const now = ctx.now();
  return ctx.prisma.$transaction(async (tx) => {
    if (contact === "GONE") {
      const { accounts } = await memberAccounts(tx, [userid], ring, now, false);
      const account = accounts.get(userid);
      if (!account) return { applied: false };
      return { applied: (await markRemoved(tx, account.id, externalUserid, ring, now)) > 0 };
    }
    const { accounts } = await memberAccounts(tx, [userid], ring, now);
    const account = accounts.get(userid);
    if (!account || CLOSED.includes(account.status)) {
      ctx.log(`[wecom] change_external_contact/${changeType}: member ${maskOf(userid)} has no open account here; left as it is`);
      return { applied: false };
    }
    const written = await upsertContacts(tx, [{ ...contact, accountId: account.id }], ring, now);
    return { applied: written.created + written.updated > 0 };
  });
};

const maskOf = (userid: string) => protect("identifier", userid, ringOrFail()).mask;
