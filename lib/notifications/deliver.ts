import { decrypt } from "@/lib/pii";
import type { DbClient } from "@/lib/server/prisma-client";
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

type Claimed = { lead: Row; group: Row[]; smtp: SmtpConfig | null } | { result: DeliveryResult };
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
    if (row.channel !== "EMAIL" && row.target) {
      // The addressee's budget: WeCom takes ~30 app messages a minute per member (more are dropped,
      // not queued) and 20 a minute per robot. Slots are sent_at stamps within the last minute.
      const addressee = row.channel === "ROBOT" ? `robot:${row.robotId}` : `wecom:${row.target}`;
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${addressee}))`;
      const since = new Date(now.getTime() - MINUTE);
      const used = await tx.notificationDelivery.findMany({
        where: row.channel === "ROBOT" ? { channel: "ROBOT", robotId: row.robotId, sentAt: { gt: since } } : { channel: "WECOM", target: row.target, sentAt: { gt: since } },
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
    return { lead, group, smtp };
  });
}

function renderable(r: Row): Renderable {
  return { messageKey: r.messageKey, params: (r.params ?? null) as Record<string, string | number> | null, href: r.href, deadline: r.deadline, locale: r.locale };
}

async function send(prisma: DbClient, lead: Row, message: Rendered, smtp: SmtpConfig | null): Promise<ChannelOutcome> {
  if (lead.channel === "WECOM") return sendAppMessage(prisma, lead.target!, message);
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
  const { lead, group, smtp } = claimed;
  const ids = group.map((g) => g.id);
  const base = await portalUrl(prisma);
  let outcome: ChannelOutcome;
  if (!base) outcome = { ok: false, permanent: true, detail: "no-portal-url" };
  else {
    const message = group.length > 1 ? renderDigest(group.map(renderable), base) : render(renderable(lead), base);
    outcome = await send(prisma, lead, message, smtp);
  }
  if (outcome.ok) {
    await prisma.notificationDelivery.updateMany({ where: { id: { in: ids } }, data: { status: "SENT", providerId: outcome.providerId, detail: group.length > 1 ? `digest of ${group.length}` : null } });
    await prisma.notificationDelivery.updateMany({ where: { id: { in: ids.filter((x) => x !== lead.id) } }, data: { sentAt: null } });
    return { state: "sent", ids };
  }
  if (outcome.permanent || lead.attempts >= MAX_ATTEMPTS) {
    await prisma.notificationDelivery.updateMany({ where: { id: { in: ids } }, data: { status: "FAILED", detail: outcome.detail } });
    return { state: "failed", detail: outcome.detail };
  }
  const backoff = Math.min(10 * MINUTE, 30_000 * 2 ** (lead.attempts - 1));
  await prisma.notificationDelivery.updateMany({ where: { id: { in: ids } }, data: { status: "PENDING", notBefore: new Date(now.getTime() + backoff), detail: outcome.detail } });
  return { state: "retry", detail: outcome.detail };
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
