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
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const event = {
    actorId: actor.id,
    actorLabel: actor.label,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    before: toAuditJson(input.before),
    after: toAuditJson(input.after),
    ip: actor.ip,
    createdAt: new Date(),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await tx.auditEvent.create({
    data: {
      ...event,
      before: event.before ?? undefined,
      after: event.after ?? undefined,
      hash: auditHash(event),
    },
  });
}
