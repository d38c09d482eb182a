import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { issueTokenSchema } from "@/lib/api-tokens/schemas";
import { issueToken } from "@/lib/api-tokens/tokens";
import { protect } from "@/lib/pii";
import { createConsentLink, createLinkSchema, noticeContentHash, readLinkToken, resolveLink, revokeConsentLink, revokeLinkSchema } from "@/lib/privacy/consent-links";
import { requestDueAt } from "@/lib/privacy/requests";
import {
  centerOverview,
  centerSession,
  confirmConsent,
  consentEvidence,
  consentSourceCounts,
  OTP_LIMITS,
  OTP_MAX_ATTEMPTS,
  OTP_TTL_MS,
  purposeField,
  requestSelf,
  separateField,
  shownToken,
  startCenter,
  submitConsent,
  TICKED,
  verifyCenter,
  withdrawSelf,
} from "@/lib/privacy/self-service";
import { loadCalendar } from "@/lib/calendar/store";
import type { Actor } from "@/lib/server/actor";
import { DomainError } from "@/lib/server/errors";
import { developmentGateway } from "@/lib/sms/development";
import { httpGateway } from "@/lib/sms/http";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { expectOk, publishedNotice, run, seedOrganisation, uniquePhone, usePiiKey, type Organisation } from "./helpers";

// Issue 19 against a real database: a consent link, the customer's submission and its one-time
// code (the development SMS gateway writing to a file, read back here as a phone would), the
// evidence, GET /api/v1/consents/check, the privacy center's withdrawal and request, and the
// refusals — bundled or pre-ticked choices, brute force and replay, expired and revoked links, a
// minor without a guardian. Stood in for (the API route's wrapper only): the session, the language.

vi.mock("@/lib/server/actor", () => ({ getActor: async () => null }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
const { GET: checkGet } = await import("@/app/api/v1/consents/check/route");

let db: TestDb;
let org: Organisation;
let officer: Actor;
let alice: Actor;
let admin: Actor;
let apiToken: string;
let noticeId: string;
let accountId: string;
const outbox = join(mkdtempSync(join(tmpdir(), "wg-sms-")), "outbox.jsonl");
const sms = developmentGateway({ SMS_DEV_OUTBOX: outbox, NODE_ENV: "test" });
let ipCounter = 0;
const visitor = () => ({ ip: `203.0.113.${++ipCounter}`, userAgent: "Mozilla/5.0 (iPhone) MicroMessenger/8.0.50" });

/** The last code the development gateway "sent" to this number. */
function lastCode(phone: string): string {
  const lines = readFileSync(outbox, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { to: string; code: string });
  const mine = lines.filter((l) => l.to === phone);
  if (mine.length === 0) throw new Error(`no message to ${phone}`);
  return mine[mine.length - 1].code;
}
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

async function newLink(overrides: Record<string, unknown> = {}, now?: Date) {
  return expectOk(await run(db.prisma, alice, createLinkSchema, { noticeId, accountId, purposes: ["SERVICE", "MARKETING", "PARTNER"], separateConsents: ["SENSITIVE"], validDays: "30", ...overrides }, (ctx) => createConsentLink(ctx, now)));
}

/** The form the page posts: the choices ticked, the hidden fields the page renders. */
async function pageForm(token: string, ticked: string[], extra: Record<string, unknown> = {}) {
  const link = (await resolveLink(db.prisma, token)).link!;
  const form: Record<string, unknown> = { token, shown: shownToken(link.id, link.purposes, link.separateConsents), name: "自助客户", phone: uniquePhone() };
  for (const c of ticked) form[c.startsWith("separate.") ? c : purposeField(c)] = TICKED;
  return { ...form, ...extra } as Record<string, unknown> & { phone: string };
}

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    if (error instanceof DomainError) return error.messageKey;
    throw error;
  }
  return "no refusal";
};

