import type { Tx } from "@/lib/server/prisma-client";
import { loadPolicy } from "@/lib/groups/policy";
import { refreshUnregisteredNotices, refreshViolationNotices } from "@/lib/groups/tasks";
import { recheckMembership } from "@/lib/groups/violations";
import type { WeComClient } from "../client";
import { WeComError } from "../errors";
import type * as T from "../types";
import type { EventHandler, SyncContext, SyncStep } from "./types";

// The customer groups step of the WeCom sync (issue 14, item 3, docs/wecom.md "Customer groups"):
// groupchat/list (cursor, 1,000 a page, every status) then groupchat/get for each chat, at most
// GET_CONCURRENCY in flight (the client's pacer keeps the calls-per-minute budget), into the
// work-group registry: WeCom's chat id is the group's platform id (external_id, platform WECOM).
//
// - A chat with a work group of that id (a group requested and approved here, or found by an
//   earlier sync) is updated with what WeCom reports: owner (the employee carrying WeCom's owner
//   userid; kept as it was when nobody does, the userid beside it), administrators, internal and
//   external member counts, the internal members' userids (external ones are personal
//   information: counted, never stored), WeCom's status, when it was last seen.
// - A chat with none was created in WeCom without a request here: it becomes a work group
//   flagged "created outside the portal" with placeholders (FOUND_* below, docs/wecom.md) and its
//   owner gets ONE task for all their unregistered groups (lib/groups/tasks.ts).
// - Set-based: COMMIT_BATCH groups per transaction in three statements (upsert, administrators,
//   checkpoint), whatever the batch size. The checkpoint is the page's cursor and the position in
//   the page; a page is re-read on resume and the committed part skipped. WeCom's list is taken to
//   be stable during a run (it is ordered by chat); a chat that vanished between list and get
//   (40050 / 90501) is skipped and counted.
// - After the last page: groups WeCom no longer lists (seen by an earlier run, not by this one)
//   are marked NOT_LISTED, never deleted; the owners' tasks are refreshed.

export const GROUPS_PAGE_LIMIT = 1_000;
/** Groups per transaction: the per-group database cost is the batch's three statements ÷ this. */
export const COMMIT_BATCH = 250;
/** groupchat/get calls in flight. */
export const GET_CONCURRENCY = 16;

/** The placeholders of a group found in WeCom (shown until its owner registers it). */
export const FOUND_PURPOSE = "在企业微信中发现的客户群，未经本平台申请创建。请群主登记其用途、密级和所属部门。";
export const FOUND_CLASSIFICATION = "INTERNAL";

/** errcodes of a chat that is gone (or not a customer group) by the time it is read. */
const CHAT_GONE = new Set([40050, 90501]);

type Checkpoint = { phase: "list"; cursor: string; index: number } | { phase: "finish" } | { phase: "done" };

/** One group as the registry takes it from groupchat/get (and the list's status, when known). */
export type GroupFacts = {
  chat_id: string;
  name: string;
  owner: string;
  /** From groupchat/list; null from a callback (the registry keeps or infers it). */
  status: number | null;
  /** Internal members' userids, sorted, unique. */
  internal: string[];
  internal_count: number;
  external_count: number;
  admins: string[];
  created: number;
};

/** Control and text-direction characters have no place in a name shown on phones and in CSV. */
const UNSAFE_TEXT = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function factsOf(chat: T.GroupChatGet["group_chat"], status: number | null): GroupFacts {
  const internal = [...new Set(chat.member_list.filter((m) => m.type === 1).map((m) => m.userid))].sort();
  // An external member is counted by id (never stored): the same person twice is one.
  const external = new Set(chat.member_list.filter((m) => m.type === 2).map((m) => m.userid)).size;
  return {
    chat_id: chat.chat_id,
    name: (chat.name ?? "").replace(UNSAFE_TEXT, "").trim().slice(0, 200),
    owner: chat.owner ?? "",
    status,
    internal,
    internal_count: internal.length,
    external_count: external,
    admins: [...new Set((chat.admin_list ?? []).map((a) => a.userid))].sort(),
    created: Number.isFinite(chat.create_time) ? chat.create_time : 0,
  };
}

export type UpsertCounts = { created: number; updated: number; outside: number; ownerless: number; ownerUnknown: number; noDepartment: number; adminsAdded: number; adminsRemoved: number };

