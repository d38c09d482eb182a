import { createHash, randomBytes, randomInt } from "node:crypto";
import { loadCalendar } from "@/lib/calendar/store";
import { hashValue, sameHash } from "@/lib/pii";
import type { SmsGateway } from "@/lib/sms";
import { writeAuditEvent, type AuditActor } from "@/lib/server/audit-write";
import { DomainError } from "@/lib/server/errors";
import { transactionLimits } from "@/lib/server/transaction-limits";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import { CONSENT_ENTITY, grantRow, validateGrant, type GrantData } from "./consents";
import { noticeContentHash, resolveLink } from "./consent-links";
import { protectIdentifier, revealIdentifier } from "./identifiers";
import type { NoticeCategory } from "./notices";
import { REQUEST_ENTITY, requestDueAt } from "./requests";
import { compactPhone, MOBILE, REQUEST_TYPES, type RequestType, type SeparateConsent } from "./schemas";
import { protectedIdentifiers, SUBJECT_ENTITY } from "./subjects";
import { consentState, effectiveExpiry, loadConsents } from "./validity";

// The customer's own side of the register (issue 19; docs/privacy.md "Consent links and the
// privacy center"), without a portal account: the consent page's submission confirmed by a
// one-time code, and the privacy center (a code again, then a 15-minute session) where the
// customer sees their consents, withdraws one, and asks for access, a copy, a correction, a
// deletion, a withdrawal or an explanation. Everything here is plain functions over a database
// client, called by the public pages' Server Actions and by the tests alike.

export const OTP_DIGITS = 6;
export const OTP_TTL_MS = 10 * 60_000;
/** Wrong codes allowed per code; the next attempt finds it locked. */
export const OTP_MAX_ATTEMPTS = 5;
/** Issuing limits, counted from otp_challenges (so they hold across servers and restarts). */
export const OTP_LIMITS = {
  phoneGapMs: 60_000,
  perPhoneHour: 5,
  perAddressHour: 20,
  perLinkHour: 100,
} as const;
export const CENTER_SESSION_MS = 15 * 60_000;
export const CENTER_COOKIE = "wg_pc";
export const SELF_SERVICE_SOURCE = "CUSTOMER";
/** privacy_requests.created_by_id of a request the customer submitted themselves. */
export const SELF_SERVICE_CREATOR = "customer-self-service";
const HOUR = 3_600_000;
const OTP_LOCK = 4_200_919;

const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, options?: ConstructorParameters<typeof DomainError>[2]) => new DomainError(code, `consentPage.errors.${key}`, options);

export type Visitor = { ip: string | null; userAgent: string | null };
const customerActor = (mask: string, ip: string | null): AuditActor => ({ id: null, label: `customer:${mask}`, ip });

function transaction<T>(db: DbClient, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(work, transactionLimits());
}

const codeHash = (challengeId: string, code: string) => hashValue("identifier", `otp/v1|${challengeId}|${code}`);

/** A mainland mobile number, compacted and without +86, or null. */
export function parsePhone(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const v = compactPhone(raw.trim());
  if (!MOBILE.test(v)) return null;
  return v.replace(/^(?:\+86|0086)/, "");
}

// ---------------------------------------------------------------------------------------------
// One-time codes