const check = async (phone: string, purpose: string, separate?: string) => {
  const res = await checkGet(new Request(`http://localhost/api/v1/consents/check?phone=${phone}&purpose=${purpose}${separate ? `&separate=${separate}` : ""}`, { headers: { Authorization: `Bearer ${apiToken}` } }));
  expect(res.status).toBe(200);
  return (await res.json()) as { valid: boolean; reason: string; subjectId: string; record: { consentId: string } | null };
};

/** The whole page path: submit, read the code, confirm. */
async function consentThroughPage(token: string, ticked: string[], extra: Record<string, unknown> = {}) {
  const form = await pageForm(token, ticked, extra);
  const v = visitor();
  const { submissionId } = await submitConsent(db.prisma, sms, { token, form }, v);
  const result = await confirmConsent(db.prisma, { submissionId, code: lastCode(form.phone) }, v);
  return { form, submissionId, result, visitor: v };
}

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  [officer, alice, admin] = await Promise.all([org.people.privacy, org.people.alice, org.people.admin].map((p) => actorFor(db.prisma, p.id)));
  const notice = await publishedNotice(db.prisma, officer, { purposes: "SERVICE: 提供售后服务\nMARKETING: 发送产品资讯\nPARTNER: 提供给物流合作方完成配送" });
  noticeId = notice.id;
  const platform = protect("identifier", `alice-wecom-${Date.now()}`);
  accountId = (
    await db.prisma.account.create({
      data: { type: "WECOM_MEMBER", displayName: "李小雨（企业微信）", platformIdCipher: platform.cipher, platformIdHash: platform.hash, platformIdMask: platform.mask, holderId: alice.id, custodianDepartmentId: org.dept.sh1.id, status: "ACTIVE" },
    })
  ).id;
  apiToken = expectOk(await run(db.prisma, admin, issueTokenSchema, { name: "CRM", ownerId: alice.id }, (ctx) => issueToken(ctx))).token;
});
afterAll(async () => db?.close());

describe("consent links", () => {
  it("only the holder of an active customer-facing account makes one, for a published version's purposes", async () => {
    const bob = await actorFor(db.prisma, org.people.bob.id);
    const other = await run(db.prisma, bob, createLinkSchema, { noticeId, accountId, purposes: ["SERVICE"], validDays: "30" }, (ctx) => createConsentLink(ctx));
    expect(other).toMatchObject({ ok: false, messageKey: "consentPage.errors.notYourAccount" });
    const unknown = await run(db.prisma, alice, createLinkSchema, { noticeId, accountId, purposes: ["NOPE"], validDays: "30" }, (ctx) => createConsentLink(ctx));
    expect(unknown).toMatchObject({ ok: false, messageKey: "consentPage.errors.purposeNotInNotice" });
    const { id, token } = await newLink();
    expect(readLinkToken(token)?.id).toBe(id);
    expect(await db.prisma.auditEvent.count({ where: { action: "consentLink.create", entityId: id } })).toBe(1);
  });

  it("a tampered, expired or revoked link does not open, and says which", async () => {
    const { token, id } = await newLink();
    const [linkId, exp, sig] = token.split(".");
    expect((await resolveLink(db.prisma, `${linkId}.${(parseInt(exp, 36) + 86_400).toString(36)}.${sig}`)).state).toBe("invalid");
    expect((await resolveLink(db.prisma, `${linkId}.${exp}.${sig.slice(0, -2)}xx`)).state).toBe("invalid");
    expect((await resolveLink(db.prisma, "garbage")).state).toBe("invalid");

    const past = await newLink({ validDays: "1" }, new Date(Date.now() - 2 * 86_400_000));
    expect((await resolveLink(db.prisma, past.token)).state).toBe("expired");
    expect(await refusal(submitConsent(db.prisma, sms, { token: past.token, form: await pageFormFor(past.token) }, visitor()))).toBe("consentPage.errors.link.expired");

    const form = await pageForm(token, ["SERVICE"]);
    const v = visitor();
    const pending = await submitConsent(db.prisma, sms, { token, form }, v);
    expectOk(await run(db.prisma, alice, revokeLinkSchema, { id }, (ctx) => revokeConsentLink(ctx)));
    expect((await resolveLink(db.prisma, token)).state).toBe("revoked");
    expect(await refusal(submitConsent(db.prisma, sms, { token, form: await pageFormFor(token) }, visitor()))).toBe("consentPage.errors.link.revoked");
    // A code already sent does not outlive the link.
    expect(await refusal(confirmConsent(db.prisma, { submissionId: pending.submissionId, code: lastCode(form.phone) }, v))).toBe("consentPage.errors.link.revoked");
  });
});

