import type { Tx } from "@/lib/server/prisma-client";
import type { SeparateConsent } from "./schemas";

// The one question of the register (SPEC §7): does this subject have a valid consent for this
// purpose (and this separate consent) now? Answered here only — by the subject's page, the check
// form and GET /api/v1/consents/check — as yes or no with the record that decides.
//
// A consent (a GRANT event) is valid at `now` when it covers the purpose (and the separate
// consent asked about), has not been withdrawn (a WITHDRAW at or before `now`), and its expiry —
// the latest of the GRANT's and its RENEWs' — is after `now`; a minor's needs the guardian's
// consent. Among several, a valid one decides (the one ending last); when none is valid, the
// most recent relevant one says why (withdrawn, expired, separate consent missing, guardian
// missing); with none at all the answer is no without a record.

export type ConsentReason = "VALID" | "NO_CONSENT" | "WITHDRAWN" | "EXPIRED" | "SEPARATE_CONSENT_MISSING" | "MINOR_WITHOUT_GUARDIAN" | "NOT_YET_GIVEN";

export type ConsentFollowUp = { id: string; kind: "GRANT" | "RENEW" | "WITHDRAW" | "EXPIRE"; occurredAt: Date; expiresAt: Date | null; channel: string | null };

export type ConsentForDecision = {
  id: string;
  subjectId: string;
  noticeId: string | null;
  purposes: string[];
  separateConsents: string[];
  occurredAt: Date;
  expiresAt: Date | null;
  subjectMinor: boolean;
  guardianConsent: boolean;
  guardianName: string | null;
  channel: string | null;
  followUps: ConsentFollowUp[];
};

export type DecidingRecord = {
  consentId: string;
  noticeId: string | null;
  grantedAt: Date;
  expiresAt: Date | null;
  withdrawnAt: Date | null;
  withdrawalChannel: string | null;
  purposes: string[];
  separateConsents: string[];
  channel: string | null;
};

export type ConsentAnswer = { valid: boolean; reason: ConsentReason; record: DecidingRecord | null };

/** The consent's effective expiry: the latest of the grant's and its renewals' up to `now`. */
export function effectiveExpiry(c: Pick<ConsentForDecision, "expiresAt" | "followUps">, now: Date): Date | null {
  let expiry = c.expiresAt;
  for (const f of c.followUps) {
    if (f.kind !== "RENEW" || f.occurredAt > now || !f.expiresAt) continue;
    if (!expiry || f.expiresAt > expiry) expiry = f.expiresAt;
  }
  return expiry;
}

function withdrawalOf(c: ConsentForDecision, now: Date): ConsentFollowUp | null {
  return c.followUps.find((f) => f.kind === "WITHDRAW" && f.occurredAt <= now) ?? null;
}

/** The state of one consent at `now`, ignoring purposes. */
export function consentState(c: ConsentForDecision, now: Date): "VALID" | "WITHDRAWN" | "EXPIRED" | "MINOR_WITHOUT_GUARDIAN" | "NOT_YET_GIVEN" {
  if (c.occurredAt > now) return "NOT_YET_GIVEN";
  if (withdrawalOf(c, now)) return "WITHDRAWN";
  const expiry = effectiveExpiry(c, now);
  if (expiry && expiry <= now) return "EXPIRED";
  if (c.subjectMinor && !(c.guardianConsent && c.guardianName)) return "MINOR_WITHOUT_GUARDIAN";
  return "VALID";
}

function record(c: ConsentForDecision, now: Date): DecidingRecord {
  const w = withdrawalOf(c, now);
  return {
    consentId: c.id,
    noticeId: c.noticeId,
    grantedAt: c.occurredAt,
    expiresAt: effectiveExpiry(c, now),
    withdrawnAt: w?.occurredAt ?? null,
    withdrawalChannel: w?.channel ?? null,
    purposes: c.purposes,
    separateConsents: c.separateConsents,
    channel: c.channel,
  };
}

/** The answer from a subject's consents (pure: the tests give it records and a clock). */
export function decideConsent(consents: readonly ConsentForDecision[], query: { purpose: string; separate?: SeparateConsent }, now: Date): ConsentAnswer {
  const forPurpose = consents.filter((c) => c.purposes.includes(query.purpose));
  if (forPurpose.length === 0) return { valid: false, reason: "NO_CONSENT", record: null };
  const covering = query.separate ? forPurpose.filter((c) => c.separateConsents.includes(query.separate!)) : forPurpose;
  const valid = covering
    .filter((c) => consentState(c, now) === "VALID")
    .sort((a, b) => (effectiveExpiry(b, now)?.getTime() ?? Infinity) - (effectiveExpiry(a, now)?.getTime() ?? Infinity) || b.occurredAt.getTime() - a.occurredAt.getTime());
  if (valid.length > 0) return { valid: true, reason: "VALID", record: record(valid[0], now) };
  if (covering.length === 0) {
    // Consents for the purpose exist but none grants the separate consent asked about.
    const latest = [...forPurpose].sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime())[0];
    return { valid: false, reason: "SEPARATE_CONSENT_MISSING", record: record(latest, now) };
  }
  const latest = [...covering].sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime())[0];
  return { valid: false, reason: consentState(latest, now) as ConsentReason, record: record(latest, now) };
}

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** A subject's consents as decideConsent reads them (one query, GRANTs with their follow-ups). */
export async function loadConsents(tx: Tx, subjectId: string, purpose?: string): Promise<ConsentForDecision[]> {
  const rows = await tx.consentEvent.findMany({
    where: { subjectId, kind: "GRANT", ...(purpose ? { purposes: { array_contains: [purpose] } } : {}) },
    select: {
      id: true,
      subjectId: true,
      noticeId: true,
      purposes: true,
      separateConsents: true,
      occurredAt: true,
      expiresAt: true,
      subjectMinor: true,
      guardianConsent: true,
      guardianName: true,
      channel: true,
      followUps: { select: { id: true, kind: true, occurredAt: true, expiresAt: true, channel: true }, orderBy: { occurredAt: "asc" } },
    },
    orderBy: { occurredAt: "desc" },
  });
  return rows.map((r) => ({ ...r, purposes: asStrings(r.purposes), separateConsents: asStrings(r.separateConsents) }));
}

/** The question against the database: the one function the UI and the API call. */
export async function checkConsent(tx: Tx, subjectId: string, query: { purpose: string; separate?: SeparateConsent }, now = new Date()): Promise<ConsentAnswer> {
  return decideConsent(await loadConsents(tx, subjectId, query.purpose), query, now);
}