/**
 * Writes a batch of groups (set-based: one upsert and one administrators statement). Returns what
 * changed, and the work-group ids written with their owners.
 */
export async function upsertGroups(tx: Tx, batch: readonly GroupFacts[], seenAt: Date): Promise<{ counts: UpsertCounts; written: { id: string; ownerId: string | null }[] }> {
  const zero: UpsertCounts = { created: 0, updated: 0, outside: 0, ownerless: 0, ownerUnknown: 0, noDepartment: 0, adminsAdded: 0, adminsRemoved: 0 };
  if (batch.length === 0) return { counts: zero, written: [] };
  // One row per chat (an upsert may not touch the same row twice in a statement).
  const unique = [...new Map(batch.map((g) => [g.chat_id, g])).values()];
  const json = JSON.stringify(unique);
  const rows = await tx.$queryRaw<{ id: string; owner_id: string | null; inserted: boolean; changed: boolean; outside_portal: boolean; wecom_status: number | null; owner_unknown: boolean }[]>`
    WITH x AS (
      SELECT * FROM jsonb_to_recordset(${json}::jsonb)
        AS x(chat_id text, name text, owner text, status int, internal text[], internal_count int, external_count int, created bigint)
    ),
    -- Look-ups per row (LATERAL … LIMIT 1, which the planner cannot flatten into a join): index
    -- probes whatever its statistics say (a first sync fills the table faster than they are gathered).
    prev AS (
      SELECT g.* FROM x CROSS JOIN LATERAL (
        SELECT g.id, g.external_id, g.owner_id, g.wecom_name, g.wecom_owner_userid, g.wecom_status, g.internal_member_count,
               g.external_member_count, g.internal_member_userids, g.wecom_gone_at
          FROM work_groups g WHERE g.platform = 'WECOM' AND g.external_id = x.chat_id LIMIT 1) g
    ),
    policy AS (SELECT version, review_days_internal FROM work_group_policies ORDER BY version DESC LIMIT 1),
    root AS (SELECT id FROM departments WHERE parent_id IS NULL ORDER BY created_at, id LIMIT 1),
    src AS (
      SELECT x.*, e.id AS owner_emp, COALESCE(e.department_id, (SELECT id FROM root)) AS dept, prev.id AS prev_id,
             -- The list's status; from a callback (no status), an owner change of a group awaiting
             -- or in inheritance means the inheritance is done (3).
             COALESCE(x.status, CASE WHEN prev.wecom_status IN (1, 2) AND prev.wecom_owner_userid IS DISTINCT FROM x.owner THEN 3 ELSE prev.wecom_status END, 0) AS final_status,
             (prev.id IS NOT NULL AND (
                prev.owner_id IS DISTINCT FROM COALESCE(e.id, prev.owner_id) OR prev.wecom_name IS DISTINCT FROM x.name
                OR prev.wecom_owner_userid IS DISTINCT FROM x.owner OR prev.internal_member_count IS DISTINCT FROM x.internal_count
                OR prev.external_member_count IS DISTINCT FROM x.external_count OR prev.internal_member_userids IS DISTINCT FROM x.internal
                OR prev.wecom_gone_at IS NOT NULL
                OR prev.wecom_status IS DISTINCT FROM COALESCE(x.status, CASE WHEN prev.wecom_status IN (1, 2) AND prev.wecom_owner_userid IS DISTINCT FROM x.owner THEN 3 ELSE prev.wecom_status END, 0)
             )) AS changed
        FROM x LEFT JOIN LATERAL (SELECT e.id, e.department_id FROM employees e WHERE e.wecom_userid = x.owner LIMIT 1) e ON true
        LEFT JOIN prev ON prev.external_id = x.chat_id
    ),
    up AS (
      INSERT INTO work_groups AS g (id, name, name_parts, policy_version, purpose, platform, kind, department_id, owner_id, requester_id,
                                    classification, expected_size, external_id, status, activated_at, review_due_at,
                                    wecom_name, wecom_owner_userid, wecom_status, internal_member_count, external_member_count, internal_member_userids,
                                    wecom_last_seen_at, found_in_wecom_at, outside_portal, version, created_at, updated_at)
      SELECT replace(gen_random_uuid()::text, '-', ''), left(COALESCE(NULLIF(src.name, ''), src.chat_id), 200), '{}'::jsonb, policy.version, ${FOUND_PURPOSE},
             'WECOM', 'EXTERNAL', src.dept, src.owner_emp, NULL,
             ${FOUND_CLASSIFICATION}::"WorkGroupClassification", LEAST(2000, GREATEST(2, src.internal_count + src.external_count)), src.chat_id, 'ACTIVE',
             CASE WHEN src.created > 0 THEN to_timestamp(src.created) ELSE ${seenAt} END, ${seenAt}::timestamptz + make_interval(days => policy.review_days_internal),
             src.name, src.owner, src.final_status, src.internal_count, src.external_count, src.internal,
             ${seenAt}, ${seenAt}, true, 1, ${seenAt}, ${seenAt}
        FROM src CROSS JOIN policy
       WHERE src.prev_id IS NOT NULL OR src.dept IS NOT NULL
      ON CONFLICT (external_id) WHERE platform = 'WECOM' AND external_id IS NOT NULL DO UPDATE
         SET owner_id = COALESCE(EXCLUDED.owner_id, g.owner_id),
             wecom_name = EXCLUDED.wecom_name,
             wecom_owner_userid = EXCLUDED.wecom_owner_userid,
             wecom_status = EXCLUDED.wecom_status,
             internal_member_count = EXCLUDED.internal_member_count,
             external_member_count = EXCLUDED.external_member_count,
             internal_member_userids = EXCLUDED.internal_member_userids,
             wecom_last_seen_at = EXCLUDED.wecom_last_seen_at,
             wecom_gone_at = NULL,
             wecom_gone_reason = NULL,
             -- Someone editing the group meanwhile (transfer, review) must see that its owner changed.
             version = g.version + CASE WHEN EXCLUDED.owner_id IS NOT NULL AND EXCLUDED.owner_id IS DISTINCT FROM g.owner_id THEN 1 ELSE 0 END,
             updated_at = CASE WHEN (COALESCE(EXCLUDED.owner_id, g.owner_id), EXCLUDED.wecom_name, EXCLUDED.wecom_owner_userid, EXCLUDED.wecom_status,
                                     EXCLUDED.internal_member_count, EXCLUDED.external_member_count, EXCLUDED.internal_member_userids, NULL::timestamptz)
                                IS DISTINCT FROM (g.owner_id, g.wecom_name, g.wecom_owner_userid, g.wecom_status,
                                     g.internal_member_count, g.external_member_count, g.internal_member_userids, g.wecom_gone_at)
                               THEN EXCLUDED.updated_at ELSE g.updated_at END
      RETURNING g.id, g.external_id, g.owner_id, (xmax = 0) AS inserted, g.outside_portal, g.wecom_status
    )
    SELECT up.id, up.owner_id, up.inserted, src.changed, up.outside_portal, up.wecom_status, (src.owner_emp IS NULL) AS owner_unknown
      FROM up JOIN src ON src.chat_id = up.external_id`;

  // Administrators: WeCom's admin list, as employees, without the owner (whose rights include
  // theirs). An administrator WeCom no longer names is removed — unless the directory does not
  // know their WeCom userid, so WeCom cannot have said anything about them.
  const admins = JSON.stringify(unique.map((g) => ({ chat_id: g.chat_id, admins: g.admins })));
  const [adminCounts] = await tx.$queryRaw<{ added: number; removed: number }[]>`
    WITH x AS (SELECT * FROM jsonb_to_recordset(${admins}::jsonb) AS x(chat_id text, admins text[])),
    grp AS (SELECT g.id, g.owner_id, x.admins FROM x CROSS JOIN LATERAL (SELECT g.id, g.owner_id FROM work_groups g WHERE g.platform = 'WECOM' AND g.external_id = x.chat_id LIMIT 1) g),
    want AS (
      SELECT DISTINCT grp.id AS group_id, e.id AS employee_id
        FROM grp CROSS JOIN LATERAL unnest(grp.admins) AS a(userid) CROSS JOIN LATERAL (SELECT e.id FROM employees e WHERE e.wecom_userid = a.userid LIMIT 1) e
       WHERE e.id IS DISTINCT FROM grp.owner_id
    ),
    removed AS (
      DELETE FROM work_group_administrators w USING grp, employees e
       WHERE w.group_id = grp.id AND e.id = w.employee_id AND e.wecom_userid IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM want WHERE want.group_id = w.group_id AND want.employee_id = w.employee_id)
      RETURNING 1
    ),
    added AS (
      INSERT INTO work_group_administrators (group_id, employee_id, created_at, updated_at)
      SELECT group_id, employee_id, ${seenAt}, ${seenAt} FROM want
      ON CONFLICT DO NOTHING RETURNING 1
    )
    SELECT (SELECT count(*)::int FROM added) AS added, (SELECT count(*)::int FROM removed) AS removed`;

  const counts: UpsertCounts = {
    created: rows.filter((r) => r.inserted).length,
    updated: rows.filter((r) => !r.inserted && r.changed).length,
    outside: rows.filter((r) => r.outside_portal).length,
    ownerless: rows.filter((r) => r.wecom_status === 1 || r.wecom_status === 2).length,
    ownerUnknown: rows.filter((r) => r.owner_unknown).length,
    noDepartment: unique.length - rows.length,
    adminsAdded: adminCounts.added,
    adminsRemoved: adminCounts.removed,
  };
  return { counts, written: rows.map((r) => ({ id: r.id, ownerId: r.owner_id })) };
}

