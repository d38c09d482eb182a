import { writeAuditEvent, type AuditActor } from "@/lib/server/audit-write";
import type { ActionContext } from "@/lib/server/action";
import { DomainError, notFound } from "@/lib/server/errors";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import { requireAny } from "./access";
import type { NoticeCategory } from "./notices";
import type { ConsentInput, RenewInput, SeparateConsent, WithdrawInput } from "./schemas";
import { effectiveExpiry } from "./validity";

// The consent register: every change is a new consent_events row (GRANT, RENEW, WITHDRAW, EXPIRE);
// the database refuses UPDATE and DELETE on it. A grant ties a subject to a published notice
// version; its expiry is the notice's retention period from the moment of consent (PIPL Art. 19).

export const CONSENT_ENTITY = "Consent";
const DAY = 86_400_000;
/** A consent time may be a little ahead of the server clock (a phone's clock), not more. */
export const FUTURE_TOLERANCE = 5 * 60_000;

type NoticeForTime = { publishedAt: Date | null; retentionDays: number | null };
export type GrantTimeProblem = { key: "inFuture" | "beforeNotice" | "alreadyExpired"; params?: Record<string, string> };

const chinaTime = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** When a grant given at `occurredAt` under this notice version expires (its retention period). */
export function grantExpiry(notice: NoticeForTime, occurredAt: Date): Date {
  return new Date(occurredAt.getTime() + notice.retentionDays! * DAY);
}

/**
 * What is wrong with the time of a grant (or anything else that starts a consent period), or
 * null: the one rule for every way a consent enters the register — the form, the CSV import
 * (staging and confirmation), the demo data. A consent cannot be given before its notice version
 * was published (the person cannot have read it), nor later than now (a few minutes of clock
 * skew aside), and one already expired by the notice's retention period is not a consent to
 * record as given.
 */
export function grantTimeProblem(notice: NoticeForTime, occurredAt: Date, now: Date): GrantTimeProblem | null {
  if (occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE) return { key: "inFuture" };
  if (!notice.publishedAt || occurredAt.getTime() < notice.publishedAt.getTime()) return { key: "beforeNotice", params: { publishedAt: notice.publishedAt ? chinaTime.format(notice.publishedAt) : "—" } };
  const expiresAt = grantExpiry(notice, occurredAt);
  if (expiresAt.getTime() <= now.getTime()) return { key: "alreadyExpired", params: { expiresAt: chinaTime.format(expiresAt) } };
  return null;
}

const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, options?: ConstructorParameters<typeof DomainError>[2]) => new DomainError(code, `privacy.errors.${key}`, options);

export type ConsentCommandContext = Pick<ActionContext<unknown>, "actor" | "tx" | "audit">;

export type GrantData = ConsentInput & { source?: "FORM" | "IMPORT"; importId?: string; collectedById?: string };

/** Checks a grant against its subject and notice (the form and the import share this). */
export async function validateGrant(tx: Tx, input: GrantData, now: Date) {
  const subject = await tx.dataSubject.findUnique({ where: { id: input.subjectId }, select: { id: true, name: true, erasedAt: true } });
  if (!subject) throw err("VALIDATION", "subjectNotFound", { field: "subjectId" });
  if (subject.erasedAt) throw err("INVALID_STATE", "subjectErased");
  const notice = await tx.privacyNotice.findUnique({ where: { id: input.noticeId } });
  if (!notice) throw err("VALIDATION", "noticeNotFound", { field: "noticeId" });
  if (notice.status === "RETIRED") throw err("INVALID_STATE", "noticeRetired", { field: "noticeId", params: { title: notice.title, version: notice.noticeVersion } });
  if (notice.status !== "PUBLISHED") throw err("INVALID_STATE", "noticeNotPublished", { field: "noticeId" });
  const problem = noticeProblem(notice, input);
  if (problem) throw err("VALIDATION", problem.key, { field: problem.field, params: problem.params });
  const occurredAt = input.occurredAt ?? now;
  const timeProblem = grantTimeProblem(notice, occurredAt, now);
  if (timeProblem) throw err("VALIDATION", timeProblem.key, { field: "occurredAt", params: timeProblem.params });
  return { subject, notice, occurredAt, expiresAt: grantExpiry(notice, occurredAt) };
}

type NoticeForGrant = { purposeCodes: unknown; categories: unknown; separateConsents: unknown };
type GrantChoice = Pick<ConsentInput, "purposes" | "categories" | "separateConsents" | "subjectMinor" | "guardianConsent" | "guardianName" | "guardianRelation">;

