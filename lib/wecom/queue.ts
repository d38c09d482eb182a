import "server-only";
import { QUEUES } from "@/lib/jobs/config";
import { jobSender } from "@/lib/jobs/sender";

// Puts a verified callback event, a sync run, a read of the archive consent or a send of the outbox
// on the job queue (pg-boss), through lib/jobs/sender.ts.

/** Queues the event; its id is the singleton key, so the same event is never queued twice. */
export async function enqueueCallbackEvent(eventId: string): Promise<string | null> {
  const boss = await jobSender();
  if (!boss) return null;
  return boss.send(QUEUES.wecomCallbackEvent, { eventId }, { singletonKey: eventId });
}

/** Queues a sync run for a worker; the run id is the singleton key (one job per run). */
export async function enqueueSync(runId: string): Promise<string | null> {
  const boss = await jobSender();
  if (!boss) return null;
  return (await boss.send(QUEUES.wecomSync, { runId }, { singletonKey: runId })) ?? runId;
}

/** "Read now" of the chat-archive consent (lib/privacy/wecom-archive.ts): one queued read at a time. */
export async function enqueueArchiveConsent(): Promise<string | null> {
  const boss = await jobSender();
  if (!boss) return null;
  return boss.send(QUEUES.wecomArchiveConsent, {}, { singletonKey: "read-now" });
}

/** Queues a send of the WeCom outbox (after a handover's transfers commit); the minute's schedule
 * sends it anyway if this is lost. */
export async function enqueueOutbox(): Promise<string | null> {
  const boss = await jobSender();
  if (!boss) return null;
  return boss.send(QUEUES.wecomOutbox, {});
}