/** A form for a link that may no longer resolve (the hidden field computed from the row). */
async function pageFormFor(token: string) {
  const row = await db.prisma.consentLink.findUniqueOrThrow({ where: { id: readLinkToken(token)!.id } });
  return { token, shown: shownToken(row.id, row.purposes as string[], row.separateConsents as string[]), name: "客户", phone: uniquePhone(), [purposeField("SERVICE")]: TICKED };
}

describe("the consent page", () => {
  it("gives a consent valid through GET /api/v1/consents/check, with its evidence", async () => {
    const { token, id: linkId } = await newLink();
    const { form, result, submissionId, visitor: v } = await consentThroughPage(token, ["SERVICE", "MARKETING", separateField("SENSITIVE")]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.grantIds).toHaveLength(2);

    const service = await check(form.phone, "SERVICE");
    expect(service).toMatchObject({ valid: true, reason: "VALID", subjectId: result.subjectId });
    expect((await check(form.phone, "MARKETING", "SENSITIVE")).valid).toBe(true);
    // The purpose left unticked was not agreed.
    expect(await check(form.phone, "PARTNER")).toMatchObject({ valid: false, reason: "NO_CONSENT" });

    const grant = await db.prisma.consentEvent.findUniqueOrThrow({ where: { id: service.record!.consentId } });
    expect(grant).toMatchObject({ source: "CUSTOMER", channel: "WECHAT", collectedById: alice.id, evidenceRef: `consent-submission:${submissionId}`, noticeId });
    const evidence = await consentEvidence(db.prisma, grant.id);
    const notice = (await resolveLink(db.prisma, token)).notice!;
    expect(evidence).toMatchObject({
      noticeId,
      noticeHash: noticeContentHash(notice),
      choices: { purposes: { SERVICE: true, MARKETING: true, PARTNER: false }, separateConsents: { SENSITIVE: true } },
      link: { id: linkId, collectorId: alice.id, accountId },
      userAgent: v.userAgent,
      ip: v.ip,
      phoneHash: protect("phone", form.phone).hash,
    });
    expect(evidence!.phoneMask).not.toContain(form.phone.slice(3, 7));
    expect(evidence!.confirmedAt).not.toBeNull();
    const stored = await db.prisma.consentSubmission.findUniqueOrThrow({ where: { id: submissionId } });
    expect(JSON.stringify(stored)).not.toContain(form.phone);
    expect(await db.prisma.auditEvent.count({ where: { action: "consent.selfGrant", entityId: grant.id } }) + (await db.prisma.auditEvent.count({ where: { action: "consent.selfGrant", entityId: result.grantIds[0] } }))).toBeGreaterThan(0);

    // The evidence cannot be rewritten afterwards.
    await expect(db.prisma.consentSubmission.update({ where: { id: submissionId }, data: { choices: { purposes: { PARTNER: true } } } })).rejects.toThrow(/evidence/);
    await expect(db.prisma.consentSubmission.delete({ where: { id: submissionId } })).rejects.toThrow(/never deleted/);

    const counts = await consentSourceCounts(db.prisma);
    expect(counts.customer).toBeGreaterThanOrEqual(2);
  });

  it("refuses bundled and pre-ticked choices, and an empty one", async () => {
    const { token } = await newLink();
    const base = await pageForm(token, []);
    const cases: [Record<string, unknown>, string][] = [
      [{ purposes: ["SERVICE", "MARKETING"] }, "bundled"],
      [{ agreeAll: TICKED }, "bundled"],
      [{ [purposeField("SERVICE")]: [TICKED, TICKED] }, "bundled"],
      [{ [purposeField("SERVICE")]: "SERVICE,MARKETING" }, "bundled"],
      [{ [purposeField("UNKNOWN")]: TICKED }, "bundled"],
      [{ [purposeField("SERVICE")]: "on" }, "preTicked"],
      [{ [purposeField("SERVICE")]: "true" }, "preTicked"],
      [{ [purposeField("SERVICE")]: TICKED, shown: "" }, "preTicked"],
      [{ [purposeField("SERVICE")]: TICKED, shown: shownToken("another-link", ["SERVICE"], []) }, "preTicked"],
      [{}, "nothingChosen"],
      [{ [separateField("SENSITIVE")]: TICKED }, "nothingChosen"],
    ];
    for (const [extra, reason] of cases) {
      expect(await refusal(submitConsent(db.prisma, sms, { token, form: { ...base, ...extra } }, visitor())), JSON.stringify(extra)).toBe(`consentPage.errors.${reason}`);
    }
    expect(await db.prisma.consentSubmission.count({ where: { phoneHash: protect("phone", base.phone).hash } })).toBe(0);
  });

  it("refuses a minor without a guardian; with the guardian the consent carries them", async () => {
    const { token } = await newLink();
    for (const missing of [{}, { guardianName: "王父", guardianRelation: "父亲" }, { guardianName: "王父", guardianConsent: TICKED }]) {
      const form = await pageForm(token, ["SERVICE"], { minor: TICKED, ...missing });
      expect(await refusal(submitConsent(db.prisma, sms, { token, form }, visitor()))).toBe("consentPage.errors.minorNeedsGuardian");
    }
    const { form, result } = await consentThroughPage(token, ["SERVICE"], { minor: TICKED, guardianName: "王父", guardianRelation: "父亲", guardianConsent: TICKED });
    expect(result.ok).toBe(true);
    const answer = await check(form.phone, "SERVICE");
    expect(answer.valid).toBe(true);
    expect(await db.prisma.consentEvent.findUniqueOrThrow({ where: { id: answer.record!.consentId } })).toMatchObject({ subjectMinor: true, guardianName: "王父", guardianRelation: "父亲", guardianConsent: true });
  });
});