/** Records a code (its keyed hash only) after the rate limits; the caller sends it after commit. */
async function issueChallenge(tx: Tx, input: { purpose: "CONSENT" | "CENTER"; phone: string; ip: string | null; linkId?: string }, now: Date) {
  const p = protectIdentifier("phone", input.phone);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${OTP_LOCK}::int, hashtext(${p.hash}))`;
  const hourAgo = new Date(now.getTime() - HOUR);
  const recent = await tx.otpChallenge.findMany({ where: { phoneHash: p.hash, createdAt: { gt: hourAgo } }, select: { createdAt: true, purpose: true } });
  if (recent.length >= OTP_LIMITS.perPhoneHour) throw err("INVALID_STATE", "tooManyCodesPhone");
  if (recent.some((r) => r.purpose === input.purpose && r.createdAt.getTime() > now.getTime() - OTP_LIMITS.phoneGapMs)) throw err("INVALID_STATE", "codeTooSoon");
  if (input.ip && (await tx.otpChallenge.count({ where: { ip: input.ip, createdAt: { gt: hourAgo } } })) >= OTP_LIMITS.perAddressHour) throw err("INVALID_STATE", "tooManyCodesAddress");
  if (input.linkId && (await tx.otpChallenge.count({ where: { linkId: input.linkId, createdAt: { gt: hourAgo } } })) >= OTP_LIMITS.perLinkHour) throw err("INVALID_STATE", "tooManyCodesLink");
  const id = randomBytes(12).toString("hex");
  const code = String(randomInt(0, 10 ** OTP_DIGITS)).padStart(OTP_DIGITS, "0");
  await tx.otpChallenge.create({
    data: { id, purpose: input.purpose, phoneHash: p.hash, phoneMask: p.mask, codeHash: codeHash(id, code), ip: input.ip, linkId: input.linkId ?? null, expiresAt: new Date(now.getTime() + OTP_TTL_MS), smsStatus: "PENDING", createdAt: now },
  });
  return { id, code, phone: p };
}

/** Sends a recorded code and records the gateway's answer (after the commit: record, then send). */
async function sendChallenge(db: DbClient, gateway: SmsGateway, challenge: { id: string; code: string }, phone: string) {
  const minutes = OTP_TTL_MS / 60_000;
  const result = await gateway.send({ to: phone, code: challenge.code, text: `【WeGovern】您的验证码是 ${challenge.code}，${minutes} 分钟内有效。请勿告诉他人。` });
  await db.otpChallenge.update({ where: { id: challenge.id }, data: { smsStatus: result.ok ? `SENT ${result.messageId}`.trim() : `FAILED ${result.error}` } });
  if (!result.ok) throw err("INVALID_STATE", "smsFailed");
}

export type CodeRefusal = "codeUnknown" | "codeExpired" | "codeUsed" | "codeLocked" | "codeWrong";

/** Checks a code inside the caller's transaction: a wrong one counts an attempt (returned, not
 * thrown, so the count commits); the right one is consumed — a second use is a replay. */
async function consumeChallenge(tx: Tx, challengeId: string, code: string, purpose: "CONSENT" | "CENTER", now: Date): Promise<{ ok: true; phoneHash: string; phoneMask: string } | { ok: false; reason: CodeRefusal }> {
  await tx.$queryRaw`SELECT "id" FROM "otp_challenges" WHERE "id" = ${challengeId} FOR UPDATE`;
  const c = await tx.otpChallenge.findUnique({ where: { id: challengeId } });
  if (!c || c.purpose !== purpose) return { ok: false, reason: "codeUnknown" };
  if (c.consumedAt) return { ok: false, reason: "codeUsed" };
  if (c.attempts >= OTP_MAX_ATTEMPTS) return { ok: false, reason: "codeLocked" };
  if (c.expiresAt <= now) return { ok: false, reason: "codeExpired" };
  const given = code.trim();
  if (!/^\d{6}$/.test(given) || !sameHash(codeHash(c.id, given), c.codeHash)) {
    await tx.otpChallenge.update({ where: { id: c.id }, data: { attempts: { increment: 1 } } });
    return { ok: false, reason: c.attempts + 1 >= OTP_MAX_ATTEMPTS ? "codeLocked" : "codeWrong" };
  }
  await tx.otpChallenge.update({ where: { id: c.id }, data: { consumedAt: now, attempts: { increment: 1 } } });
  return { ok: true, phoneHash: c.phoneHash, phoneMask: c.phoneMask };
}

// ---------------------------------------------------------------------------------------------
// The consent page

export type ConsentChoices = { purposes: Record<string, boolean>; separateConsents: Record<string, boolean> };

/** The field names of the page's choices: one field per purpose, one per separate consent. */
export const purposeField = (code: string) => `purpose.${code}`;
export const separateField = (flag: string) => `separate.${flag}`;
/** The one value a ticked choice sends; an unticked checkbox sends nothing. */
export const TICKED = "yes";
const FORM_FIELDS = new Set(["token", "shown", "name", "phone", "minor", "guardianName", "guardianRelation", "guardianConsent", "lang"]);

/** The hidden "shown" field: proof that this server rendered these choices, every one unticked. */
export function shownToken(linkId: string, purposes: readonly string[], separate: readonly string[]): string {
  return hashValue("identifier", `consent-form/v1|${linkId}|${purposes.join(",")}|${separate.join(",")}|unticked`);
}

/**
 * The choices of a submission, or the reason it is refused. Choices are never bundled: each purpose
 * and each separate consent is its own field (`purpose.CODE`, `separate.FLAG`) whose only accepted
 * value is "yes" — a field carrying several purposes ("purposes", "agreeAll", a repeated field,
 * a list as value) is BUNDLED; a value other than "yes" (a default such as "on", "true",
 * "checked") or a form this page did not render unticked (no valid "shown" token) is PRE_TICKED.
 */
export function readChoices(form: Record<string, unknown>, link: { id: string; purposes: string[]; separateConsents: string[] }): { ok: true; choices: ConsentChoices } | { ok: false; reason: "bundled" | "preTicked" | "nothingChosen" } {
  const choices: ConsentChoices = { purposes: Object.fromEntries(link.purposes.map((p) => [p, false])), separateConsents: Object.fromEntries(link.separateConsents.map((s) => [s, false])) };
  for (const [key, value] of Object.entries(form)) {
    if (key.startsWith("$ACTION") || FORM_FIELDS.has(key)) continue;
    const purpose = key.startsWith("purpose.") ? key.slice(8) : null;
    const separate = key.startsWith("separate.") ? key.slice(9) : null;
    const known = (purpose !== null && link.purposes.includes(purpose)) || (separate !== null && link.separateConsents.includes(separate));
    if (!known || Array.isArray(value) || (typeof value === "string" && /[,，;|]/.test(value))) return { ok: false, reason: "bundled" };
    if (value !== TICKED) return { ok: false, reason: "preTicked" };
    if (purpose !== null) choices.purposes[purpose] = true;
    else choices.separateConsents[separate!] = true;
  }
  const shown = typeof form.shown === "string" ? form.shown : "";
  if (!shown || !sameHash(shown, shownToken(link.id, link.purposes, link.separateConsents))) return { ok: false, reason: "preTicked" };
  if (!Object.values(choices.purposes).some(Boolean)) return { ok: false, reason: "nothingChosen" };
  return { ok: true, choices };
}

const oneLine = (v: unknown, max: number) => (typeof v === "string" ? v.trim().replace(/\s+/g, " ").slice(0, max) : "");

/** Step 1: the customer's choices and phone number; a code goes to the phone. */
export async function submitConsent(db: DbClient, gateway: SmsGateway, input: { token: string; form: Record<string, unknown> }, visitor: Visitor, now = new Date()): Promise<{ submissionId: string }> {
  const resolved = await resolveLink(db, input.token, now);
  if (resolved.state !== "ok" || !resolved.link || !resolved.notice) throw err("INVALID_STATE", `link.${resolved.state}`);
  const { link, notice } = resolved;
  const read = readChoices(input.form, link);
  if (!read.ok) throw err("VALIDATION", read.reason);
  const name = oneLine(input.form.name, 50);
  if (!name) throw err("VALIDATION", "nameRequired", { field: "name" });
  const phone = parsePhone(input.form.phone);
  if (!phone) throw err("VALIDATION", "phoneInvalid", { field: "phone" });
  const minor = input.form.minor === TICKED;
  const guardianName = oneLine(input.form.guardianName, 50);
  const guardianRelation = oneLine(input.form.guardianRelation, 20);
  const guardianConsent = input.form.guardianConsent === TICKED;
  if (minor && !(guardianName && guardianRelation && guardianConsent)) throw err("VALIDATION", "minorNeedsGuardian", { field: "guardianName" });
  const { challenge, submissionId } = await transaction(db, async (tx) => {
    const challenge = await issueChallenge(tx, { purpose: "CONSENT", phone, ip: visitor.ip, linkId: link.id }, now);
    const submissionId = randomBytes(12).toString("hex");
    await tx.consentSubmission.create({
      data: {
        id: submissionId,
        linkId: link.id,
        noticeId: notice.id,
        noticeHash: noticeContentHash(notice),
        choices: read.choices,
        name,
        phoneCipher: challenge.phone.cipher,
        phoneHash: challenge.phone.hash,
        phoneMask: challenge.phone.mask,
        subjectMinor: minor,
        guardianName: minor ? guardianName : null,
        guardianRelation: minor ? guardianRelation : null,
        guardianConsent: minor && guardianConsent,
        userAgent: visitor.userAgent?.slice(0, 500) ?? null,
        ip: visitor.ip,
        challengeId: challenge.id,
        createdAt: now,
      },
    });
    return { challenge, submissionId };
  });
  await sendChallenge(db, gateway, challenge, phone);
  return { submissionId };
}

export type PendingSubmission = { id: string; phoneMask: string; linkId: string; status: string };

export async function pendingSubmission(db: DbClient | Tx, submissionId: string): Promise<PendingSubmission | null> {
  if (!/^[a-f0-9]{24}$/.test(submissionId)) return null;
  return db.consentSubmission.findUnique({ where: { id: submissionId }, select: { id: true, phoneMask: true, linkId: true, status: true } });
}

/** Step 2: the code confirms the submission; one GRANT per purpose ticked, with its evidence. */
export async function confirmConsent(db: DbClient, input: { submissionId: string; code: string }, visitor: Visitor, now = new Date()): Promise<{ ok: true; subjectId: string; grantIds: string[] } | { ok: false; reason: CodeRefusal | "alreadyConfirmed" }> {
  return transaction(db, async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "consent_submissions" WHERE "id" = ${input.submissionId} FOR UPDATE`;
    const s = await tx.consentSubmission.findUnique({ where: { id: input.submissionId }, include: { link: true } });
    if (!s) return { ok: false as const, reason: "codeUnknown" as const };
    if (s.status === "CONFIRMED") return { ok: false as const, reason: "alreadyConfirmed" as const };
    const code = await consumeChallenge(tx, s.challengeId, input.code, "CONSENT", now);
    if (!code.ok) return code;
    if (s.link.revokedAt) throw err("INVALID_STATE", "link.revoked");
    if (s.link.expiresAt <= now) throw err("INVALID_STATE", "link.expired");
    const notice = await tx.privacyNotice.findUniqueOrThrow({ where: { id: s.noticeId } });
    if (notice.status !== "PUBLISHED") throw err("INVALID_STATE", "link.retired");
    const choices = s.choices as ConsentChoices;
    const actor = customerActor(s.phoneMask, visitor.ip ?? s.ip);
    const phone = revealIdentifier(s.phoneCipher);

    let subject = await tx.dataSubject.findFirst({ where: { phoneHash: s.phoneHash }, select: { id: true, erasedAt: true } });
    if (!subject) {
      const identifiers = await protectedIdentifiers(tx, { phone });
      subject = await tx.dataSubject.create({ data: { kind: "CUSTOMER", name: s.name, createdById: s.link.collectorId, ...identifiers }, select: { id: true, erasedAt: true } });
      await writeAuditEvent(tx, actor, { action: "dataSubject.create", entityType: SUBJECT_ENTITY, entityId: subject.id, before: null, after: { kind: "CUSTOMER", name: s.name, phone: s.phoneMask, via: "consentPage", submissionId: s.id } });
    }

    const categories = notice.categories as NoticeCategory[];
    const separate = Object.entries(choices.separateConsents).filter(([, v]) => v).map(([k]) => k) as SeparateConsent[];
    const categoryCodes = categories.filter((c) => !c.sensitive || separate.includes("SENSITIVE")).map((c) => c.code);
    const inWeChat = /MicroMessenger/i.test(s.userAgent ?? "");
    const grantIds: string[] = [];
    for (const purpose of Object.entries(choices.purposes).filter(([, v]) => v).map(([k]) => k)) {
      const data = {
        subjectId: subject.id,
        noticeId: notice.id,
        purposes: [purpose],
        categories: categoryCodes,
        separateConsents: separate,
        channel: inWeChat ? ("WECHAT" as const) : undefined,
        method: "客户本人在同意页面勾选，短信验证码确认",
        evidenceRef: `consent-submission:${s.id}`,
        occurredAt: now,
        subjectMinor: s.subjectMinor,
        guardianName: s.guardianName ?? undefined,
        guardianRelation: s.guardianRelation ?? undefined,
        guardianConsent: s.guardianConsent,
        collectedById: s.link.collectorId,
      };
      // The register's own checks (the notice's purposes, categories and separate consents, the
      // guardian, the time); the channel is WeChat when the page was opened there, else none.
      const grant = data as unknown as GrantData;
      const checked = await validateGrant(tx, grant, now);
      const row = await tx.consentEvent.create({ data: { ...grantRow(grant, checked, s.link.collectorId), channel: data.channel ?? null, source: SELF_SERVICE_SOURCE } });
      grantIds.push(row.id);
    }
    await tx.consentSubmission.update({ where: { id: s.id }, data: { status: "CONFIRMED", subjectId: subject.id, grantIds, confirmedAt: now } });
    await writeAuditEvent(tx, actor, {
      action: "consent.selfGrant",
      entityType: CONSENT_ENTITY,
      entityId: grantIds[0] ?? s.id,
      before: null,
      after: { subjectId: subject.id, noticeId: notice.id, noticeHash: s.noticeHash, choices, grantIds, linkId: s.linkId, collectorId: s.link.collectorId, submissionId: s.id, minor: s.subjectMinor },
    });
    return { ok: true as const, subjectId: subject.id, grantIds };
  });
}

