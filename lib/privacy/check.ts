import type { Tx } from "@/lib/server/prisma-client";
import type { IdentifierField } from "./identifiers";
import type { CheckQuery } from "./schemas";
import { subjectByIdentifier } from "./subjects";
import { checkConsent, type ConsentAnswer } from "./validity";

// The validity question as the check form and GET /api/v1/consents/check ask it: find the subject
// (by id, or by an exact identifier through the keyed hash), then checkConsent — the one answer.

export type CheckResult = { subjectId: string | null; answer: ConsentAnswer | { valid: false; reason: "NO_SUBJECT"; record: null } };

export async function answerCheck(tx: Tx, query: CheckQuery, now = new Date()): Promise<CheckResult> {
  let subjectId: string | null = null;
  if (query.subjectId) {
    subjectId = (await tx.dataSubject.findUnique({ where: { id: query.subjectId }, select: { id: true } }))?.id ?? null;
  } else {
    for (const field of ["phone", "wecomId", "email"] as IdentifierField[]) {
      const value = query[field];
      if (!value) continue;
      subjectId = (await subjectByIdentifier(tx, field, value))?.id ?? null;
      break;
    }
  }
  if (!subjectId) return { subjectId: null, answer: { valid: false, reason: "NO_SUBJECT", record: null } };
  return { subjectId, answer: await checkConsent(tx, subjectId, { purpose: query.purpose, separate: query.separate }, now) };
}
