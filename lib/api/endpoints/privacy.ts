import { z } from "zod";
import { answerCheck } from "@/lib/privacy/check";
import { recordConsent, renewConsent, withdrawConsent } from "@/lib/privacy/consents";
import { getRequest } from "@/lib/privacy/queries";
import { completeRequest, createRequest, refuseRequest, verifyIdentity } from "@/lib/privacy/requests";
import { CHANNELS, checkQuerySchema, completeSchema, consentSchema, ERASABLE, refuseSchema, REQUEST_STATUSES, REQUEST_TYPES, renewSchema, requestSchema, SEPARATE_CONSENTS, SUBJECT_KINDS, subjectSchema, verifySchema, withdrawSchema } from "@/lib/privacy/schemas";
import { createSubject } from "@/lib/privacy/subjects";
import { consentState, loadConsents } from "@/lib/privacy/validity";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";
import { cursorParam, defineApi, domainParse, idParam, iso, isoDateTime, limitParam, listOf } from "../define";
import { ApiProblem } from "../problem";

// Consents and data-subject requests (docs/api.md), through the privacy domain's commands
// (createSubject, recordConsent, withdrawConsent, renewConsent, createRequest) and its one
// validity answer (answerCheck). Identifiers are stored encrypted and answered masked (lib/pii).

const code = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/);

function requireAnyOf(actor: Actor, ...permissions: Parameters<Actor["permissions"]["has"]>[0][]) {
  if (!permissions.some((p) => actor.permissions.has(p))) throw new ApiProblem("forbidden");
}

export const consentOut = z.object({
  id: z.string(),
  subjectId: z.string(),
  noticeId: z.string().nullable(),
  purposes: z.array(z.string()),
  separateConsents: z.array(z.string()),
  channel: z.string().nullable(),
  grantedAt: isoDateTime,
  expiresAt: isoDateTime.nullable(),
  state: z.enum(["VALID", "WITHDRAWN", "EXPIRED", "MINOR_WITHOUT_GUARDIAN", "NOT_YET_GIVEN"]),
  followUps: z.array(z.object({ id: z.string(), kind: z.string(), occurredAt: isoDateTime, expiresAt: isoDateTime.nullable(), channel: z.string().nullable() })),
});

async function consentsOf(tx: Tx, subjectId: string, now = new Date()) {
  return (await loadConsents(tx, subjectId)).map((c) => ({
    id: c.id,
    subjectId: c.subjectId,
    noticeId: c.noticeId,
    purposes: c.purposes,
    separateConsents: c.separateConsents,
    channel: c.channel,
    grantedAt: iso(c.occurredAt)!,
    expiresAt: iso(c.expiresAt),
    state: consentState(c, now),
    followUps: c.followUps.map((f) => ({ id: f.id, kind: f.kind, occurredAt: iso(f.occurredAt)!, expiresAt: iso(f.expiresAt), channel: f.channel })),
  }));
}

async function oneConsent(tx: Tx, id: string) {
  const row = await tx.consentEvent.findUnique({ where: { id }, select: { subjectId: true } });
  if (!row) throw new ApiProblem("not_found");
  const found = (await consentsOf(tx, row.subjectId)).find((c) => c.id === id);
  if (!found) throw new ApiProblem("not_found");
  return found;
}

export const checkConsentOp = defineApi({
  method: "GET",
  path: "/consents/check",
  operationId: "checkConsent",
  summary: "Whether a subject (by id, phone, WeCom id or e-mail) has a valid consent for a purpose (and separate consent) now.",
  tag: "Consents",
  scope: "consents:read",
  query: z.strictObject({
    subjectId: z.string().max(64).optional(),
    phone: z.string().max(20).optional(),
    wecomId: z.string().max(128).optional(),
    email: z.string().max(254).optional(),
    purpose: code,
    separate: z.enum(SEPARATE_CONSENTS).optional(),
  }),
  response: z.object({
    valid: z.boolean(),
    reason: z.string(),
    subjectId: z.string().nullable(),
    purpose: z.string(),
    separate: z.string().nullable(),
    checkedAt: isoDateTime,
    record: z
      .object({
        consentId: z.string(),
        noticeId: z.string().nullable(),
        grantedAt: isoDateTime,
        expiresAt: isoDateTime.nullable(),
        withdrawnAt: isoDateTime.nullable(),
        withdrawalChannel: z.string().nullable(),
        purposes: z.array(z.string()),
        separateConsents: z.array(z.string()),
        channel: z.string().nullable(),
      })
      .nullable(),
  }),
  async run({ actor, query, tx, t }) {
    requireAnyOf(actor, "consents.record", "privacy.read:all");
    const input = await domainParse(checkQuerySchema, query, t, "", "invalid_query");
    const now = new Date();
    const { subjectId, answer } = await answerCheck(tx, input, now);
    const r = answer.record;
    return {
      body: {
        valid: answer.valid,
        reason: answer.reason,
        subjectId,
        purpose: input.purpose,
        separate: input.separate ?? null,
        checkedAt: now.toISOString(),
        record: r
          ? { consentId: r.consentId, noticeId: r.noticeId, grantedAt: iso(r.grantedAt)!, expiresAt: iso(r.expiresAt), withdrawnAt: iso(r.withdrawnAt), withdrawalChannel: r.withdrawalChannel, purposes: r.purposes, separateConsents: r.separateConsents, channel: r.channel }
          : null,
      },
    };
  },
});