/** What is wrong with a grant against its notice version, or null (pure; the import uses it too). */
export function noticeProblem(notice: NoticeForGrant, input: GrantChoice): { key: string; field: string; params?: Record<string, string> } | null {
  const purposes = notice.purposeCodes as string[];
  const unknownPurpose = input.purposes.find((p) => !purposes.includes(p));
  if (unknownPurpose) return { key: "purposeNotInNotice", field: "purposes", params: { code: unknownPurpose } };
  const categories = notice.categories as NoticeCategory[];
  const unknownCategory = input.categories.find((c) => !categories.some((x) => x.code === c));
  if (unknownCategory) return { key: "categoryNotInNotice", field: "categories", params: { code: unknownCategory } };
  const asked = notice.separateConsents as SeparateConsent[];
  const notAsked = input.separateConsents.find((s) => !asked.includes(s));
  if (notAsked) return { key: "separateNotInNotice", field: "separateConsents", params: { flag: notAsked } };
  const sensitive = input.categories.filter((c) => categories.find((x) => x.code === c)?.sensitive);
  if (sensitive.length > 0 && !input.separateConsents.includes("SENSITIVE")) return { key: "sensitiveNeedsSeparate", field: "separateConsents", params: { codes: sensitive.join(", ") } };
  if (input.subjectMinor && !(input.guardianConsent && input.guardianName && input.guardianRelation)) return { key: "minorNeedsGuardian", field: "guardianName" };
  return null;
}

export function grantRow(input: GrantData, checked: { occurredAt: Date; expiresAt: Date }, collectorId: string) {
  return {
    kind: "GRANT" as const,
    subjectId: input.subjectId,
    noticeId: input.noticeId,
    purposes: [...new Set(input.purposes)],
    categories: [...new Set(input.categories)],
    separateConsents: [...new Set(input.separateConsents)],
    channel: input.channel,
    method: input.method,
    evidenceRef: input.evidenceRef ?? null,
    collectedById: input.collectedById ?? collectorId,
    occurredAt: checked.occurredAt,
    expiresAt: checked.expiresAt,
    subjectMinor: input.subjectMinor,
    guardianName: input.subjectMinor ? (input.guardianName ?? null) : null,
    guardianRelation: input.subjectMinor ? (input.guardianRelation ?? null) : null,
    guardianConsent: input.subjectMinor ? input.guardianConsent : false,
    source: input.source ?? "FORM",
    importId: input.importId ?? null,
  };
}

export async function recordConsent(ctx: ConsentCommandContext, input: GrantData, now = new Date()): Promise<{ id: string }> {
  const { actor, tx, audit } = ctx;
  requireAny(actor, "consents.record");
  const checked = await validateGrant(tx, input, now);
  const row = await tx.consentEvent.create({ data: grantRow(input, checked, actor.id) });
  await audit({
    action: "consent.grant",
    entityType: CONSENT_ENTITY,
    entityId: row.id,
    before: null,
    after: { subjectId: row.subjectId, noticeId: row.noticeId, purposes: row.purposes, separateConsents: row.separateConsents, channel: row.channel, occurredAt: row.occurredAt, expiresAt: row.expiresAt, minor: row.subjectMinor },
  });
  return { id: row.id };
}

export const recordConsentCommand = ({ actor, input, tx, audit }: ActionContext<ConsentInput>) => recordConsent({ actor, tx, audit }, input);

async function lockedGrant(tx: Tx, consentId: string) {
  await tx.$queryRaw`SELECT "id" FROM "consent_events" WHERE "id" = ${consentId} AND "kind" = 'GRANT' FOR UPDATE`;
  const grant = await tx.consentEvent.findFirst({
    where: { id: consentId, kind: "GRANT" },
    include: { followUps: { select: { id: true, kind: true, occurredAt: true, expiresAt: true, channel: true } }, notice: true },
  });
  if (!grant) throw notFound();
  return grant;
}

/** One step: the consent ends now (or at the time given), through the channel the subject used. */
export async function withdrawConsent(ctx: ConsentCommandContext, input: WithdrawInput, now = new Date()): Promise<{ id: string; subjectId: string }> {
  const { actor, tx, audit } = ctx;
  requireAny(actor, "consents.record");
  const grant = await lockedGrant(tx, input.consentId);
  const prior = grant.followUps.find((f) => f.kind === "WITHDRAW");
  if (prior) throw err("INVALID_STATE", "alreadyWithdrawn", { params: { at: prior.occurredAt.toISOString().slice(0, 16).replace("T", " ") } });
  const occurredAt = input.occurredAt ?? now;
  if (occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE) throw err("VALIDATION", "inFuture", { field: "occurredAt" });
  if (occurredAt < grant.occurredAt) throw err("VALIDATION", "withdrawBeforeGrant", { field: "occurredAt" });
  const row = await tx.consentEvent.create({
    data: { kind: "WITHDRAW", consentId: grant.id, subjectId: grant.subjectId, channel: input.channel, note: input.note ?? null, collectedById: actor.id, occurredAt, dedupeKey: `${grant.id}:WITHDRAW` },
  });
  await audit({ action: "consent.withdraw", entityType: CONSENT_ENTITY, entityId: grant.id, before: { state: "granted" }, after: { state: "withdrawn", eventId: row.id, channel: input.channel, occurredAt } });
  return { id: row.id, subjectId: grant.subjectId };
}

