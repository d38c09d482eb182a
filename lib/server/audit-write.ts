import type { Tx } from "./prisma-client";
import { auditHash, GENESIS_HASH, toAuditJson } from "./audit-hash";

export type AuditInput = {
  action: string; // e.g. "employee.update"
  entityType: string; // e.g. "Employee"
  entityId: string;
  before?: unknown;
  after?: unknown;
};

export type AuditActor = { id: string | null; label: string; ip: string | null };

// Serialises writers on one advisory lock so each event can chain to the one before it. The
// lock is held only until the surrounding transaction ends.
const AUDIT_CHAIN_LOCK = 4_200_001;

export async function writeAuditEvent(tx: Tx, actor: AuditActor, input: AuditInput): Promise<void> {
  await writeAuditEvents(tx, actor, [input]);
}

/** Many events of one actor, in order, chained as writeAuditEvent would chain them one by one:
 * one lock, one read of the last hash, and a few multi-row inserts (a bulk import's 10,000
 * events are not 30,000 round trips). */
export async function writeAuditEvents(tx: Tx, actor: AuditActor, inputs: readonly AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  let prevHash = last?.hash ?? GENESIS_HASH;
  const createdAt = new Date();
  const rows = inputs.map((input) => {
    const event = {
      actorId: actor.id,
      actorLabel: actor.label,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      before: toAuditJson(input.before),
      after: toAuditJson(input.after),
      ip: actor.ip,
      createdAt,
      prevHash,
    };
    const hash = auditHash(event);
    prevHash = hash;
    return { ...event, before: event.before ?? undefined, after: event.after ?? undefined, hash };
  });
  // In chunks, each one INSERT of many rows; ids (bigserial) follow the array's order.
  for (let i = 0; i < rows.length; i += 2000) await tx.auditEvent.createMany({ data: rows.slice(i, i + 2000) });
}