export const subjectOut = z.object({ id: z.string(), kind: z.enum(SUBJECT_KINDS), name: z.string(), phoneMask: z.string().nullable(), wecomIdMask: z.string().nullable(), emailMask: z.string().nullable(), createdAt: isoDateTime });

export const createSubjectOp = defineApi({
  method: "POST",
  path: "/data-subjects",
  operationId: "createDataSubject",
  summary: "Register a data subject (a customer or an employee) before recording their consent; identifiers are stored encrypted.",
  tag: "Consents",
  scope: "consents:write",
  status: 201,
  body: z.strictObject({ kind: z.enum(SUBJECT_KINDS).optional(), name: z.string().min(1).max(100), phone: z.string().max(20).optional(), wecomId: z.string().max(128).optional(), email: z.string().max(254).optional() }),
  response: subjectOut,
  async run({ actor, body, tx, audit, t }) {
    const input = await domainParse(subjectSchema, body, t);
    const { id } = await createSubject({ actor, tx, audit }, input);
    const s = await tx.dataSubject.findUniqueOrThrow({ where: { id }, select: { id: true, kind: true, name: true, phoneMask: true, wecomIdMask: true, emailMask: true, createdAt: true } });
    return { body: { ...s, createdAt: iso(s.createdAt)! }, location: `/api/v1/data-subjects/${id}/consents` };
  },
});

export const listSubjectConsentsOp = defineApi({
  method: "GET",
  path: "/data-subjects/{id}/consents",
  operationId: "listSubjectConsents",
  summary: "A subject's consents, newest first, each with its state now and its follow-ups (withdrawal, renewals).",
  tag: "Consents",
  scope: "consents:read",
  params: idParam,
  response: z.object({ data: z.array(consentOut) }),
  async run({ actor, params, tx }) {
    requireAnyOf(actor, "consents.record", "privacy.read:all");
    const s = await tx.dataSubject.findUnique({ where: { id: params.id }, select: { id: true } });
    if (!s) throw new ApiProblem("not_found");
    return { body: { data: await consentsOf(tx, s.id) } };
  },
});

const dateTimeIn = isoDateTime.optional();

export const grantConsentOp = defineApi({
  method: "POST",
  path: "/consents",
  operationId: "grantConsent",
  summary: "Record a consent against a published notice (recordConsent: the notice's purposes, separate consents, minors' guardians).",
  tag: "Consents",
  scope: "consents:write",
  status: 201,
  body: z.strictObject({
    subjectId: z.string().max(64),
    noticeId: z.string().max(64),
    purposes: z.array(code).min(1).max(50),
    categories: z.array(code).max(50).optional(),
    separateConsents: z.array(z.enum(SEPARATE_CONSENTS)).max(4).optional(),
    channel: z.enum(CHANNELS),
    method: z.string().min(1).max(200),
    evidenceRef: z.string().max(300).optional(),
    occurredAt: dateTimeIn,
    subjectMinor: z.boolean().optional(),
    guardianName: z.string().max(100).optional(),
    guardianRelation: z.string().max(50).optional(),
    guardianConsent: z.boolean().optional(),
  }),
  response: consentOut,
  async run({ actor, body, tx, audit, t }) {
    const input = await domainParse(consentSchema, { ...body, categories: body.categories ?? [], separateConsents: body.separateConsents ?? [] }, t);
    const { id } = await recordConsent({ actor, tx, audit }, input);
    return { body: await oneConsent(tx, id), location: `/api/v1/data-subjects/${input.subjectId}/consents` };
  },
});

