import "server-only";
import type { ActionContext } from "@/lib/server/action";
import { DomainError, forbidden, notFound, stale } from "@/lib/server/errors";
import type { PolicyInput } from "./schemas";

// SLA policies (sla.configure). Matched in position order, first match wins; a case copies its
// policy's targets when it is created, so editing a policy changes new cases only.

const ENTITY = "SlaPolicy";
const view = (p: Record<string, unknown>) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== "createdAt" && k !== "updatedAt"));

export async function savePolicy({ actor, input, tx, audit }: ActionContext<PolicyInput>): Promise<{ id: string }> {
  if (!actor.permissions.has("sla.configure")) throw forbidden();
  if (input.calendarId && !(await tx.businessCalendar.findUnique({ where: { id: input.calendarId }, select: { id: true } }))) {
    throw new DomainError("VALIDATION", "service.errors.calendarNotFound", { field: "calendarId" });
  }
  const data = {
    name: input.name,
    nameEn: input.nameEn,
    position: input.position,
    channel: input.channel ?? null,
    caseType: input.caseType ?? null,
    priority: input.priority ?? null,
    firstResponseMinutes: input.firstResponseMinutes,
    resolutionMinutes: input.resolutionMinutes,
    clock: input.clock,
    calendarId: input.calendarId ?? null,
    active: input.active,
  };
  if (!input.id) {
    const created = await tx.slaPolicy.create({ data });
    await audit({ action: "sla.policyCreate", entityType: ENTITY, entityId: created.id, before: null, after: view(created) });
    return { id: created.id };
  }
  const existing = await tx.slaPolicy.findUnique({ where: { id: input.id } });
  if (!existing) throw notFound();
  if (input.version === undefined || existing.version !== input.version) throw stale();
  const { count } = await tx.slaPolicy.updateMany({ where: { id: input.id, version: existing.version }, data: { ...data, version: { increment: 1 } } });
  if (count !== 1) throw stale();
  await requireCatchAll(tx);
  await audit({ action: "sla.policyUpdate", entityType: ENTITY, entityId: input.id, before: view(existing), after: { ...data, version: existing.version + 1 } });
  return { id: input.id };
}

/** Every case must find a policy: at least one active policy matches everything. */
async function requireCatchAll(tx: ActionContext<unknown>["tx"]) {
  const n = await tx.slaPolicy.count({ where: { active: true, channel: null, caseType: null, priority: null } });
  if (n === 0) throw new DomainError("INVALID_STATE", "service.errors.lastCatchAll");
}

export async function deletePolicy({ actor, input, tx, audit }: ActionContext<{ id: string; version: number }>): Promise<{ id: string }> {
  if (!actor.permissions.has("sla.configure")) throw forbidden();
  const existing = await tx.slaPolicy.findUnique({ where: { id: input.id } });
  if (!existing) throw notFound();
  if (existing.version !== input.version) throw stale();
  // The last active policy that matches everything cannot go: every case must find a policy.
  const catchAll = await tx.slaPolicy.count({ where: { active: true, channel: null, caseType: null, priority: null, id: { not: input.id } } });
  if (catchAll === 0) throw new DomainError("INVALID_STATE", "service.errors.lastCatchAll");
  await tx.slaPolicy.delete({ where: { id: input.id } });
  await audit({ action: "sla.policyDelete", entityType: ENTITY, entityId: input.id, before: view(existing), after: null });
  return { id: input.id };
}