/** The evidence behind a self-service consent (its GRANT's evidence_ref names the submission). */
export async function consentEvidence(db: DbClient | Tx, consentId: string) {
  const grant = await db.consentEvent.findUnique({ where: { id: consentId }, select: { evidenceRef: true, source: true } });
  const ref = grant?.evidenceRef?.startsWith("consent-submission:") ? grant.evidenceRef.slice(19) : null;
  if (!ref) return null;
  const s = await db.consentSubmission.findUnique({ where: { id: ref }, include: { link: { select: { id: true, collectorId: true, accountId: true, label: true } } } });
  if (!s) return null;
  return {
    submissionId: s.id,
    noticeId: s.noticeId,
    noticeHash: s.noticeHash,
    choices: s.choices as ConsentChoices,
    submittedAt: s.createdAt,
    confirmedAt: s.confirmedAt,
    link: s.link,
    phoneMask: s.phoneMask,
    phoneHash: s.phoneHash,
    userAgent: s.userAgent,
    ip: s.ip,
    minor: s.subjectMinor,
    guardianName: s.guardianName,
    guardianRelation: s.guardianRelation,
  };
}

// ---------------------------------------------------------------------------------------------
// The privacy center

/** Step 1: a code for the number (sent whether or not we hold anything for it: no enumeration). */
export async function startCenter(db: DbClient, gateway: SmsGateway, input: { phone: unknown }, visitor: Visitor, now = new Date()): Promise<{ challengeId: string }> {
  const phone = parsePhone(input.phone);
  if (!phone) throw err("VALIDATION", "phoneInvalid", { field: "phone" });
  const challenge = await transaction(db, (tx) => issueChallenge(tx, { purpose: "CENTER", phone, ip: visitor.ip }, now));
  await sendChallenge(db, gateway, challenge, phone);
  return { challengeId: challenge.id };
}

