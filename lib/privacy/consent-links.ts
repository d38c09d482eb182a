import { createHash, randomBytes } from "node:crypto";
import QRCode from "qrcode";
import { z } from "zod";
import { hashCandidates, hashValue, sameHash } from "@/lib/pii";
import type { ActionContext } from "@/lib/server/action";
import { DomainError, notFound } from "@/lib/server/errors";
import type { Tx } from "@/lib/server/prisma-client";
import { id, optionalText } from "@/lib/validation";
import { requireAny } from "./access";
import { LINK_DEFAULT_DAYS, LINK_MAX_DAYS } from "./consent-links-limits";
import type { NoticeCategory } from "./notices";
import { SEPARATE_CONSENTS, type SeparateConsent } from "./schemas";

// Consent links (issue 19): a collector — an employee holding an active customer-facing account —
// asks for the purposes (and separate consents) of one published notice version; the customer
// opens /c/<token> on their phone. The token is `<id>.<expiry, base 36 seconds>.<signature>`, the
// signature lib/pii's keyed hash (HMAC-SHA256) of both, so an altered or made-up link is refused
// without reading the database; a link also ends when revoked or when its notice version retires.

export const LINK_ENTITY = "ConsentLink";
const DAY = 86_400_000;

const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, options?: ConstructorParameters<typeof DomainError>[2]) => new DomainError(code, `consentPage.errors.${key}`, options);

const codes = z.preprocess((v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().trim().max(40)).max(50));

export const createLinkSchema = z.object({
  noticeId: id,
  accountId: id,
  purposes: codes.refine((v) => v.length > 0, { error: "consentPage.v.purposeRequired" }),
  separateConsents: codes.pipe(z.array(z.enum(SEPARATE_CONSENTS, { error: "errors.v.invalidChoice" }))),
  label: optionalText(100),
  validDays: z.coerce.number({ error: "errors.v.integer" }).int({ error: "errors.v.integer" }).min(1, { error: "consentPage.v.validDays" }).max(LINK_MAX_DAYS, { error: "consentPage.v.validDays" }).default(LINK_DEFAULT_DAYS),
});
export type CreateLinkInput = z.output<typeof createLinkSchema>;
export const revokeLinkSchema = z.object({ id });

const signature = (linkId: string, exp: string) => `consent-link/v1|${linkId}|${exp}`;

/** The token of a link's URL. */
export function linkToken(link: { id: string; expiresAt: Date }): string {
  const exp = Math.floor(link.expiresAt.getTime() / 1000).toString(36);
  return `${link.id}.${exp}.${hashValue("identifier", signature(link.id, exp))}`;
}

/** The link id and expiry a token names, or null when it is malformed or its signature is wrong. */
export function readLinkToken(token: string): { id: string; expiresAt: Date } | null {
  const m = /^([A-Za-z0-9_-]{8,40})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{20,100})$/.exec(token);
  if (!m) return null;
  const [, linkId, exp, sig] = m;
  if (!hashCandidates("identifier", signature(linkId, exp)).some((h) => sameHash(h, sig))) return null;
  return { id: linkId, expiresAt: new Date(parseInt(exp, 36) * 1000) };
}

export type PublicNotice = {
  id: string;
  noticeKey: string;
  noticeVersion: number;
  title: string;
  processorName: string | null;
  processorContact: string | null;
  purposes: { code: string; description: string }[];
  methods: string | null;
  categories: NoticeCategory[];
  retentionDays: number | null;
  rightsText: string | null;
  separateConsents: SeparateConsent[];
  publishedAt: Date | null;
  status: string;
};

/** SHA-256 of the notice version's content as the customer reads it (kept with each consent). */
export function noticeContentHash(n: PublicNotice): string {
  const content = {
    noticeKey: n.noticeKey,
    noticeVersion: n.noticeVersion,
    title: n.title,
    processorName: n.processorName,
    processorContact: n.processorContact,
    purposes: n.purposes,
    methods: n.methods,
    categories: n.categories,
    retentionDays: n.retentionDays,
    rightsText: n.rightsText,
    separateConsents: n.separateConsents,
    publishedAt: n.publishedAt?.toISOString() ?? null,
  };
  return `sha256:${createHash("sha256").update(JSON.stringify(content), "utf8").digest("hex")}`;
}

