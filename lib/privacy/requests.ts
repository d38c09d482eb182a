import { addCalendarDays, addWorkingDays, type CalendarDefinition } from "@/lib/calendar";
import { loadCalendar } from "@/lib/calendar/store";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActionContext } from "@/lib/server/action";
import { DomainError, notFound, stale } from "@/lib/server/errors";
import type { Tx } from "@/lib/server/prisma-client";
import { requireAny } from "./access";
import { withdrawConsent } from "./consents";
import { REQUEST_CEILING_DAYS, REQUEST_WORKING_DAYS, type CompleteInput, type RefuseInput, type RequestInput, type VerifyInput } from "./schemas";
import { consentState, loadConsents } from "./validity";

// Data-subject requests (PIPL Art. 44–50): received → identity verified → completed, or refused
// with reasons at any point before completion. Due at the close of business of the 15th working
// day after receipt on the default business calendar (the day of receipt not counted, Civil Code
// art. 201), and never later than 30 calendar days after receipt.

export const REQUEST_ENTITY = "PrivacyRequest";

const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, options?: ConstructorParameters<typeof DomainError>[2]) => new DomainError(code, `privacy.errors.${key}`, options);

/** The due date of a request received at `receivedAt` (pure; the calendar from loadCalendar). */
export function requestDueAt(calendar: CalendarDefinition, receivedAt: Date): Date {
  const working = addWorkingDays(calendar, receivedAt, REQUEST_WORKING_DAYS, { at: "end-of-day" });
  const ceiling = addCalendarDays(calendar, receivedAt, REQUEST_CEILING_DAYS);
  return working < ceiling ? working : ceiling;
}

export async function createRequest({ actor, input, tx, audit }: ActionContext<RequestInput>, now = new Date()): Promise<{ id: string }> {
  requireAny(actor, "privacy.manage");
  const subject = await tx.dataSubject.findUnique({ where: { id: input.subjectId }, select: { id: true } });
  if (!subject) throw err("VALIDATION", "subjectNotFound", { field: "subjectId" });
  const receivedAt = input.receivedAt ?? now;
  if (receivedAt.getTime() > now.getTime() + 5 * 60_000) throw err("VALIDATION", "inFuture", { field: "receivedAt" });
  if (input.assigneeId) {
    const a = await tx.employee.findUnique({ where: { id: input.assigneeId }, select: { status: true } });
    if (!a || a.status !== "ACTIVE") throw err("VALIDATION", "assigneeNotActive", { field: "assigneeId" });
  }
  const calendar = await loadCalendar(tx);
  const dueAt = requestDueAt(calendar.definition, receivedAt);
  const row = await tx.privacyRequest.create({
    data: { subjectId: subject.id, type: input.type, channel: input.channel ?? null, details: input.details ?? null, receivedAt, dueAt, assigneeId: input.assigneeId ?? actor.id, createdById: actor.id },
  });
  await audit({ action: "privacyRequest.create", entityType: REQUEST_ENTITY, entityId: row.id, before: null, after: { subjectId: row.subjectId, type: row.type, receivedAt, dueAt, calendar: calendar.code } });
  return { id: row.id };
}

async function lockedRequest(tx: Tx, id: string, version: number) {
  await tx.$queryRaw`SELECT "id" FROM "privacy_requests" WHERE "id" = ${id} FOR UPDATE`;
  const r = await tx.privacyRequest.findUnique({ where: { id } });
  if (!r) throw notFound();
  if (r.version !== version) throw stale();
  return r;
}

export async function verifyIdentity({ actor, input, tx, audit }: ActionContext<VerifyInput>): Promise<{ id: string }> {
  requireAny(actor, "privacy.manage");
  const r = await lockedRequest(tx, input.id, input.version);
  if (r.status !== "RECEIVED") throw err("INVALID_STATE", "requestNotReceived");
  await tx.privacyRequest.update({ where: { id: r.id }, data: { status: "VERIFIED", identityMethod: input.identityMethod, identityVerifiedAt: new Date(), identityVerifiedById: actor.id, version: { increment: 1 } } });
  await audit({ action: "privacyRequest.verify", entityType: REQUEST_ENTITY, entityId: r.id, before: { status: r.status }, after: { status: "VERIFIED", identityMethod: input.identityMethod } });
  return { id: r.id };
}

export type InventoryItem = { key: string; count: number; detail?: string };