export const withdrawConsentOp = defineApi({
  method: "POST",
  path: "/consents/{id}/withdraw",
  operationId: "withdrawConsent",
  summary: "Record the withdrawal of a consent (withdrawConsent).",
  tag: "Consents",
  scope: "consents:write",
  params: idParam,
  body: z.strictObject({ channel: z.enum(CHANNELS), occurredAt: dateTimeIn, note: z.string().max(500).optional() }),
  response: consentOut,
  async run({ actor, params, body, tx, audit, t }) {
    const input = await domainParse(withdrawSchema, { ...body, consentId: params.id }, t);
    await withdrawConsent({ actor, tx, audit }, input);
    return { body: await oneConsent(tx, params.id) };
  },
});

export const renewConsentOp = defineApi({
  method: "POST",
  path: "/consents/{id}/renew",
  operationId: "renewConsent",
  summary: "Renew a consent for another period of its notice (renewConsent).",
  tag: "Consents",
  scope: "consents:write",
  params: idParam,
  body: z.strictObject({ channel: z.enum(CHANNELS), method: z.string().min(1).max(200), evidenceRef: z.string().max(300).optional() }),
  response: consentOut,
  async run({ actor, params, body, tx, audit, t }) {
    const input = await domainParse(renewSchema, { ...body, consentId: params.id }, t);
    await renewConsent({ actor, tx, audit }, input);
    return { body: await oneConsent(tx, params.id) };
  },
});

// ---------------------------------------------------------------------------------------------
// Data-subject requests

export const requestOut = z.object({
  id: z.string(),
  subjectId: z.string(),
  type: z.enum(REQUEST_TYPES),
  status: z.enum(REQUEST_STATUSES),
  channel: z.string().nullable(),
  details: z.string().nullable(),
  receivedAt: isoDateTime,
  dueAt: isoDateTime,
  assigneeId: z.string().nullable(),
  identityVerifiedAt: isoDateTime.nullable(),
  closedAt: isoDateTime.nullable(),
  version: z.number().int(),
  createdAt: isoDateTime,
});

type RequestRow = { id: string; subjectId: string; type: string; status: string; channel: string | null; details: string | null; receivedAt: Date; dueAt: Date; assigneeId: string | null; identityVerifiedAt: Date | null; closedAt: Date | null; version: number; createdAt: Date };
const requestToOut = (r: RequestRow): z.output<typeof requestOut> => ({
  id: r.id,
  subjectId: r.subjectId,
  type: r.type as z.output<typeof requestOut>["type"],
  status: r.status as z.output<typeof requestOut>["status"],
  channel: r.channel,
  details: r.details,
  receivedAt: iso(r.receivedAt)!,
  dueAt: iso(r.dueAt)!,
  assigneeId: r.assigneeId,
  identityVerifiedAt: iso(r.identityVerifiedAt),
  closedAt: iso(r.closedAt),
  version: r.version,
  createdAt: iso(r.createdAt)!,
});

export const createRequestOp = defineApi({
  method: "POST",
  path: "/data-subject-requests",
  operationId: "createDataSubjectRequest",
  summary: "Register a data-subject request (access, copy, correction, deletion, withdrawal, explanation); its due date from the business calendar (createRequest).",
  tag: "Data-subject requests",
  scope: "privacy:write",
  status: 201,
  body: z.strictObject({ subjectId: z.string().max(64), type: z.enum(REQUEST_TYPES), channel: z.enum(CHANNELS).optional(), receivedAt: dateTimeIn, details: z.string().max(2000).optional(), assigneeId: z.string().max(64).optional() }),
  response: requestOut,
  async run({ actor, body, tx, audit, t }) {
    const input = await domainParse(requestSchema, body, t);
    const { id } = await createRequest({ actor, input, tx, audit });
    const r = await tx.privacyRequest.findUniqueOrThrow({ where: { id } });
    return { body: requestToOut(r), version: r.version, location: `/api/v1/data-subject-requests/${id}` };
  },
});

