import "server-only";
import { QUEUES } from "@/lib/jobs/config";
import { jobSender } from "@/lib/jobs/sender";

// After a command commits, the escalation job of a complaint is put on the queue for the moment
// its next target breaches (pg-boss `startAfter`). Best effort: the durable truth is the case's
// next_due_at, and the sweep (every minute) escalates whatever a lost job missed. A job that finds
// the case changed (answered, paused, resolved, due later) does nothing; the command that moved the
// due time has sent a new one. Sent through lib/jobs/sender.ts.

export async function scheduleEscalation(caseId: string, at: Date | null): Promise<void> {
  if (!at) return;
  try {
    const boss = await jobSender();
    if (!boss) return;
    await boss.send(QUEUES.serviceEscalate, { caseId }, { startAfter: at, singletonKey: `${caseId}:${at.toISOString()}` });
  } catch (error) {
    console.warn(`[service] escalation job for ${caseId} not queued (the sweep will catch it): ${(error as Error)?.message ?? String(error)}`);
  }
}
