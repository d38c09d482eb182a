import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { issueTokenSchema, revokeTokenSchema } from "@/lib/api-tokens/schemas";
import { hashToken, issueToken, revokeToken } from "@/lib/api-tokens/tokens";
import { withdrawConsent } from "@/lib/privacy/consents";
import { withdrawSchema } from "@/lib/privacy/schemas";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { parseCsv } from "../helpers/csv";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { expectOk, grant, publishedNotice, run, seedOrganisation, subject, uniquePhone, usePiiKey, type Organisation } from "./helpers";

// GET /api/v1/consents/check with personal access tokens, the consent export and the privacy
// actions through their real wrappers (defineRoute, defineAction). Stood in for: the session,
// the language, Next's cache.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { GET: checkGet } = await import("@/app/api/v1/consents/check/route");
const { GET: exportGet } = await import("@/app/(portal)/privacy/consents/export/route");
const actions = await import("@/lib/privacy/actions");

let db: TestDb;
let org: Organisation;
let admin: Actor;
let officer: Actor;
let alice: Actor;
let auditor: Actor;
let phone: string;
let consentId: string;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  [admin, officer, alice, auditor] = await Promise.all([org.people.admin, org.people.privacy, org.people.alice, org.people.auditor].map((p) => actorFor(db.prisma, p.id)));
  const notice = await publishedNotice(db.prisma, officer);
  phone = uniquePhone();
  const s = await subject(db.prisma, alice, { name: "接口客户", phone });
  consentId = (await grant(db.prisma, alice, s.id, notice.id)).id;
});
afterAll(async () => db?.close());
beforeEach(() => {
  session.actor = null;
});

const call = (query: string, token?: string) => checkGet(new Request(`http://localhost/api/v1/consents/check?${query}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} }));

describe("personal access tokens and GET /api/v1/consents/check", () => {
  it("answers with a valid token, then no after the withdrawal; records the last use", async () => {
    const { id, token } = expectOk(await run(db.prisma, admin, issueTokenSchema, { name: "CRM", ownerId: alice.id }, (ctx) => issueToken(ctx)));
    const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    let res = await call(`phone=${phone}&purpose=SERVICE`, token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ valid: true, reason: "VALID", record: { consentId } });
    expect((await db.prisma.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).not.toBeNull();

    expectOk(await run(db.prisma, alice, withdrawSchema, { consentId, channel: "WECHAT" }, (ctx) => withdrawConsent(ctx, ctx.input)));
    res = await call(`phone=${phone}&purpose=SERVICE`, token);
    expect(await res.json()).toMatchObject({ valid: false, reason: "WITHDRAWN", record: { consentId, withdrawalChannel: "WECHAT" } });
  });

  it("every failed use is a 401 JSON without a stack trace: none, malformed, unknown, revoked, expired, departed owner", async () => {
    const { id, token } = expectOk(await run(db.prisma, admin, issueTokenSchema, { name: "to revoke" }, (ctx) => issueToken(ctx)));
    expectOk(await run(db.prisma, admin, revokeTokenSchema, { id }, (ctx) => revokeToken(ctx)));
    const departed = expectOk(await run(db.prisma, admin, issueTokenSchema, { name: "departed", ownerId: org.people.bob.id }, (ctx) => issueToken(ctx)));
    await db.prisma.employee.update({ where: { id: org.people.bob.id }, data: { status: "DEPARTED" } });
    const expiring = expectOk(await run(db.prisma, admin, issueTokenSchema, { name: "old" }, (ctx) => issueToken(ctx)));
    await db.prisma.apiToken.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    for (const t of [undefined, "garbage", "wgp_unknownunknownunknown", token, departed.token, expiring.token]) {
      const res = await call(`phone=${phone}&purpose=SERVICE`, t);
      expect(res.status, String(t)).toBe(401);
      const body = await res.json();
      expect(body).toMatchObject({ status: 401, code: "unauthenticated", title: expect.any(String) });
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts|Error:/);
    }
    // A session cookie is not a token.
    session.actor = admin;
    expect((await call(`phone=${phone}&purpose=SERVICE`)).status).toBe(401);
  });

  it("a bad query is a 400 naming the field; only ADMIN issues and revokes, audited", async () => {
    const { token } = expectOk(await run(db.prisma, admin, issueTokenSchema, { name: "q" }, (ctx) => issueToken(ctx)));
    const res = await call(`phone=123&purpose=SERVICE`, token);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "invalid_query", errors: [{ pointer: "/phone", detail: expect.stringMatching(/mobile/) }] });
    expect(await run(db.prisma, officer, issueTokenSchema, { name: "x" }, (ctx) => issueToken(ctx))).toMatchObject({ ok: false, code: "FORBIDDEN" });
    const actions = await db.prisma.auditEvent.findMany({ where: { entityType: "ApiToken" }, select: { action: true } });
    expect(new Set(actions.map((a) => a.action))).toEqual(new Set(["apiToken.issue", "apiToken.revoke"]));
  });
});

describe("the consent export and the actions", () => {
  it("exports masked rows as CSV for privacy.read:all, audited; refuses others", async () => {
    session.actor = auditor;
    const res = await exportGet(new Request("http://localhost/privacy/consents/export?subject=接口客户"));
    expect(res.status).toBe(200);
    const rows = parseCsv(await res.text());
    expect(rows[0][0]).toBe("consent_id");
    expect(rows).toHaveLength(2);
    expect(rows[1].join(",")).not.toContain(phone);
    expect(rows[1]).toContain(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    session.actor = alice;
    expect((await exportGet(new Request("http://localhost/privacy/consents/export"))).status).toBe(403);
  });

  it("an identifier of another subject is a field error in the person's language", async () => {
    session.actor = alice;
    const result = await actions.createSubjectAction(null, { name: "冒名", phone });
    expect(result).toMatchObject({ ok: false, code: "CONFLICT" });
    if (!result.ok) expect(result.fieldErrors?.phone?.[0]).toMatch(/already belongs to another data subject, “接口客户”/);
  });

  it("withdrawing twice says when it was withdrawn", async () => {
    session.actor = alice;
    const result = await actions.withdrawConsentAction(null, { consentId, channel: "PHONE" });
    expect(result).toMatchObject({ ok: false, code: "INVALID_STATE" });
    if (!result.ok) expect(result.formError).toMatch(/already withdrawn at \d{4}-\d{2}-\d{2}/);
  });
});