/** Everything the product holds about a subject (the deletion request lists it). */
export async function subjectInventory(tx: Tx, subjectId: string): Promise<InventoryItem[]> {
  const s = await tx.dataSubject.findUnique({ where: { id: subjectId } });
  if (!s) throw notFound();
  const [grants, events, requests] = await Promise.all([
    tx.consentEvent.count({ where: { subjectId, kind: "GRANT" } }),
    tx.consentEvent.count({ where: { subjectId, kind: { not: "GRANT" } } }),
    tx.privacyRequest.count({ where: { subjectId } }),
  ]);
  const items: InventoryItem[] = [];
  if (!s.erasedAt) items.push({ key: "name", count: 1, detail: s.name });
  if (s.phoneCipher) items.push({ key: "phone", count: 1, detail: s.phoneMask ?? undefined });
  if (s.wecomIdCipher) items.push({ key: "wecomId", count: 1, detail: s.wecomIdMask ?? undefined });
  if (s.emailCipher) items.push({ key: "email", count: 1, detail: s.emailMask ?? undefined });
  items.push({ key: "consents", count: grants }, { key: "consentEvents", count: events }, { key: "requests", count: requests });
  return items;
}

/** Completes a verified request. A deletion erases the identifiers chosen and anonymises the name;
 * the consent register and the requests are kept (proof of lawful processing; PIPL Art. 47: what
 * the law requires to keep is stored, not processed). A withdrawal request withdraws every consent
 * still valid. */
export async function completeRequest({ actor, input, tx, audit }: ActionContext<CompleteInput>, now = new Date()): Promise<{ id: string }> {
  requireAny(actor, "privacy.manage");
  const r = await lockedRequest(tx, input.id, input.version);
  if (r.status !== "VERIFIED") throw err("INVALID_STATE", r.status === "RECEIVED" ? "verifyFirst" : "requestClosed");
  let erasure: Record<string, unknown> | null = null;
  if (r.type === "DELETION") {
    if (input.erase.length === 0) throw err("VALIDATION", "eraseSomething", { field: "erase" });
    const held = await subjectInventory(tx, r.subjectId);
    const data: Record<string, unknown> = { version: { increment: 1 } };
    const erased: string[] = [];
    const anonymised: string[] = [];
    for (const field of input.erase) {
      if (!held.some((h) => h.key === field)) continue;
      if (field === "name") {
        data.name = `已删除主体 ${r.subjectId.slice(-6)}`;
        anonymised.push("name");
      } else {
        Object.assign(data, { [`${field}Cipher`]: null, [`${field}Hash`]: null, [`${field}Mask`]: null });
        erased.push(field);
      }
    }
    const remainingIdentifiers = held.filter((h) => ["phone", "wecomId", "email"].includes(h.key) && !erased.includes(h.key));
    if (remainingIdentifiers.length === 0 && anonymised.includes("name")) data.erasedAt = now;
    await tx.dataSubject.update({ where: { id: r.subjectId }, data });
    erasure = {
      held: held.map((h) => ({ key: h.key, count: h.count })),
      erased,
      anonymised,
      kept: [
        { key: "consents", basis: "privacy.erasure.basisConsents" },
        { key: "requests", basis: "privacy.erasure.basisRequests" },
        ...remainingIdentifiers.map((h) => ({ key: h.key, basis: "privacy.erasure.basisNotChosen" })),
      ],
    };
    await audit({ action: "dataSubject.erase", entityType: "DataSubject", entityId: r.subjectId, after: { erased, anonymised, requestId: r.id } });
  }
  if (r.type === "WITHDRAWAL") {
    const consents = await loadConsents(tx, r.subjectId);
    for (const c of consents) {
      if (consentState(c, now) !== "VALID") continue;
      await withdrawConsent({ actor, tx, audit }, { consentId: c.id, channel: r.channel ?? "PAPER", note: `privacyRequest:${r.id}` }, now);
    }
  }
  await tx.privacyRequest.update({
    where: { id: r.id },
    data: { status: "COMPLETED", resolution: input.resolution, erasure: erasure ? (erasure as Prisma.InputJsonObject) : undefined, closedAt: now, closedById: actor.id, version: { increment: 1 } },
  });
  await audit({ action: "privacyRequest.complete", entityType: REQUEST_ENTITY, entityId: r.id, before: { status: r.status }, after: { status: "COMPLETED", onTime: now <= r.dueAt, erasure } });
  return { id: r.id };
}

export async function refuseRequest({ actor, input, tx, audit }: ActionContext<RefuseInput>, now = new Date()): Promise<{ id: string }> {
  requireAny(actor, "privacy.manage");
  const r = await lockedRequest(tx, input.id, input.version);
  if (r.status === "COMPLETED" || r.status === "REFUSED") throw err("INVALID_STATE", "requestClosed");
  await tx.privacyRequest.update({ where: { id: r.id }, data: { status: "REFUSED", refusalReason: input.refusalReason, closedAt: now, closedById: actor.id, version: { increment: 1 } } });
  await audit({ action: "privacyRequest.refuse", entityType: REQUEST_ENTITY, entityId: r.id, before: { status: r.status }, after: { status: "REFUSED", refusalReason: input.refusalReason } });
  return { id: r.id };
}
