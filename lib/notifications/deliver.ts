import { decrypt } from "@/lib/pii";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import { emailMessageId, loadSmtp, sendEmail, type SmtpConfig } from "./email";
import { render, renderDigest, type Renderable, type Rendered } from "./render";
import { sendAppMessage, sendRobotMessage, type ChannelOutcome } from "./wecom-message";

// Delivery (docs/notifications.md "Delivery"): one job per delivery row, run by the queue with
// retries. A row is the idempotency record, written before anything is sent:
//   claim     PENDING (due) → SENDING, attempts + 1, a rate-limit slot taken (sent_at), in one
//             transaction holding the row lock and, for WeCom and robots, an advisory lock on
//             the addressee, so two workers never both send it and never both take the last slot;
//   send      outside any transaction;
//   reconcile SENT (with WeCom's msgid / the SMTP message id), FAILED (invaliduser, 81013, an SMTP
//             5xx, out of attempts) or back to PENDING with a later not_before (transient).
// A row already SENT, FAILED or SKIPPED is left alone: a retried or duplicated job sends nothing.
// A row stuck in SENDING (the worker died between claim and reconcile) is looked at again once its
// lease (not_before, set to claim time + LEASE_MS) has passed:
//   - WeCom app messages and robots are sent again; WeCom's duplicate check (30 min) drops an
//     identical card;
//   - an e-mail is NOT sent again: SMTP has no duplicate check, and its Message-ID (recorded at the
//     claim, before sending) cannot tell whether the server took it. It becomes UNCERTAIN — at most
//     once, never twice — and the delivery log shows it with its Message-ID, so ADMIN can look it up
//     in the mail server's log (docs/notifications.md "A worker that dies mid-send").

export const LIMITS = { WECOM: 30, ROBOT: 20 } as const;
/** WeCom: one message/send reaches at most 1,000 members (touser "a|b|…"). */
export const BATCH_MAX = 1000;
/** WeCom: an app may send at most (account limit × 200) person-messages a day; the account limit is
 * read as the directory's members with a WeCom userid, unless WECOM_APP_DAILY_LIMIT says. */
export const DAILY_PER_MEMBER = 200;
const CHINA_OFFSET_MS = 8 * 3_600_000;
export const MAX_ATTEMPTS = 5;
export const LEASE_MS = 5 * 60_000;
const MINUTE = 60_000;

export type DeliveryResult =
  | { state: "sent"; ids: string[] }
  | { state: "failed"; detail: string }
  | { state: "retry"; detail: string }
  | { state: "rate-limited"; until: Date }
  | { state: "uncertain"; messageId: string | null }
  | { state: "not-due" | "done" | "missing" };

async function portalUrl(prisma: DbClient): Promise<string> {
  const s = await prisma.signInSettings.findUnique({ where: { id: "default" }, select: { portalUrl: true } });
  return s?.portalUrl || process.env.PORTAL_URL || process.env.AUTH_URL || "";
}

/** group: the lead plus the digest's other rows (same person) or the batch's (same message, other
 * members of one message/send). */
type Claimed = { lead: Row; group: Row[]; batch: boolean; smtp: SmtpConfig | null } | { result: DeliveryResult };
type Row = Awaited<ReturnType<DbClient["notificationDelivery"]["findUniqueOrThrow"]>>;

