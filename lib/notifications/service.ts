import type { Prisma } from "@/lib/generated/prisma/client";
import { loadCalendar } from "@/lib/calendar/store";
import type { Tx } from "@/lib/server/prisma-client";
import { categoryOf, channelsFor, CHANNELS, DEFAULT_CHANNELS, digestible, URGENT_KINDS, type ChannelChoice } from "./kinds";
import { LOCALES } from "@/lib/i18n/config";
import { localeOf } from "./render";
import { sendTimeFor } from "./schedule";

// The notification service (issue 16, docs/notifications.md). Every capability tells it about an
// event — who, what (an i18n key with params), where (a link), how urgent, by when — and it:
//   1. records the home-page notification (the first channel, always; unchanged from before);
//   2. plans one delivery row per further channel the person chose (WeCom app message, e-mail),
//      each with its own unique key `<dedupeKey>:<channel>` and the time it may go out (quiet
//      hours, the daily digest) — in the caller's transaction, so an event that rolls back sends
//      nothing, and an event recorded twice (a job run twice) plans nothing the second time;
//   3. the delivery jobs (./deliver.ts) send what is due.
// Team-level events go to the group robots of a department (notifyTeam).

export type NotificationEvent = {
  recipientId: string;
  /** "<category>.<what>", e.g. "service.escalation" (./kinds.ts). */
  kind: string;
  messageKey: string;
  params?: Record<string, string | number>;
  /** The record, a path inside the portal ("/service/abc"). */
  href?: string;
  /** Same key, same notification: a job that runs twice sends once. */
  dedupeKey: string;
  /** Sent at once, even outside working time; default: the kind's (URGENT_KINDS). */
  urgent?: boolean;
  deadline?: Date | null;
  /** false: the home page already shows it by a live count (the approvals inbox): the row is
   * recorded read, for the dedupe key and the log only. */
  homePage?: boolean;
};

export type NotifyResult = { recorded: number; planned: number };

type Settings = { wecomReady: boolean; smtpReady: boolean };

async function channelSettings(tx: Tx): Promise<Settings> {
  const [w, smtp] = await Promise.all([
    tx.weComSettings.findUnique({ where: { id: "default" }, select: { corpId: true, agentId: true, customerSecretCipher: true } }),
    tx.smtpSettings.findUnique({ where: { id: "default" }, select: { id: true } }),
  ]);
  // SMTP: the portal's settings (./email.ts), else the environment's SMTP_URL.
  return { wecomReady: Boolean(w?.corpId && w.agentId && w.customerSecretCipher), smtpReady: Boolean(smtp) || Boolean(process.env.SMTP_URL) };
}

/** Records the events (home page) and plans their deliveries; returns how many were new. */
export async function notify(tx: Tx, events: readonly NotificationEvent[], now = new Date()): Promise<NotifyResult> {
  if (events.length === 0) return { recorded: 0, planned: 0 };
  const created = await tx.notification.createManyAndReturn({
    data: events.map((n) => ({ recipientId: n.recipientId, kind: n.kind, messageKey: n.messageKey, params: (n.params ?? undefined) as Prisma.InputJsonValue | undefined, href: n.href, dedupeKey: n.dedupeKey, readAt: n.homePage === false ? now : null })),
    skipDuplicates: true,
    select: { id: true, dedupeKey: true },
  });
  if (created.length === 0) return { recorded: 0, planned: 0 };
  const byKey = new Map(events.map((e) => [e.dedupeKey, e]));
  const fresh = created.map((c) => ({ id: c.id, event: byKey.get(c.dedupeKey)! }));
  const ids = [...new Set(fresh.map((f) => f.event.recipientId))];
  const [people, prefs, settings, calendar] = await Promise.all([
    tx.employee.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, wecomUserid: true, status: true } }),
    tx.notificationPreference.findMany({ where: { employeeId: { in: ids } } }),
    channelSettings(tx),
    loadCalendar(tx),
  ]);
  const person = new Map(people.map((p) => [p.id, p]));
  const pref = new Map(prefs.map((p) => [p.employeeId, p]));
  const rows: Prisma.NotificationDeliveryCreateManyInput[] = [];
  for (const { id, event } of fresh) {
    const who = person.get(event.recipientId);
    if (!who || who.status === "DEPARTED") continue;
    const p = pref.get(event.recipientId);
    const urgent = event.urgent ?? URGENT_KINDS.has(event.kind);
    const digest = Boolean(p?.digest) && !urgent && digestible(event.kind);
    const timing = sendTimeFor(calendar.definition, now, { urgent, quietHours: p?.quietHours ?? true, digest });
    for (const channel of channelsFor(p?.channels as ChannelChoice | undefined, event.kind)) {
      const target = channel === "WECOM" ? who.wecomUserid : who.email;
      const skip = channel === "WECOM" ? (!settings.wecomReady ? "wecom-not-configured" : !target ? "no-wecom-account" : null) : !settings.smtpReady ? "smtp-not-configured" : !target ? "no-email" : null;
      rows.push({
        dedupeKey: `${event.dedupeKey}:${channel}`,
        notificationId: id,
        recipientId: event.recipientId,
        channel,
        kind: event.kind,
        messageKey: event.messageKey,
        params: (event.params ?? undefined) as Prisma.InputJsonValue | undefined,
        href: event.href,
        deadline: event.deadline ?? null,
        urgent,
        digest,
        locale: localeOf(p?.locale),
        target,
        status: skip ? "SKIPPED" : "PENDING",
        notBefore: timing.notBefore,
        detail: skip ?? timing.deferred,
      });
    }
  }
  if (rows.length === 0) return { recorded: created.length, planned: 0 };
  const { count } = await tx.notificationDelivery.createMany({ data: rows, skipDuplicates: true });
  return { recorded: created.length, planned: count };
}

