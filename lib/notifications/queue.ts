import "server-only";
import { QUEUES } from "@/lib/jobs/config";
import { jobSender } from "@/lib/jobs/sender";

// Urgent messages go out at once (docs/notifications.md "Delivery"): after a command that planned
// urgent deliveries commits (a complaint recorded already breached), the dispatch job is queued
// now rather than at the minute's schedule. Best effort: the schedule sends them anyway if this is
// lost. Sent through lib/jobs/sender.ts.

/** Queues a run of the dispatch job now (it sends every delivery due, urgent ones included). */
export async function enqueueDispatch(): Promise<string | null> {
  try {
    const boss = await jobSender();
    if (!boss) return null;
    return await boss.send(QUEUES.notificationsDispatch, {});
  } catch (error) {
    console.warn(`[notifications] dispatch not queued (the minute's schedule will send): ${(error as Error)?.message ?? String(error)}`);
    return null;
  }
}