export const withdrawConsentCommand = ({ actor, input, tx, audit }: ActionContext<WithdrawInput>) => withdrawConsent({ actor, tx, audit }, input);

/** The subject confirms again under the same notice version (still published): a new expiry. */
export async function renewConsent(ctx: ConsentCommandContext, input: RenewInput, now = new Date()): Promise<{ id: string; subjectId: string }> {
  const { actor, tx, audit } = ctx;
  requireAny(actor, "consents.record");
  const grant = await lockedGrant(tx, input.consentId);
  if (grant.followUps.some((f) => f.kind === "WITHDRAW")) throw err("INVALID_STATE", "renewWithdrawn");
  if (!grant.notice || grant.notice.status !== "PUBLISHED") throw err("INVALID_STATE", "noticeRetired", { params: { title: grant.notice?.title ?? "", version: grant.notice?.noticeVersion ?? 0 } });
  // A renewal is given now, under a version still published: the same rule as a grant's time.
  const timeProblem = grantTimeProblem(grant.notice, now, now);
  if (timeProblem) throw err("VALIDATION", timeProblem.key, { params: timeProblem.params });
  const expiresAt = grantExpiry(grant.notice, now);
  const row = await tx.consentEvent.create({
    data: { kind: "RENEW", consentId: grant.id, subjectId: grant.subjectId, noticeId: grant.noticeId, channel: input.channel, method: input.method, evidenceRef: input.evidenceRef ?? null, collectedById: actor.id, occurredAt: now, expiresAt },
  });
  await audit({ action: "consent.renew", entityType: CONSENT_ENTITY, entityId: grant.id, before: { expiresAt: effectiveExpiry(grant, now) }, after: { expiresAt, eventId: row.id } });
  return { id: row.id, subjectId: grant.subjectId };
}

export const renewConsentCommand = ({ actor, input, tx, audit }: ActionContext<RenewInput>) => renewConsent({ actor, tx, audit }, input);

export const SYSTEM_ACTOR: AuditActor = { id: null, label: "system:jobs", ip: null };

/**
 * Records an EXPIRE event for every consent whose effective expiry has passed (not withdrawn),
 * once per expiry (dedupe key), a batch at a time. Idempotent: a second run adds nothing.
 */
export async function recordExpiries(prisma: DbClient | Tx, now = new Date(), batchSize = 1000): Promise<{ expired: number }> {
  let expired = 0;
  for (;;) {
    const rows = await prisma.$queryRaw<{ id: string; subject_id: string; expiry: Date }[]>`
      SELECT g."id", g."subject_id", GREATEST(g."expires_at", COALESCE(MAX(r."expires_at"), g."expires_at")) AS "expiry"
        FROM "consent_events" g
        LEFT JOIN "consent_events" r ON r."consent_id" = g."id" AND r."kind" = 'RENEW' AND r."occurred_at" <= ${now}
       WHERE g."kind" = 'GRANT' AND g."expires_at" IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM "consent_events" w WHERE w."consent_id" = g."id" AND w."kind" = 'WITHDRAW')
       GROUP BY g."id"
      HAVING GREATEST(g."expires_at", COALESCE(MAX(r."expires_at"), g."expires_at")) <= ${now}
         AND NOT EXISTS (SELECT 1 FROM "consent_events" e WHERE e."consent_id" = g."id" AND e."kind" = 'EXPIRE'
                           AND e."expires_at" = GREATEST(g."expires_at", COALESCE(MAX(r."expires_at"), g."expires_at")))
       LIMIT ${batchSize}`;
    if (rows.length === 0) break;
    const inTransaction = <T>(work: (tx: Tx) => Promise<T>): Promise<T> => ("$transaction" in prisma ? (prisma as DbClient).$transaction(work) : work(prisma as Tx));
    const created = await inTransaction(async (tx) => {
      const result = await tx.consentEvent.createMany({
        data: rows.map((r) => ({ kind: "EXPIRE" as const, consentId: r.id, subjectId: r.subject_id, occurredAt: r.expiry, expiresAt: r.expiry, source: "JOB", dedupeKey: `${r.id}:EXPIRE:${r.expiry.toISOString()}` })),
        skipDuplicates: true,
      });
      if (result.count > 0) await writeAuditEvent(tx, SYSTEM_ACTOR, { action: "consent.expire", entityType: CONSENT_ENTITY, entityId: "*", after: { count: result.count, consentIds: rows.slice(0, 50).map((r) => r.id) } });
      return result.count;
    });
    expired += created;
    if (rows.length < batchSize || created === 0) break;
  }
  return { expired };
}