export async function challengeMask(db: DbClient, challengeId: string): Promise<string | null> {
  if (!/^[a-f0-9]{24}$/.test(challengeId)) return null;
  return (await db.otpChallenge.findUnique({ where: { id: challengeId }, select: { phoneMask: true } }))?.phoneMask ?? null;
}

const sessionHash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** Step 2: the code opens a session (its token goes into the one cookie the center sets). */
export async function verifyCenter(db: DbClient, input: { challengeId: string; code: string }, visitor: Visitor, now = new Date()): Promise<{ ok: true; token: string | null } | { ok: false; reason: CodeRefusal }> {
  return transaction(db, async (tx) => {
    const code = await consumeChallenge(tx, input.challengeId, input.code, "CENTER", now);
    if (!code.ok) return code;
    const subject = await tx.dataSubject.findFirst({ where: { phoneHash: code.phoneHash }, select: { id: true } });
    if (!subject) return { ok: true as const, token: null };
    const token = randomBytes(32).toString("base64url");
    const id = randomBytes(12).toString("hex");
    await tx.privacyCenterSession.create({ data: { id, tokenHash: sessionHash(token), subjectId: subject.id, phoneMask: code.phoneMask, ip: visitor.ip, expiresAt: new Date(now.getTime() + CENTER_SESSION_MS), createdAt: now } });
    await writeAuditEvent(tx, customerActor(code.phoneMask, visitor.ip), { action: "privacyCenter.signIn", entityType: SUBJECT_ENTITY, entityId: subject.id, after: { sessionId: id } });
    return { ok: true as const, token };
  });
}