/** The counts a batch adds to the run's audit event. */
function countsOf(c: UpsertCounts, skipped: number): Record<string, number> {
  return {
    "groups.created": c.created,
    "groups.updated": c.updated,
    "groups.outside": c.outside,
    "groups.ownerless": c.ownerless,
    "groups.ownerUnknown": c.ownerUnknown,
    "groups.noDepartment": c.noDepartment,
    "groups.adminsAdded": c.adminsAdded,
    "groups.adminsRemoved": c.adminsRemoved,
    "groups.skipped": skipped,
  };
}

/** Runs `fn` over `items` with at most `limit` in flight; results in order. */
async function mapLimit<I, O>(items: readonly I[], limit: number, fn: (item: I) => Promise<O>): Promise<O[]> {
  const out = new Array<O>(items.length);
  let next = 0;
  let failed: unknown = null;
  const worker = async () => {
    while (failed === null && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== null) throw failed;
  return out;
}

/** groupchat/get for each chat; a chat gone meanwhile is null. */
async function details(client: WeComClient, chats: readonly { chat_id: string; status: number }[]): Promise<(GroupFacts | null)[]> {
  return mapLimit(chats, GET_CONCURRENCY, async (c) => {
    try {
      return factsOf((await client.groupChatGet(c.chat_id)).group_chat, c.status);
    } catch (e) {
      if (e instanceof WeComError && e.kind === "API" && CHAT_GONE.has(e.errcode ?? 0)) return null;
      throw e;
    }
  });
}

/** Batches read ahead of the commits, at most 2 fetching at once. */
const READ_AHEAD = 120;
type Batch = { got: (GroupFacts | null)[]; checkpoint: Checkpoint };

/**
 * Every batch of the list from `cp` on, in order, each with the checkpoint that says it is done:
 * groupchat/list page by page, each page's chats cut into COMMIT_BATCH batches read by
 * groupchat/get. An empty page is a batch of nothing (its checkpoint moves on).
 */
async function* batchesFrom(client: WeComClient, cp: Extract<Checkpoint, { phase: "list" }>): AsyncGenerator<() => Promise<Batch>> {
  let { cursor, index } = cp;
  for (;;) {
    const page = await client.groupChatList({ status_filter: 0, cursor, limit: GROUPS_PAGE_LIMIT });
    const chats = page.group_chat_list ?? [];
    const next: Checkpoint = page.next_cursor ? { phase: "list", cursor: page.next_cursor, index: 0 } : { phase: "finish" };
    if (index >= chats.length) yield async () => ({ got: [], checkpoint: next });
    for (let s = index; s < chats.length; s += COMMIT_BATCH) {
      const end = Math.min(chats.length, s + COMMIT_BATCH);
      const checkpoint: Checkpoint = end === chats.length ? next : { phase: "list", cursor, index: end };
      const slice = chats.slice(s, end);
      yield async () => ({ got: await details(client, slice), checkpoint });
    }
    if (next.phase !== "list") return;
    ({ cursor, index } = next);
  }
}

/**
 * Runs the batches' reads ahead of the consumer: up to `ahead` batches held, 2 reading at once
 * (so the calls in flight never drain at a batch's tail); yields them in order. A read's failure
 * surfaces when the consumer reaches that batch.
 */
async function* readAhead(source: AsyncGenerator<() => Promise<Batch>>, ahead: number): AsyncGenerator<Batch> {
  const queue: Promise<Batch>[] = [];
  let reading = 0;
  let exhausted = false;
  let stopped = false;
  let sourceError: unknown = null;
  let waiters: (() => void)[] = [];
  const changed = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const change = () => new Promise<void>((r) => waiters.push(r));
  const fill = async () => {
    try {
      for (;;) {
        while (!stopped && (queue.length >= ahead || reading >= 2)) await change();
        if (stopped) return;
        const next = await source.next();
        if (next.done) return;
        reading++;
        const read = next.value().finally(() => {
          reading--;
          changed();
        });
        read.catch(() => undefined);
        queue.push(read);
        changed();
      }
    } catch (e) {
      sourceError = e;
    } finally {
      exhausted = true;
      changed();
    }
  };
  const filling = fill();
  try {
    for (;;) {
      if (queue.length > 0) {
        const batch = await queue.shift()!;
        changed();
        yield batch;
        continue;
      }
      if (exhausted) break;
      await change();
    }
    if (sourceError) throw sourceError;
  } finally {
    stopped = true;
    changed();
    await filling;
  }
}

function seenAtOf(ctx: Pick<SyncContext, "now" | "startedAt">): Date {
  // Never before the run's start: "not seen by this run" is lastSeenAt < startedAt.
  return new Date(Math.max(ctx.now().getTime(), ctx.startedAt.getTime()));
}

export const groupsStep: SyncStep = {
  name: "groups",
  async run(ctx) {
    const client = ctx.customers;
    if (!client) {
      await ctx.warn("wecom.sync.warnings.noSecret.customers");
      return;
    }
    let cp = (ctx.checkpoint as Checkpoint | null) ?? { phase: "list", cursor: "", index: 0 };
    let dbMs = 0;
    let done = 0;
    if (cp.phase === "list") {
      // Batches are read ahead — while the directory step is still running, up to READ_AHEAD
      // batches — and committed in order once the directory has matched the owners (waitFor).
      const batches = readAhead(batchesFrom(client, cp), READ_AHEAD);
      let directoryDone = false;
      for await (const batch of batches) {
        if (!directoryDone) {
          await ctx.waitFor("directory");
          directoryDone = true;
        }
        const { got, checkpoint } = batch;
        if (got.length === 0) {
          // An empty page (or one finished before a crash that lost only its checkpoint move).
          await ctx.commit(async () => undefined, { checkpoint });
          cp = checkpoint;
          continue;
        }
        const facts = got.filter((g): g is GroupFacts => g !== null);
        const skipped = got.length - facts.length;
        const started = performance.now();
        const written = await ctx.commit(
          (tx) => upsertGroups(tx, facts, seenAtOf(ctx)),
          (written) => ({ checkpoint, rows: got.length, counts: countsOf(written.counts, skipped) }),
        );
        dbMs += performance.now() - started;
        done += got.length;
        cp = checkpoint;
        if (skipped) await ctx.warn("wecom.sync.warnings.groups.chatGone", { count: skipped });
        if (written.counts.noDepartment) await ctx.warn("wecom.sync.warnings.groups.noDepartment", { count: written.counts.noDepartment });
      }
    }
    if (cp.phase === "finish") {
      const seenAt = seenAtOf(ctx);
      const started = performance.now();
      const finished = await ctx.commit(
        async (tx) => {
          const gone = await tx.$executeRaw`
            UPDATE work_groups SET wecom_gone_at = ${seenAt}, wecom_gone_reason = 'NOT_LISTED', updated_at = ${seenAt}
             WHERE platform = 'WECOM' AND external_id IS NOT NULL AND wecom_last_seen_at IS NOT NULL
               AND wecom_last_seen_at < ${ctx.startedAt} AND wecom_gone_at IS NULL`;
          const [unknown] = await tx.$queryRaw<{ n: number }[]>`
            SELECT count(*)::int AS n FROM work_groups g
             WHERE g.platform = 'WECOM' AND g.wecom_last_seen_at >= ${ctx.startedAt} AND g.wecom_owner_userid IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM employees e WHERE e.wecom_userid = g.wecom_owner_userid)`;
          const notices = await refreshUnregisteredNotices(tx, seenAt);
          return { gone, ownerUnknown: unknown.n, notices };
        },
        (f) => ({ checkpoint: { phase: "done" } satisfies Checkpoint, counts: { "groups.gone": f.gone, "groups.ownerTasks": f.notices } }),
      );
      dbMs += performance.now() - started;
      if (finished.ownerUnknown) await ctx.warn("wecom.sync.warnings.groups.ownerUnknown", { count: finished.ownerUnknown });
      ctx.log(`[wecom-sync] groups: ${done} groups this attempt, ${Math.round(dbMs)} ms in the database (${done ? ((dbMs / done) * 1000).toFixed(0) : "—"} ms per 1,000 groups); ${finished.gone} no longer listed, ${finished.notices} owner tasks written`);
    }
  },
};

// ---------------------------------------------------------------------------------------------
// The change callback (issue 14, item 5): change_external_chat

const CHAT_CHANGES = new Set(["create", "update", "dismiss"]);

/**
 * Event change_external_chat (ChatId, ChangeType create / update / dismiss): the same upsert and
 * membership re-check as the sync, for that one chat, at once. create and update (whatever the
 * UpdateDetail: add_member, del_member, change_owner, change_name, change_notice) read the chat
 * again with groupchat/get — the event says what changed, not what the chat now is; dismiss marks
 * the group DISMISSED in WeCom (never deleted) and resolves its violations. Idempotent: the same
 * event twice writes nothing the second time. The owners' tasks (the old owner's and the new
 * one's) are refreshed in the same transaction.
 */
export const applyExternalChatEvent: EventHandler = async (ctx, fields) => {
  const chatId = (fields.ChatId ?? "").trim();
  const change = (fields.ChangeType ?? "").trim();
  if (!chatId || chatId.length > 128 || !CHAT_CHANGES.has(change)) return { applied: false };
  const now = ctx.now();

  let facts: GroupFacts | null = null;
  if (change !== "dismiss") {
    if (!ctx.customers) {
      ctx.log(`[wecom] change_external_chat/${change}: the customer-contact secret is not set; left for the next sync`);
      return { applied: false };
    }
    try {
      facts = factsOf((await ctx.customers.groupChatGet(chatId)).group_chat, null);
    } catch (e) {
      if (e instanceof WeComError && e.kind === "API" && CHAT_GONE.has(e.errcode ?? 0)) {
        // Gone by now (a later dismiss will say so, or the next sync marks it no longer listed).
        ctx.log(`[wecom] change_external_chat/${change}: groupchat/get answered ${e.errcode}; nothing applied`);
        return { applied: false };
      }
      throw e;
    }
  }

  return ctx.prisma.$transaction(async (tx) => {
    const before = await tx.workGroup.findFirst({ where: { platform: "WECOM", externalId: chatId }, select: { id: true, ownerId: true } });
    let groupIds: string[];
    let owners: string[];
    if (facts) {
      const { written } = await upsertGroups(tx, [facts], now);
      groupIds = written.map((w) => w.id);
      owners = written.flatMap((w) => (w.ownerId ? [w.ownerId] : []));
    } else {
      if (!before) return { applied: false };
      await tx.$executeRaw`
        UPDATE work_groups SET wecom_gone_at = ${now}, wecom_gone_reason = 'DISMISSED', updated_at = ${now}
         WHERE id = ${before.id} AND wecom_gone_reason IS DISTINCT FROM 'DISMISSED'`;
      groupIds = [before.id];
      owners = [];
    }
    if (before?.ownerId) owners.push(before.ownerId);
    owners = [...new Set(owners)];
    const policy = await loadPolicy(tx);
    await recheckMembership(tx, policy.membership, { groupIds }, now);
    await refreshUnregisteredNotices(tx, now, owners);
    await refreshViolationNotices(tx, now, owners);
    return { applied: groupIds.length > 0 };
  });
};