export type LinkState = "ok" | "invalid" | "expired" | "revoked" | "retired";
export type ResolvedLink = {
  state: LinkState;
  link: { id: string; purposes: string[]; separateConsents: SeparateConsent[]; collectorId: string; accountId: string; expiresAt: Date } | null;
  notice: PublicNotice | null;
};

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** What a token opens: the link and its notice version, or why it does not. */
export async function resolveLink(tx: Tx, token: string, now = new Date()): Promise<ResolvedLink> {
  const read = readLinkToken(token);
  if (!read) return { state: "invalid", link: null, notice: null };
  const row = await tx.consentLink.findUnique({ where: { id: read.id } });
  if (!row || row.expiresAt.getTime() !== read.expiresAt.getTime()) return { state: "invalid", link: null, notice: null };
  const link = { id: row.id, purposes: strings(row.purposes), separateConsents: strings(row.separateConsents) as SeparateConsent[], collectorId: row.collectorId, accountId: row.accountId, expiresAt: row.expiresAt };
  if (row.revokedAt) return { state: "revoked", link, notice: null };
  if (row.expiresAt <= now) return { state: "expired", link, notice: null };
  const n = await tx.privacyNotice.findUnique({ where: { id: row.noticeId } });
  if (!n || n.status !== "PUBLISHED") return { state: "retired", link, notice: null };
  const notice: PublicNotice = {
    id: n.id,
    noticeKey: n.noticeKey,
    noticeVersion: n.noticeVersion,
    title: n.title,
    processorName: n.processorName,
    processorContact: n.processorContact,
    purposes: n.purposes as { code: string; description: string }[],
    methods: n.methods,
    categories: n.categories as NoticeCategory[],
    retentionDays: n.retentionDays,
    rightsText: n.rightsText,
    separateConsents: strings(n.separateConsents) as SeparateConsent[],
    publishedAt: n.publishedAt,
    status: n.status,
  };
  return { state: "ok", link, notice };
}

/** The accounts a person may collect consents for: active, customer-facing, held by them. */
export async function collectorAccounts(tx: Tx, employeeId: string) {
  return tx.account.findMany({
    where: { holderId: employeeId, status: "ACTIVE", type: { in: ["WECOM_MEMBER", "WECHAT_PERSONAL"] } },
    select: { id: true, type: true, displayName: true, platformIdMask: true },
    orderBy: { displayName: "asc" },
  });
}

export async function createConsentLink({ actor, input, tx, audit }: ActionContext<CreateLinkInput>, now = new Date()): Promise<{ id: string; token: string }> {
  requireAny(actor, "consents.record");
  const accounts = await collectorAccounts(tx, actor.id);
  if (!accounts.some((a) => a.id === input.accountId)) throw err("FORBIDDEN", "notYourAccount", { field: "accountId" });
  const notice = await tx.privacyNotice.findUnique({ where: { id: input.noticeId } });
  if (!notice || notice.status !== "PUBLISHED") throw err("VALIDATION", "noticeNotPublished", { field: "noticeId" });
  const purposes = [...new Set(input.purposes)];
  const known = strings(notice.purposeCodes);
  const unknown = purposes.find((p) => !known.includes(p));
  if (unknown) throw err("VALIDATION", "purposeNotInNotice", { field: "purposes", params: { code: unknown } });
  const separate = [...new Set(input.separateConsents)];
  const asked = strings(notice.separateConsents);
  const notAsked = separate.find((s) => !asked.includes(s));
  if (notAsked) throw err("VALIDATION", "separateNotInNotice", { field: "separateConsents", params: { flag: notAsked } });
  const expiresAt = new Date(Math.floor((now.getTime() + input.validDays * DAY) / 1000) * 1000);
  const row = await tx.consentLink.create({
    data: { id: randomBytes(12).toString("hex"), noticeId: notice.id, purposes, separateConsents: separate, collectorId: actor.id, accountId: input.accountId, label: input.label ?? null, expiresAt },
  });
  await audit({ action: "consentLink.create", entityType: LINK_ENTITY, entityId: row.id, before: null, after: { noticeId: notice.id, purposes, separateConsents: separate, accountId: row.accountId, expiresAt } });
  return { id: row.id, token: linkToken(row) };
}

/** The collector ends their own link; the privacy officer any link. */
export async function revokeConsentLink({ actor, input, tx, audit }: ActionContext<{ id: string }>, now = new Date()): Promise<{ id: string }> {
  requireAny(actor, "consents.record", "privacy.manage");
  const row = await tx.consentLink.findUnique({ where: { id: input.id } });
  if (!row || (row.collectorId !== actor.id && !actor.permissions.has("privacy.manage"))) throw notFound();
  if (row.revokedAt) throw err("INVALID_STATE", "alreadyRevoked");
  await tx.consentLink.update({ where: { id: row.id }, data: { revokedAt: now, revokedById: actor.id } });
  await audit({ action: "consentLink.revoke", entityType: LINK_ENTITY, entityId: row.id, before: { revokedAt: null }, after: { revokedAt: now } });
  return { id: row.id };
}

/** The link's QR code as an SVG document (drawn on the server; no script, no external request). */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}