export type CenterSession = { id: string; subjectId: string; phoneMask: string; expiresAt: Date };

export async function centerSession(db: DbClient | Tx, token: string | undefined | null, now = new Date()): Promise<CenterSession | null> {
  if (!token || token.length > 100) return null;
  const s = await db.privacyCenterSession.findUnique({ where: { tokenHash: sessionHash(token) } });
  if (!s || s.endedAt || s.expiresAt <= now) return null;
  return { id: s.id, subjectId: s.subjectId, phoneMask: s.phoneMask, expiresAt: s.expiresAt };
}

export async function endCenterSession(db: DbClient, token: string, now = new Date()): Promise<void> {
  await db.privacyCenterSession.updateMany({ where: { tokenHash: sessionHash(token), endedAt: null }, data: { endedAt: now } });
}

export type CenterConsent = {
  id: string;
  purpose: string;
  purposeDescription: string;
  noticeTitle: string;
  noticeVersion: number | null;
  grantedAt: Date;
  expiresAt: Date | null;
  withdrawnAt: Date | null;
  state: "VALID" | "WITHDRAWN" | "EXPIRED" | "MINOR_WITHOUT_GUARDIAN" | "NOT_YET_GIVEN";
  source: string;
};

/** Everything the customer may see: consents by purpose (current first, then past) and requests. */
export async function centerOverview(db: DbClient | Tx, session: CenterSession, now = new Date()) {
  const consents = await loadConsents(db as Tx, session.subjectId);
  const grants = await db.consentEvent.findMany({ where: { id: { in: consents.map((c) => c.id) } }, select: { id: true, source: true, notice: { select: { title: true, noticeVersion: true, purposes: true } } } });
  const byId = new Map(grants.map((g) => [g.id, g]));
  const rows: CenterConsent[] = [];
  for (const c of consents) {
    const g = byId.get(c.id);
    const descriptions = (g?.notice?.purposes as { code: string; description: string }[] | undefined) ?? [];
    for (const purpose of c.purposes) {
      rows.push({
        id: c.id,
        purpose,
        purposeDescription: descriptions.find((d) => d.code === purpose)?.description ?? purpose,
        noticeTitle: g?.notice?.title ?? "",
        noticeVersion: g?.notice?.noticeVersion ?? null,
        grantedAt: c.occurredAt,
        expiresAt: effectiveExpiry(c, now),
        withdrawnAt: c.followUps.find((f) => f.kind === "WITHDRAW")?.occurredAt ?? null,
        state: consentState(c, now),
        source: g?.source ?? "FORM",
      });
    }
  }
  rows.sort((a, b) => a.purpose.localeCompare(b.purpose) || Number(b.state === "VALID") - Number(a.state === "VALID") || b.grantedAt.getTime() - a.grantedAt.getTime());
  const requests = await db.privacyRequest.findMany({ where: { subjectId: session.subjectId }, select: { id: true, type: true, status: true, receivedAt: true, dueAt: true, closedAt: true, resolution: true, refusalReason: true }, orderBy: { receivedAt: "desc" } });
  return { consents: rows, requests };
}

