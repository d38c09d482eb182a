// The job queue's settings, in one place (pg-boss 12 on the application's PostgreSQL).

/** pg-boss keeps its tables in this schema of DATABASE_URL's database. */
export const JOBS_SCHEMA = "pgboss";

/**
 * Connections pg-boss's own pool may open (JOBS_POOL_MAX, default 2). Every pool counts against the
 * embedded server's maxConnections (DB_POOL_MAX*2+4 = 14 by default): the web server's Prisma pool
 * (DB_POOL_MAX = 5) + its bulk-read pool (2, lib/server/bulk-read.ts) + this pool (2) + a worker
 * process's Prisma pool (2) and pg-boss pool (2) = 13.
 */
export function jobsPoolMax(): number {
  const n = Number(process.env.JOBS_POOL_MAX ?? 2);
  return Number.isInteger(n) && n >= 1 ? n : 2;
}

export const QUEUES = {
  /** Every minute: transfers whose 24 hours have passed complete (only those not sent through WeCom). */
  completeTransfers: "offboarding.complete-transfers",
  /** Every 5 minutes: leavers past 18:00 China time on their last working day become DEPARTED. */
  departures: "offboarding.departures",
  /** Daily at 09:00 China time: successors with items waiting on them are reminded (logged). */
  remindSuccessors: "offboarding.remind-successors",
  /** Daily at 01:00 China time: this week's dashboard snapshot (the 12-week trends). */
  dashboardSnapshot: "dashboard.snapshot",
  /** Daily at 00:30 China time: consents past their expiry get their EXPIRE event. */
  consentExpiries: "privacy.consent-expiries",
  /** Sent by the service commands for the moment a complaint's target breaches (startAfter). */
  serviceEscalate: "service.escalate",
  /** Every minute: the safety net for escalation jobs that were lost or never sent. */
  serviceBreachSweep: "service.breach-sweep",
  /** Hourly: training assignments for people hired or moved since, recurring renewals, policy requests. */
  trainingSync: "training.sync",
  /** Daily at 09:30 China time: reminders of training and policies due soon or overdue. */
  trainingReminders: "training.reminders",
  /** Daily at 09:30 China time: licences of media in published content ending within 30 days. */
  contentLicenceWarnings: "content.licence-warnings",
  /** Sent by /api/wecom/callback for each verified WeCom change event (lib/wecom/callback.ts). */
  wecomCallbackEvent: "wecom.callback-event",
  /** Sent by "sync now" (lib/wecom/sync/actions.ts): runs or resumes one WeCom sync run. */
  wecomSync: "wecom.sync",
  /** Every 2 minutes: resumes a WeCom sync run whose worker died (its lease lapsed). */
  wecomSyncSweep: "wecom.sync-sweep",
  /** Daily at 02:00 China time: the nightly WeCom sync, when the connection is configured. */
  wecomSyncNightly: "wecom.sync-nightly",
  /** Hourly at :40: WeCom's list of leavers' unassigned customers (lib/wecom/unassigned.ts). */
  wecomUnassigned: "wecom.unassigned",
  /** Daily at 03:30 China time, and "read now": customers' chat-archive agreement (lib/privacy/wecom-archive.ts). */
  wecomArchiveConsent: "wecom.archive-consent",
  /** Daily at 09:30 China time: assignees of data-subject requests nearly due or overdue are told. */
  privacyDeadlines: "privacy.deadline-reminders",
  /** Every 5 minutes (off :00 and :30): unreported serious incidents nearing or past their 4-hour
   * reporting deadline are told to the privacy officers (lib/privacy/reminders.ts). */
  privacyIncidentDeadlines: "privacy.incident-deadlines",
  /** Every minute: a delivery job for each notification delivery now due (lib/notifications). */
  notificationsDispatch: "notifications.dispatch",
  /** Sent by the dispatch job: one notification delivery (WeCom, e-mail or a group robot). */
  notificationsDeliver: "notifications.deliver",
  /** Sent after a handover's transfers commit, and every minute as the safety net: sends the WeCom
   * outbox, reconciling first any batch whose worker died (lib/offboarding/outbox.ts). */
  wecomOutbox: "wecom.outbox",
  /** Every 10 minutes: WeCom's transfer results (done, refused, successor's limit) for transfers
   * still waiting, applied to the handover items. */
  wecomTransferResults: "wecom.transfer-results",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Queues run on a schedule; the others only run jobs sent to them. */
export const SCHEDULES: Partial<Record<QueueName, { cron: string; tz?: string }>> = {
  [QUEUES.completeTransfers]: { cron: "* * * * *" },
  [QUEUES.departures]: { cron: "*/5 * * * *" },
  [QUEUES.remindSuccessors]: { cron: "0 9 * * *", tz: "Asia/Shanghai" },
  [QUEUES.dashboardSnapshot]: { cron: "0 1 * * *", tz: "Asia/Shanghai" },
  [QUEUES.consentExpiries]: { cron: "30 0 * * *", tz: "Asia/Shanghai" },
  [QUEUES.serviceBreachSweep]: { cron: "* * * * *" },
  [QUEUES.trainingSync]: { cron: "17 * * * *" },
  [QUEUES.trainingReminders]: { cron: "30 9 * * *", tz: "Asia/Shanghai" },
  [QUEUES.contentLicenceWarnings]: { cron: "30 9 * * *", tz: "Asia/Shanghai" },
  [QUEUES.wecomSyncSweep]: { cron: "*/2 * * * *" },
  [QUEUES.wecomSyncNightly]: { cron: "0 2 * * *", tz: "Asia/Shanghai" },
  [QUEUES.wecomUnassigned]: { cron: "40 * * * *" },
  [QUEUES.wecomArchiveConsent]: { cron: "30 3 * * *", tz: "Asia/Shanghai" },
  [QUEUES.notificationsDispatch]: { cron: "* * * * *" },
  [QUEUES.privacyDeadlines]: { cron: "30 9 * * *", tz: "Asia/Shanghai" },
  [QUEUES.privacyIncidentDeadlines]: { cron: "2-59/5 * * * *" },
  [QUEUES.wecomOutbox]: { cron: "* * * * *" },
  [QUEUES.wecomTransferResults]: { cron: "*/10 * * * *" },
};

/**
 * Queues whose schedule is not kept (JOBS_SCHEDULES_OFF: queue names, comma-separated): their jobs
 * still run when something sends one (立即同步 sends a sync), but nothing sends them at their hour.
 * For a company that syncs WeCom only on demand, or an environment that must not act by the clock:
 * the end-to-end tests, whose sync history a nightly run at 02:00 China time (18:00 UTC) would change.
 * A name that is not a queue stops the runner, so a typing error cannot leave a schedule on.
 */
export function schedulesOff(value: string | undefined = process.env.JOBS_SCHEDULES_OFF): Set<QueueName> {
  const names = (value ?? "").split(",").map((n) => n.trim()).filter(Boolean);
  const known = new Set<string>(Object.keys(SCHEDULES));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new Error(`JOBS_SCHEDULES_OFF: ${unknown.join(", ")} is not a scheduled queue (one of: ${[...known].sort().join(", ")})`);
  return new Set(names as QueueName[]);
}

/** Queues whose jobs may run long (a scale-1 WeCom sync takes minutes): pg-boss must not expire
 * them after its default 15 minutes. The run's own lease, not pg-boss, guards against two workers. */
export const LONG_QUEUES: Partial<Record<QueueName, { expireInSeconds: number }>> = {
  [QUEUES.wecomSync]: { expireInSeconds: 4 * 3600 },
  [QUEUES.wecomSyncSweep]: { expireInSeconds: 4 * 3600 },
  [QUEUES.wecomSyncNightly]: { expireInSeconds: 4 * 3600 },
  [QUEUES.wecomArchiveConsent]: { expireInSeconds: 4 * 3600 },
};

/** Failed runs are retried with exponential backoff: 30 s, 1 min, 2 min, … up to 10 min, 5 times. */
export const RETRY = { retryLimit: 5, retryDelay: 30, retryBackoff: true, retryDelayMax: 600 } as const;