/** What `planDeliveriesFor` plans: notifications already recorded (set-based, by the caller's SQL)
 * of one kind, e.g. the groups' owner tasks (lib/groups/tasks.ts). */
export type BulkPlan = {
  /** The `notifications` rows to deliver (all of `kind`); up to tens of thousands. */
  notificationIds: readonly string[];
  kind: string;
  urgent?: boolean;
  deadline?: Date | null;
  /** Appended to each notification's dedupe key before ":<channel>": a notice that stays one row
   * for good but is delivered again when it changes (e.g. ":2026-12-07" — once a day at most). */
  keySuffix?: string;
};

/**
 * The set-based entry of the planner: the same rules as `notify` (each person's channels for the
 * kind's category, WeCom/e-mail readiness, quiet hours, digest, language; departed people get
 * nothing), in ONE INSERT … SELECT over the notifications, their recipients and preferences, so a
 * sync that touches 20,000 owners plans their deliveries without a round trip per person.
 * Returns how many delivery rows were planned (existing keys are left alone).
 */
export async function planDeliveriesFor(tx: Tx, plan: BulkPlan, now = new Date()): Promise<number> {
  if (plan.notificationIds.length === 0) return 0;
  const [settings, calendar] = await Promise.all([channelSettings(tx), loadCalendar(tx)]);
  const urgent = plan.urgent ?? URGENT_KINDS.has(plan.kind);
  // Timing depends only on three flags of the person; the kind's urgency is the call's.
  const at = (quietHours: boolean, digest: boolean) => sendTimeFor(calendar.definition, now, { urgent, quietHours, digest });
  const open = at(false, false);
  const quiet = at(true, false);
  const digest = at(true, true);
  const canDigest = !urgent && digestible(plan.kind);
  const defaults = JSON.stringify(DEFAULT_CHANNELS);
  const category = categoryOf(plan.kind);
  const suffix = plan.keySuffix ?? "";
  const smtp = settings.smtpReady;
  return tx.$executeRaw`
    INSERT INTO notification_deliveries AS d (id, dedupe_key, notification_id, recipient_id, channel, kind, message_key, params, href, deadline, urgent, digest,
                                              locale, target, status, not_before, detail, created_at, updated_at)
    SELECT replace(gen_random_uuid()::text, '-', ''), n.dedupe_key || ${suffix} || ':' || ch.channel, n.id, n.recipient_id, ch.channel::"NotificationChannel",
           n.kind, n.message_key, n.params, n.href, ${plan.deadline ?? null}::timestamptz, ${urgent}, x.digest,
           CASE WHEN p.locale = ANY(${[...LOCALES]}::text[]) THEN p.locale ELSE 'zh-CN' END,
           t.target,
           (CASE WHEN t.skip IS NULL THEN 'PENDING' ELSE 'SKIPPED' END)::"DeliveryStatus",
           CASE WHEN x.digest THEN ${digest.notBefore}::timestamptz WHEN COALESCE(p.quiet_hours, true) THEN ${quiet.notBefore}::timestamptz ELSE ${open.notBefore}::timestamptz END,
           COALESCE(t.skip, CASE WHEN x.digest THEN ${digest.deferred}::text WHEN COALESCE(p.quiet_hours, true) THEN ${quiet.deferred}::text ELSE ${open.deferred}::text END),
           ${now}, ${now}
      FROM notifications n
      JOIN employees e ON e.id = n.recipient_id AND e.status <> 'DEPARTED'
      LEFT JOIN notification_preferences p ON p.employee_id = n.recipient_id
      CROSS JOIN LATERAL (SELECT (COALESCE(p.digest, false) AND ${canDigest}::boolean) AS digest) x
      CROSS JOIN LATERAL (
        SELECT DISTINCT c AS channel FROM jsonb_array_elements_text(
          CASE WHEN jsonb_typeof(p.channels -> ${category}) = 'array' THEN p.channels -> ${category} ELSE ${defaults}::jsonb END) c
         WHERE c = ANY(${[...CHANNELS]}::text[])) ch
      CROSS JOIN LATERAL (
        SELECT CASE WHEN ch.channel = 'WECOM' THEN e.wecom_userid ELSE e.email END AS target,
               CASE WHEN ch.channel = 'WECOM' THEN (CASE WHEN NOT ${settings.wecomReady}::boolean THEN 'wecom-not-configured' WHEN e.wecom_userid IS NULL THEN 'no-wecom-account' END)
                    ELSE (CASE WHEN NOT ${smtp}::boolean THEN 'smtp-not-configured' WHEN e.email IS NULL OR e.email = '' THEN 'no-email' END) END AS skip) t
     WHERE n.id = ANY(${[...plan.notificationIds]}::text[]) AND n.kind = ${plan.kind}
    ON CONFLICT (dedupe_key) DO NOTHING`;
}