async function claim(prisma: DbClient, id: string, now: Date): Promise<Claimed> {
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM notification_deliveries WHERE id = ${id} FOR UPDATE`;
    if (locked.length === 0) return { result: { state: "missing" } };
    const row = await tx.notificationDelivery.findUniqueOrThrow({ where: { id } });
    // A SENDING row's not_before is its lease's end: past it, the worker that claimed it died.
    const stale = row.status === "SENDING" && row.notBefore <= now;
    if (row.status !== "PENDING" && !stale) return { result: { state: "done" } };
    if (row.notBefore > now) return { result: { state: "not-due" } };
    if (stale && row.channel === "EMAIL") {
      // The worker stopped between handing the e-mail to SMTP and recording the answer (or just
      // before): resending could deliver it twice. At most once: UNCERTAIN, with its Message-ID.
      await tx.notificationDelivery.updateMany({ where: row.providerId ? { OR: [{ id }, { status: "SENDING", providerId: row.providerId, channel: "EMAIL" }] } : { id }, data: { status: "UNCERTAIN", detail: "worker-stopped-mid-send" } });
      return { result: { state: "uncertain", messageId: row.providerId } };
    }
    let smtp: SmtpConfig | null = null;
    if (row.channel === "EMAIL") {
      smtp = await loadSmtp(tx);
      if (!smtp) {
        await tx.notificationDelivery.update({ where: { id }, data: { status: "FAILED", detail: "smtp-not-configured" } });
        return { result: { state: "failed", detail: "smtp-not-configured" } };
      }
    }
    if (row.channel !== "EMAIL" && !row.urgent && (now.getUTCMinutes() % 30 === 0)) {
      // WeCom asks apps not to send at :00 and :30 (China's offset is whole hours): a non-urgent
      // message then waits for a second spread over the next nine minutes (:01–:09, :31–:39), by
      // its id, so the 09:00 wave of held messages does not all go in one minute.
      const until = spreadAfter(now, id);
      await tx.notificationDelivery.update({ where: { id }, data: { status: "PENDING", notBefore: until, detail: "spread" } });
      return { result: { state: "rate-limited", until } };
    }
    let remaining = Infinity;
    if (row.channel === "WECOM") {
      // The app's daily total, counted under one lock so two workers never both take the last one.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('wecom-app-daily'))`;
      const budget = await dailyBudget(tx, now);
      remaining = budget.limit - budget.used;
      if (remaining <= 0) {
        const until = spreadAfter(budget.resetAt, id);
        await tx.notificationDelivery.update({ where: { id }, data: { status: "PENDING", notBefore: until, detail: "daily-limit" } });
        return { result: { state: "rate-limited", until } };
      }
    }
    if (row.channel !== "EMAIL" && row.target) {
      // The addressee's budget: WeCom takes ~30 app messages a minute per member (more are dropped,
      // not queued) and 20 a minute per robot. Slots are sent_at stamps within the last minute.
      const addressee = row.channel === "ROBOT" ? `robot:${row.robotId}` : `wecom:${row.target}`;
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${addressee}))`;
      const since = new Date(now.getTime() - MINUTE);
      const used = await tx.notificationDelivery.findMany({
        where: row.channel === "ROBOT" ? { channel: "ROBOT", robotId: row.robotId, sentAt: { gt: since, lte: now } } : { channel: "WECOM", target: row.target, sentAt: { gt: since, lte: now } },
        select: { sentAt: true },
        orderBy: { sentAt: "asc" },
      });
      if (used.length >= LIMITS[row.channel]) {
        const until = new Date(used[used.length - LIMITS[row.channel]].sentAt!.getTime() + MINUTE);
        await tx.notificationDelivery.update({ where: { id }, data: { status: "PENDING", notBefore: until, detail: "rate-limit" } });
        return { result: { state: "rate-limited", until } };
      }
    }
    const lease = new Date(now.getTime() + LEASE_MS);
    let group: Row[] = [row];
    let batch = false;
    if (row.channel === "WECOM" && !row.digest && row.target && remaining > 1) {
      group = [row, ...(await batchMates(tx, row, now, Math.min(BATCH_MAX - 1, remaining - 1)))];
      batch = group.length > 1;
      if (batch) await tx.notificationDelivery.updateMany({ where: { id: { in: group.slice(1).map((g) => g.id) } }, data: { status: "SENDING", attempts: { increment: 1 }, sentAt: now, notBefore: lease } });
    }
    if (row.digest && row.recipientId) {
      await tx.$queryRaw`SELECT id FROM notification_deliveries WHERE recipient_id = ${row.recipientId} AND channel = ${row.channel}::"NotificationChannel" AND digest AND status = 'PENDING' AND not_before <= ${now} FOR UPDATE`;
      const others = await tx.notificationDelivery.findMany({ where: { recipientId: row.recipientId, channel: row.channel, digest: true, status: "PENDING", notBefore: { lte: now }, id: { not: id } }, orderBy: { createdAt: "asc" } });
      group = [row, ...others];
      if (others.length > 0) await tx.notificationDelivery.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { status: "SENDING", attempts: { increment: 1 }, notBefore: lease } });
    }
    // Recorded before it is sent: an e-mail's Message-ID (the digest's members share the lead's).
    const providerId = smtp ? emailMessageId(id, smtp.from) : null;
    if (providerId && group.length > 1) await tx.notificationDelivery.updateMany({ where: { id: { in: group.map((g) => g.id) } }, data: { providerId } });
    const lead = await tx.notificationDelivery.update({ where: { id }, data: { status: "SENDING", attempts: { increment: 1 }, sentAt: now, notBefore: lease, ...(providerId ? { providerId } : {}) } });
    return { lead, group: group.map((g) => (g.id === id ? lead : { ...g, attempts: g.attempts + 1 })), batch, smtp };
  });
}

/** A second in the nine minutes after `at`'s minute (:01–:09 past it), chosen by the row's id. */
function spreadAfter(at: Date, id: string): Date {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return new Date(Math.floor(at.getTime() / MINUTE) * MINUTE + MINUTE + (h % (9 * 60)) * 1000);
}

/** Today's (China) WeCom app-message total: used and allowed, and when it starts again. */
export async function dailyBudget(tx: Tx, now: Date): Promise<{ limit: number; used: number; resetAt: Date }> {
  const override = Number(process.env.WECOM_APP_DAILY_LIMIT);
  const members = Number.isInteger(override) && override > 0 ? 0 : await tx.employee.count({ where: { wecomUserid: { not: null }, status: { not: "DEPARTED" } } });
  const limit = members > 0 ? members * DAILY_PER_MEMBER : Number.isInteger(override) && override > 0 ? override : DAILY_PER_MEMBER;
  const dayStart = new Date(Math.floor((now.getTime() + CHINA_OFFSET_MS) / 86_400_000) * 86_400_000 - CHINA_OFFSET_MS);
  const used = await tx.notificationDelivery.count({ where: { channel: "WECOM", sentAt: { gte: dayStart, lte: now } } });
  return { limit, used, resetAt: new Date(dayStart.getTime() + 86_400_000) };
}

/**
 * Other members due the very same message (kind, text key and values, link, deadline, language,
 * urgency): they go in the lead's message/send (touser "a|b|…"). Rows another worker holds are
 * skipped; a member at their minute limit stays for later; one row per member.
 */
async function batchMates(tx: Tx, row: Row, now: Date, max: number): Promise<Row[]> {
  if (max <= 0) return [];
  const params = row.params === null ? null : JSON.stringify(row.params);
  const candidates = await tx.$queryRaw<{ id: string; target: string }[]>`
    SELECT id, target FROM notification_deliveries
     WHERE channel = 'WECOM' AND status = 'PENDING' AND NOT digest AND not_before <= ${now} AND id <> ${row.id}
       AND target IS NOT NULL AND target <> ${row.target} AND kind = ${row.kind} AND message_key = ${row.messageKey} AND locale = ${row.locale}
       AND urgent = ${row.urgent} AND href IS NOT DISTINCT FROM ${row.href} AND deadline IS NOT DISTINCT FROM ${row.deadline}::timestamptz
       AND params IS NOT DISTINCT FROM ${params}::jsonb
     ORDER BY not_before, id
     LIMIT ${max * 2}
     FOR UPDATE SKIP LOCKED`;
  if (candidates.length === 0) return [];
  const targets = [...new Set(candidates.map((c) => c.target))];
  const since = new Date(now.getTime() - MINUTE);
  const busy = await tx.$queryRaw<{ target: string }[]>`
    SELECT target FROM notification_deliveries WHERE channel = 'WECOM' AND target = ANY(${targets}::text[]) AND sent_at > ${since} AND sent_at <= ${now}
     GROUP BY target HAVING count(*) >= ${LIMITS.WECOM}`;
  const skip = new Set(busy.map((b) => b.target));
  const chosen: string[] = [];
  for (const c of candidates) {
    if (chosen.length >= max) break;
    if (skip.has(c.target)) continue;
    skip.add(c.target);
    chosen.push(c.id);
  }
  return chosen.length ? tx.notificationDelivery.findMany({ where: { id: { in: chosen } } }) : [];
}

function renderable(r: Row): Renderable {
  return { messageKey: r.messageKey, params: (r.params ?? null) as Record<string, string | number> | null, href: r.href, deadline: r.deadline, locale: r.locale };
}

async function send(prisma: DbClient, group: Row[], message: Rendered, smtp: SmtpConfig | null): Promise<ChannelOutcome> {
  const lead = group[0];
  if (lead.channel === "WECOM") return sendAppMessage(prisma, group.map((g) => g.target!), message);
  if (lead.channel === "EMAIL") {
    const out = await sendEmail(smtp!, { to: lead.target!, subject: message.title, text: `${message.description}\n\n${message.url}\n\n—\n${message.footer}`, messageId: lead.providerId! });
    return out.ok ? { ok: true, providerId: out.messageId } : out;
  }
  const robot = await prisma.notificationRobot.findUnique({ where: { id: lead.robotId ?? "" } });
  if (!robot || !robot.active) return { ok: false, permanent: true, detail: "robot-removed" };
  return sendRobotMessage(prisma, decrypt(robot.keyCipher), `**${message.title}**\n${message.description}\n[${message.linkText}](${message.url})`);
}

/** Sends one delivery if it is due and not yet sent (see above). A transient failure puts it back
 * to PENDING with a backoff (30 s, 1, 2, 4 min…); the dispatch job sends it again when due. */
export async function deliverOne(prisma: DbClient, id: string, now = new Date()): Promise<DeliveryResult> {
  const claimed = await claim(prisma, id, now);
  if ("result" in claimed) return claimed.result;
  const { lead, group, batch, smtp } = claimed;
  const ids = group.map((g) => g.id);
  const base = await portalUrl(prisma);
  let outcome: ChannelOutcome;
  if (!base) outcome = { ok: false, permanent: true, detail: "no-portal-url" };
  else {
    const message = group.length > 1 && !batch ? renderDigest(group.map(renderable), base) : render(renderable(lead), base);
    outcome = await send(prisma, group, message, smtp);
  }
  if (outcome.ok) {
    // A batch: each member WeCom listed in invaliduser is FAILED on their own row; the rest SENT.
    const invalid = new Set(outcome.invalid ?? []);
    const failed = batch ? group.filter((g) => invalid.has(g.target ?? "")).map((g) => g.id) : [];
    const sent = ids.filter((x) => !failed.includes(x));
    await prisma.notificationDelivery.updateMany({ where: { id: { in: sent } }, data: { status: "SENT", providerId: outcome.providerId, detail: batch ? `batch of ${group.length}` : group.length > 1 ? `digest of ${group.length}` : null } });
    if (failed.length > 0) await prisma.notificationDelivery.updateMany({ where: { id: { in: failed } }, data: { status: "FAILED", detail: "invaliduser" } });
    if (!batch) await prisma.notificationDelivery.updateMany({ where: { id: { in: ids.filter((x) => x !== lead.id) } }, data: { sentAt: null } });
    return { state: "sent", ids: sent };
  }
  if (outcome.permanent) {
    await prisma.notificationDelivery.updateMany({ where: { id: { in: ids } }, data: { status: "FAILED", detail: outcome.detail } });
    return { state: "failed", detail: outcome.detail };
  }
  // Transient: each row back with a backoff by its own attempts; out of attempts: FAILED.
  const spent = group.filter((g) => g.attempts >= MAX_ATTEMPTS).map((g) => g.id);
  if (spent.length > 0) await prisma.notificationDelivery.updateMany({ where: { id: { in: spent } }, data: { status: "FAILED", detail: outcome.detail } });
  for (const g of group.filter((x) => x.attempts < MAX_ATTEMPTS)) {
    const backoff = Math.min(10 * MINUTE, 30_000 * 2 ** (g.attempts - 1));
    await prisma.notificationDelivery.update({ where: { id: g.id }, data: { status: "PENDING", notBefore: new Date(now.getTime() + backoff), detail: outcome.detail } });
  }
  return spent.includes(lead.id) ? { state: "failed", detail: outcome.detail } : { state: "retry", detail: outcome.detail };
}

/** Deliveries due now (and ones whose worker died mid-send), oldest first: one job each. */
export async function dueDeliveries(prisma: DbClient, now = new Date(), limit = 500): Promise<string[]> {
  const rows = await prisma.notificationDelivery.findMany({
    where: { status: { in: ["PENDING", "SENDING"] }, notBefore: { lte: now } },
    orderBy: { notBefore: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