describe("one-time codes", () => {
  it("refuse brute force: after the allowed wrong attempts even the right code is refused", async () => {
    const { token } = await newLink();
    const form = await pageForm(token, ["SERVICE"]);
    const v = visitor();
    const { submissionId } = await submitConsent(db.prisma, sms, { token, form }, v);
    const code = lastCode(form.phone);
    for (let i = 1; i < OTP_MAX_ATTEMPTS; i++) expect(await confirmConsent(db.prisma, { submissionId, code: wrong(code) }, v)).toEqual({ ok: false, reason: "codeWrong" });
    expect(await confirmConsent(db.prisma, { submissionId, code: wrong(code) }, v)).toEqual({ ok: false, reason: "codeLocked" });
    expect(await confirmConsent(db.prisma, { submissionId, code }, v)).toEqual({ ok: false, reason: "codeLocked" });
    expect((await check(form.phone, "SERVICE")).reason).toBe("NO_SUBJECT");
  });

  it("refuse replay, an expired code, and are stored only as a keyed hash", async () => {
    const { token } = await newLink();
    const { form, submissionId, result, visitor: v } = await consentThroughPage(token, ["SERVICE"]);
    expect(result.ok).toBe(true);
    expect(await confirmConsent(db.prisma, { submissionId, code: lastCode(form.phone) }, v)).toEqual({ ok: false, reason: "alreadyConfirmed" });
    expect(await db.prisma.consentEvent.count({ where: { evidenceRef: `consent-submission:${submissionId}` } })).toBe(1);
    const rows = await db.prisma.otpChallenge.findMany({ where: { phoneHash: protect("phone", form.phone).hash } });
    expect(JSON.stringify(rows)).not.toContain(lastCode(form.phone));

    // The privacy center's code: used once, then a replay; a late one has expired.
    const start = await startCenter(db.prisma, sms, { phone: form.phone }, v);
    const code = lastCode(form.phone);
    const first = await verifyCenter(db.prisma, { challengeId: start.challengeId, code }, v);
    expect(first.ok && first.token).toBeTruthy();
    expect(await verifyCenter(db.prisma, { challengeId: start.challengeId, code }, v)).toEqual({ ok: false, reason: "codeUsed" });
    const later = new Date(Date.now() + 2 * OTP_LIMITS.phoneGapMs);
    const again = await startCenter(db.prisma, sms, { phone: form.phone }, v, later);
    expect(await verifyCenter(db.prisma, { challengeId: again.challengeId, code: lastCode(form.phone) }, v, new Date(later.getTime() + OTP_TTL_MS + 1))).toEqual({ ok: false, reason: "codeExpired" });
  });

  it("are rate-limited per number, per address and per link", async () => {
    const phone = uniquePhone();
    const v = visitor();
    const t0 = new Date();
    await startCenter(db.prisma, sms, { phone }, v, t0);
    expect(await refusal(startCenter(db.prisma, sms, { phone }, v, new Date(t0.getTime() + 1000)))).toBe("consentPage.errors.codeTooSoon");
    for (let i = 1; i < OTP_LIMITS.perPhoneHour; i++) await startCenter(db.prisma, sms, { phone }, visitor(), new Date(t0.getTime() + i * (OTP_LIMITS.phoneGapMs + 1000)));
    expect(await refusal(startCenter(db.prisma, sms, { phone }, visitor(), new Date(t0.getTime() + OTP_LIMITS.perPhoneHour * (OTP_LIMITS.phoneGapMs + 1000))))).toBe("consentPage.errors.tooManyCodesPhone");

    const crowded = visitor();
    for (let i = 0; i < OTP_LIMITS.perAddressHour; i++) await startCenter(db.prisma, sms, { phone: uniquePhone() }, crowded, t0);
    expect(await refusal(startCenter(db.prisma, sms, { phone: uniquePhone() }, crowded, t0))).toBe("consentPage.errors.tooManyCodesAddress");

    const { token, id } = await newLink();
    const linkRow = { id, purposes: ["SERVICE", "MARKETING", "PARTNER"], separateConsents: ["SENSITIVE"] };
    // Fill the link's hour from the database's point of view (as many servers would).
    await db.prisma.otpChallenge.createMany({ data: Array.from({ length: OTP_LIMITS.perLinkHour }, (_, i) => ({ id: `filler${id.slice(0, 10)}${String(i).padStart(8, "0")}`, purpose: "CONSENT", phoneHash: `h${i}`, phoneMask: "m", codeHash: "x", linkId: linkRow.id, expiresAt: new Date(Date.now() + OTP_TTL_MS) })) });
    expect(await refusal(submitConsent(db.prisma, sms, { token, form: await pageForm(token, ["SERVICE"]) }, visitor()))).toBe("consentPage.errors.tooManyCodesLink");
  });
});

