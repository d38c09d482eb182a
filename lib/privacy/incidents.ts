import type { ActionContext } from "@/lib/server/action";
import { DomainError, notFound, stale } from "@/lib/server/errors";
import { requireAny } from "./access";
import { REGULATOR_REPORT_HOURS, REPORTABLE_SEVERITIES, type IncidentInput, type IncidentUpdateInput, type Severity } from "./schemas";

// Personal-information security incidents (PIPL Art. 57): what happened, when it was detected, how
// serious, which data and how many people, what was done, and when the regulator and the
// individuals were told. SERIOUS and above must reach the regulator within 4 hours of detection
// (CAC incident-reporting measures, in force 2025-11-01): until then the incident is a reminder on
// the privacy officer's home page, and it cannot be closed.

export const INCIDENT_ENTITY = "PrivacyIncident";
const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, options?: ConstructorParameters<typeof DomainError>[2]) => new DomainError(code, `privacy.errors.${key}`, options);

export const reportable = (severity: string) => REPORTABLE_SEVERITIES.includes(severity as Severity);
export const reportDeadline = (detectedAt: Date) => new Date(detectedAt.getTime() + REGULATOR_REPORT_HOURS * 3_600_000);

export async function createIncident({ actor, input, tx, audit }: ActionContext<IncidentInput>, now = new Date()): Promise<{ id: string }> {
  requireAny(actor, "privacy.manage");
  if (input.detectedAt.getTime() > now.getTime() + 5 * 60_000) throw err("VALIDATION", "inFuture", { field: "detectedAt" });
  const row = await tx.privacyIncident.create({ data: { ...input, cause: input.cause ?? null, remedialActions: input.remedialActions ?? null, reportedById: actor.id } });
  await audit({ action: "privacyIncident.create", entityType: INCIDENT_ENTITY, entityId: row.id, before: null, after: { title: row.title, severity: row.severity, detectedAt: row.detectedAt, affectedSubjects: row.affectedSubjects } });
  return { id: row.id };
}

export async function updateIncident({ actor, input, tx, audit }: ActionContext<IncidentUpdateInput>, now = new Date()): Promise<{ id: string }> {
  requireAny(actor, "privacy.manage");
  await tx.$queryRaw`SELECT "id" FROM "privacy_incidents" WHERE "id" = ${input.id} FOR UPDATE`;
  const i = await tx.privacyIncident.findUnique({ where: { id: input.id } });
  if (!i) throw notFound();
  if (i.version !== input.version) throw stale();
  if (i.status === "CLOSED") throw err("INVALID_STATE", "incidentClosed");
  for (const [field, at] of [["regulatorNotifiedAt", input.regulatorNotifiedAt], ["individualsNotifiedAt", input.individualsNotifiedAt]] as const) {
    if (!at) continue;
    if (at < i.detectedAt) throw err("VALIDATION", "notifiedBeforeDetection", { field });
    if (at.getTime() > now.getTime() + 5 * 60_000) throw err("VALIDATION", "inFuture", { field });
  }
  const regulatorNotifiedAt = i.regulatorNotifiedAt ?? input.regulatorNotifiedAt ?? null;
  const individualsNotifiedAt = i.individualsNotifiedAt ?? input.individualsNotifiedAt ?? null;
  if (input.close && reportable(i.severity) && !regulatorNotifiedAt) throw err("INVALID_STATE", "reportBeforeClose", { field: "regulatorNotifiedAt" });
  if (input.individualsNotifiedAt && !input.individualsNotice && !i.individualsNotice) throw err("VALIDATION", "individualsNoticeRequired", { field: "individualsNotice" });
  const updated = await tx.privacyIncident.update({
    where: { id: i.id },
    data: {
      remedialActions: input.remedialActions ?? i.remedialActions,
      regulatorNotifiedAt,
      individualsNotifiedAt,
      individualsNotice: input.individualsNotice ?? i.individualsNotice,
      ...(input.close ? { status: "CLOSED" as const, closedAt: now } : {}),
      version: { increment: 1 },
    },
  });
  await audit({
    action: input.close ? "privacyIncident.close" : "privacyIncident.update",
    entityType: INCIDENT_ENTITY,
    entityId: i.id,
    before: { regulatorNotifiedAt: i.regulatorNotifiedAt, individualsNotifiedAt: i.individualsNotifiedAt, status: i.status },
    after: { regulatorNotifiedAt: updated.regulatorNotifiedAt, individualsNotifiedAt: updated.individualsNotifiedAt, status: updated.status, reportedLate: updated.regulatorNotifiedAt ? updated.regulatorNotifiedAt > reportDeadline(i.detectedAt) : null },
  });
  return { id: i.id };
}