/** One step: the consent ends now, for every check from this moment on. */
export async function withdrawSelf(db: DbClient, session: CenterSession, consentId: string, visitor: Visitor, now = new Date()): Promise<{ id: string }> {
  return transaction(db, async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "consent_events" WHERE "id" = ${consentId} AND "kind" = 'GRANT' FOR UPDATE`;
    const grant = await tx.consentEvent.findFirst({ where: { id: consentId, kind: "GRANT", subjectId: session.subjectId }, include: { followUps: { select: { kind: true } } } });
    if (!grant) throw err("NOT_FOUND", "consentNotFound");
    if (grant.followUps.some((f) => f.kind === "WITHDRAW")) throw err("INVALID_STATE", "alreadyWithdrawn");
    const row = await tx.consentEvent.create({
      data: { kind: "WITHDRAW", consentId: grant.id, subjectId: grant.subjectId, channel: grant.channel, note: "客户本人在隐私中心撤回", source: SELF_SERVICE_SOURCE, occurredAt: now, dedupeKey: `${grant.id}:WITHDRAW` },
    });
    await writeAuditEvent(tx, customerActor(session.phoneMask, visitor.ip), { action: "consent.selfWithdraw", entityType: CONSENT_ENTITY, entityId: grant.id, before: { state: "granted" }, after: { state: "withdrawn", eventId: row.id, occurredAt: now, sessionId: session.id } });
    return { id: row.id };
  });
}

/** A data-subject request from the customer: in the privacy officer's queue, due on the business calendar. */
export async function requestSelf(db: DbClient, session: CenterSession, input: { type: unknown; details: unknown }, visitor: Visitor, now = new Date()): Promise<{ id: string; dueAt: Date }> {
  if (typeof input.type !== "string" || !(REQUEST_TYPES as readonly string[]).includes(input.type)) throw err("VALIDATION", "requestType", { field: "type" });
  const details = typeof input.details === "string" ? input.details.trim().slice(0, 2000) : "";
  return transaction(db, async (tx) => {
    const calendar = await loadCalendar(tx);
    const dueAt = requestDueAt(calendar.definition, now);
    const row = await tx.privacyRequest.create({
      data: { subjectId: session.subjectId, type: input.type as RequestType, channel: null, details: details || null, receivedAt: now, dueAt, identityMethod: "隐私中心短信验证码（本人）", createdById: SELF_SERVICE_CREATOR },
    });
    await writeAuditEvent(tx, customerActor(session.phoneMask, visitor.ip), { action: "privacyRequest.selfCreate", entityType: REQUEST_ENTITY, entityId: row.id, before: null, after: { subjectId: session.subjectId, type: row.type, receivedAt: now, dueAt, calendar: calendar.code, sessionId: session.id } });
    return { id: row.id, dueAt };
  });
}

/** Consents by who entered them: the customer (self-service) or staff (form, import), and WeCom. */
export async function consentSourceCounts(db: DbClient | Tx): Promise<{ customer: number; staff: number; wecom: number }> {
  const rows = await db.consentEvent.groupBy({ by: ["source"], where: { kind: "GRANT" }, _count: { _all: true } });
  const n = (s: string) => rows.find((r) => r.source === s)?._count._all ?? 0;
  return { customer: n(SELF_SERVICE_SOURCE), staff: n("FORM") + n("IMPORT"), wecom: n("WECOM") };
}

