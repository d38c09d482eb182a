import { completeDueTransfers, departDueCases } from "@/lib/offboarding/sweeps";
import { writeAuditEvent, type AuditActor } from "@/lib/server/audit-write";
import type { DbClient, Tx } from "@/lib/server/prisma-client";

// What each job does, as plain functions of (database, now) so tests run them with a controlled
// clock and run them twice. Each runs in one transaction and audits as the system. Idempotent:
// every write is conditional on the state it starts from.

export const SYSTEM_ACTOR: AuditActor = { id: null, label: "system:jobs", ip: null };

async function inSystemTransaction<T>(prisma: DbClient, work: (tx: Tx, audit: Parameters<typeof completeDueTransfers>[1]) => Promise<T>): Promise<T> {
  return prisma.$transaction((tx) => work(tx, (event) => writeAuditEvent(tx, SYSTEM_ACTOR, event)), { timeout: 60_000, maxWait: 10_000 });
}

export async function runCompleteTransfers(prisma: DbClient, now = new Date()): Promise<{ completed: number }> {
  return { completed: await inSystemTransaction(prisma, (tx, audit) => completeDueTransfers(tx, audit, now)) };
}

export async function runDepartures(prisma: DbClient, now = new Date()): Promise<{ departed: number }> {
  return { departed: await inSystemTransaction(prisma, (tx, audit) => departDueCases(tx, audit, now)) };
}

/**
 * Reminds successors of items waiting on them (assigned, not started, or refused/failed). There is
 * no notification table yet, so the reminder is a log line per successor (no audit event: nothing
 * changes). Returns what it would send.
 */
export async function runRemindSuccessors(prisma: DbClient, log: (line: string) => void = console.log): Promise<{ successors: number }> {
  const rows = await prisma.handoverItem.groupBy({
    by: ["successorId"],
    where: { successorId: { not: null }, status: { in: ["PENDING", "REFUSED", "FAILED"] }, case: { status: "OPEN" } },
    _count: { _all: true },
  });
  for (const r of rows) log(`[jobs] reminder: successor ${r.successorId} has ${r._count._all} handover item(s) waiting`);
  return { successors: rows.length };
}