describe("the privacy center", () => {
  it("shows the customer's consents, withdraws one so the check says no at once, and files a request due on the business calendar", async () => {
    const { token } = await newLink();
    const { form, result } = await consentThroughPage(token, ["SERVICE", "PARTNER"]);
    expect(result.ok).toBe(true);
    const v = visitor();
    const later = new Date(Date.now() + 2 * OTP_LIMITS.phoneGapMs);
    const { challengeId } = await startCenter(db.prisma, sms, { phone: form.phone }, v, later);
    const opened = await verifyCenter(db.prisma, { challengeId, code: lastCode(form.phone) }, v, later);
    if (!opened.ok || !opened.token) throw new Error("the center did not open");
    const session = (await centerSession(db.prisma, opened.token))!;
    expect(session.subjectId).toBe(result.ok ? result.subjectId : "");

    let overview = await centerOverview(db.prisma, session);
    expect(overview.consents.map((c) => [c.purpose, c.state, c.source])).toEqual([
      ["PARTNER", "VALID", "CUSTOMER"],
      ["SERVICE", "VALID", "CUSTOMER"],
    ]);
    const partner = overview.consents.find((c) => c.purpose === "PARTNER")!;
    expect((await check(form.phone, "PARTNER")).valid).toBe(true);
    await withdrawSelf(db.prisma, session, partner.id, v);
    expect(await check(form.phone, "PARTNER")).toMatchObject({ valid: false, reason: "WITHDRAWN" });
    expect((await check(form.phone, "SERVICE")).valid).toBe(true);
    expect(await refusal(withdrawSelf(db.prisma, session, partner.id, v))).toBe("consentPage.errors.alreadyWithdrawn");
    overview = await centerOverview(db.prisma, session);
    expect(overview.consents.find((c) => c.purpose === "PARTNER")).toMatchObject({ state: "WITHDRAWN" });

    // Another customer's consent is not theirs to withdraw.
    const stranger = await consentThroughPage(token, ["SERVICE"]);
    if (!stranger.result.ok) throw new Error("stranger");
    expect(await refusal(withdrawSelf(db.prisma, session, stranger.result.grantIds[0], v))).toBe("consentPage.errors.consentNotFound");

    const before = new Date();
    const { id, dueAt } = await requestSelf(db.prisma, session, { type: "COPY", details: "请提供我的信息副本" }, v);
    const request = await db.prisma.privacyRequest.findUniqueOrThrow({ where: { id } });
    expect(request).toMatchObject({ subjectId: session.subjectId, type: "COPY", status: "RECEIVED", details: "请提供我的信息副本" });
    const calendar = await loadCalendar(db.prisma);
    expect(dueAt.getTime()).toBe(requestDueAt(calendar.definition, request.receivedAt).getTime());
    expect(request.receivedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect((await centerOverview(db.prisma, session)).requests.map((r) => r.id)).toContain(id);
    expect(await refusal(requestSelf(db.prisma, session, { type: "EVERYTHING", details: "" }, v))).toBe("consentPage.errors.requestType");
    expect(await db.prisma.auditEvent.count({ where: { action: { in: ["consent.selfWithdraw", "privacyRequest.selfCreate"] }, actorLabel: `customer:${session.phoneMask}` } })).toBe(2);
  });

  it("a number without records opens nothing; an ended session is refused", async () => {
    const phone = uniquePhone();
    const v = visitor();
    const { challengeId } = await startCenter(db.prisma, sms, { phone }, v);
    expect(await verifyCenter(db.prisma, { challengeId, code: lastCode(phone) }, v)).toEqual({ ok: true, token: null });
    expect(await centerSession(db.prisma, "not-a-token")).toBeNull();
    expect(await centerSession(db.prisma, undefined)).toBeNull();
  });
});

describe("the HTTP SMS adapter", () => {
  let server: Server;
  let received: { auth?: string; body: unknown }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ auth: req.headers.authorization, body: JSON.parse(body) });
        const fail = req.url === "/fail";
        res.writeHead(fail ? 500 : 200, { "content-type": "application/json" });
        res.end(JSON.stringify(fail ? { error: "quota" } : { messageId: "m-1" }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("posts the number, sign, template and code, and reports the provider's answer", async () => {
    received = [];
    const port = (server.address() as AddressInfo).port;
    const ok = httpGateway({ SMS_HTTP_URL: `http://127.0.0.1:${port}/send`, SMS_HTTP_TOKEN: "secret", SMS_HTTP_SIGN: "WeGovern", SMS_HTTP_TEMPLATE: "SMS_1" });
    expect(await ok.send({ to: "13800000000", code: "123456", text: "…" })).toEqual({ ok: true, messageId: "m-1" });
    expect(received[0]).toEqual({ auth: "Bearer secret", body: { to: "13800000000", sign: "WeGovern", template: "SMS_1", params: { code: "123456" } } });
    const failing = httpGateway({ SMS_HTTP_URL: `http://127.0.0.1:${port}/fail` });
    expect(await failing.send({ to: "13800000000", code: "123456", text: "…" })).toEqual({ ok: false, error: "status-500" });
    expect(await httpGateway({}).send({ to: "13800000000", code: "1", text: "" })).toEqual({ ok: false, error: "not-configured" });
  });
});