export const getRequestOp = defineApi({
  method: "GET",
  path: "/data-subject-requests/{id}",
  operationId: "getDataSubjectRequest",
  summary: "One data-subject request and its state.",
  tag: "Data-subject requests",
  scope: "privacy:read",
  params: idParam,
  etag: "returns",
  response: requestOut,
  async run({ actor, params, tx }) {
    requireAnyOf(actor, "privacy.manage", "privacy.read:all");
    const r = await getRequest(tx, params.id);
    if (!r) throw new ApiProblem("not_found");
    return { body: requestToOut(r), version: r.version };
  },
});

export const listRequestsOp = defineApi({
  method: "GET",
  path: "/data-subject-requests",
  operationId: "listDataSubjectRequests",
  summary: "Data-subject requests, oldest first.",
  tag: "Data-subject requests",
  scope: "privacy:read",
  paginated: true,
  query: z.strictObject({ limit: limitParam(), cursor: cursorParam, status: z.enum(REQUEST_STATUSES).optional(), type: z.enum(REQUEST_TYPES).optional() }),
  response: listOf(requestOut),
  async run({ actor, query, tx, after, page }) {
    requireAnyOf(actor, "privacy.manage", "privacy.read:all");
    const pos = after();
    const rows = await tx.privacyRequest.findMany({
      where: {
        AND: [
          query.status ? { status: query.status } : {},
          query.type ? { type: query.type } : {},
          pos ? { OR: [{ createdAt: { gt: new Date(String(pos[0])) } }, { createdAt: new Date(String(pos[0])), id: { gt: String(pos[1]) } }] } : {},
        ],
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: query.limit + 1,
    });
    return { body: page(rows.map(requestToOut), query.limit, (r) => [r.createdAt, r.id]) };
  },
});

// Working a request (the privacy office's own commands; If-Match with the request's ETag, as the
// request page sends the version it showed): verify the requester's identity, then complete it
// (a deletion erases the identifiers chosen; a withdrawal withdraws every valid consent), or refuse it.

function requestStep<B extends z.ZodType>(name: "verify" | "complete" | "refuse", summary: string, body: B, apply: (ctx: { actor: Actor; tx: Tx; audit: Parameters<typeof verifyIdentity>[0]["audit"]; t: Parameters<typeof domainParse>[2] }, id: string, version: number, body: z.output<B>) => Promise<unknown>) {
  return defineApi({
    method: "POST",
    path: `/data-subject-requests/{id}/${name}`,
    operationId: `${name}DataSubjectRequest`,
    summary,
    tag: "Data-subject requests",
    scope: "privacy:write",
    params: idParam,
    etag: "requires",
    body,
    response: requestOut,
    async run({ actor, params, body, tx, audit, ifMatch, t }) {
      await apply({ actor, tx, audit, t }, params.id, ifMatch!, body);
      const r = await tx.privacyRequest.findUniqueOrThrow({ where: { id: params.id } });
      return { body: requestToOut(r), version: r.version };
    },
  });
}

export const verifyRequestOp = requestStep(
  "verify",
  "The requester's identity was checked: RECEIVED → VERIFIED (verifyIdentity).",
  z.strictObject({ identityMethod: z.string().min(1).max(300).describe("How the identity was checked (e.g. 手机验证码, ID card seen at the counter).") }),
  async ({ actor, tx, audit, t }, id, version, body) => verifyIdentity({ actor, tx, audit, input: await domainParse(verifySchema, { id, version, identityMethod: body.identityMethod }, t) }),
);

export const completeRequestOp = requestStep(
  "complete",
  "Complete a verified request (completeRequest): a deletion erases the identifiers named in erase; a withdrawal withdraws every consent still valid.",
  z.strictObject({ resolution: z.string().min(1).max(4000), erase: z.array(z.enum(ERASABLE)).max(ERASABLE.length).optional().describe("A deletion request: what to erase (name is anonymised).") }),
  async ({ actor, tx, audit, t }, id, version, body) => completeRequest({ actor, tx, audit, input: await domainParse(completeSchema, { id, version, resolution: body.resolution, erase: body.erase ?? [] }, t) }),
);

export const refuseRequestOp = requestStep(
  "refuse",
  "Refuse a request, with the reason the requester is told (refuseRequest).",
  z.strictObject({ refusalReason: z.string().min(1).max(2000) }),
  async ({ actor, tx, audit, t }, id, version, body) => refuseRequest({ actor, tx, audit, input: await domainParse(refuseSchema, { id, version, refusalReason: body.refusalReason }, t) }),
);