/** A team-level event: a person's event addressed to a department's robots instead; its dedupe key
 * is the event's own, so each robot gets it once. */
export type TeamEvent = Omit<NotificationEvent, "recipientId" | "homePage"> & {
  /** The department (a service team is a department). */
  departmentId: string;
};

/** A team-level event to the active robots of its department (and of the departments above it)
 * that take its kind's category or the kind itself. Robots post in Chinese, at once for urgent
 * events, else at the next working instant. */
export async function notifyTeam(tx: Tx, events: readonly TeamEvent[], now = new Date()): Promise<{ planned: number }> {
  if (events.length === 0) return { planned: 0 };
  const depts = await tx.department.findMany({ where: { id: { in: [...new Set(events.map((e) => e.departmentId))] } }, select: { id: true, path: true } });
  const robots = await tx.notificationRobot.findMany({ where: { active: true } });
  if (robots.length === 0) return { planned: 0 };
  const calendar = await loadCalendar(tx);
  const pathOf = new Map(depts.map((d) => [d.id, d.path]));
  const rows: Prisma.NotificationDeliveryCreateManyInput[] = [];
  for (const e of events) {
    const path = pathOf.get(e.departmentId);
    // The path holds the ids from the root down ("/rootId/childId/"): the department and those above it.
    const scope = new Set(path ? path.split("/").filter(Boolean) : [e.departmentId]);
    scope.add(e.departmentId);
    const urgent = e.urgent ?? URGENT_KINDS.has(e.kind);
    const timing = sendTimeFor(calendar.definition, now, { urgent, quietHours: true, digest: false });
    for (const r of robots) {
      if (!scope.has(r.scopeId)) continue;
      if (r.kinds.length > 0 && !r.kinds.includes(e.kind) && !r.kinds.includes(e.kind.split(".")[0])) continue;
      rows.push({
        dedupeKey: `${e.dedupeKey}:robot:${r.id}`,
        robotId: r.id,
        channel: "ROBOT",
        kind: e.kind,
        messageKey: e.messageKey,
        params: (e.params ?? undefined) as Prisma.InputJsonValue | undefined,
        href: e.href,
        deadline: e.deadline ?? null,
        urgent,
        target: r.name,
        notBefore: timing.notBefore,
        detail: timing.deferred,
      });
    }
  }
  if (rows.length === 0) return { planned: 0 };
  const { count } = await tx.notificationDelivery.createMany({ data: rows, skipDuplicates: true });
  return { planned: count };
}
