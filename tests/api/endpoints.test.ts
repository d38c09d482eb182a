import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEventsOp } from "@/lib/api/endpoints/audit";
import { listDepartmentsOp } from "@/lib/api/endpoints/employees";
import { checkConsentOp, completeRequestOp, createRequestOp, createSubjectOp, getRequestOp, grantConsentOp, listRequestsOp, listSubjectConsentsOp, refuseRequestOp, renewConsentOp, verifyRequestOp, withdrawConsentOp } from "@/lib/api/endpoints/privacy";
import { getDashboardOp, getOffboardingOp, listAccountsOp, listAssignmentsOp, listGroupsOp, listOffboardingOp } from "@/lib/api/endpoints/registers";
import { assignCaseOp, closeCaseOp, createCaseOp, customerReplyOp, getCaseOp, listCasesOp, pauseCaseOp, resolveCaseOp } from "@/lib/api/endpoints/service";
import { makeAccountWithContacts, makeWorkGroup } from "@/lib/offboarding/fixtures";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { publishedNotice, uniquePhone, usePiiKey } from "../privacy/helpers";
import { call, seedApiOrganisation, tokenFor, type ApiOrganisation } from "./helpers";

// The other /api/v1 endpoints through their real handlers: service cases (ETag conflicts,
// transitions), consents and data-subject requests, the registers, the dashboard, the audit
// stream (pagination stable under concurrent inserts), and the per-token rate limit.

let db: TestDb;
let org: ApiOrganisation;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedApiOrganisation(db.prisma);
});
afterAll(async () => db?.close());

describe("service cases", () => {
  it("creates, reads with an ETag, pauses, takes the customer's reply and resolves; a stale If-Match is 412", async () => {
    const token = await tokenFor(db.prisma, org.admin, org.people.eastManager.id, ["service:read", "service:write"]);
    const created = await call(createCaseOp, { token, body: { title: "订单未发货", customerName: "李女士", channel: "WECOM_CONTACT", caseType: "INQUIRY", priority: "NORMAL" }, headers: { "Idempotency-Key": "case-1" } });
    expect(created.status).toBe(201);
    expect(created.json.sla).toEqual({ breached: false });
    expect(created.json.firstResponseDueAt).toMatch(/T.*Z$/);
    const id = created.json.id as string;
    const got = await call(getCaseOp, { token, params: { id } });
    const etag = got.headers.get("etag")!;
    // The pages' own rule: pausing needs a first response first.
    const early = await call(pauseCaseOp, { token, params: { id }, body: {}, headers: { "If-Match": etag } });
    expect(early.status).toBe(409);
    expect(early.json.code).toBe("invalid_state");
    const resolved = await call(resolveCaseOp, { token, params: { id }, body: { resolution: "已补发" }, headers: { "If-Match": etag } });
    expect(resolved.status).toBe(200);
    expect(resolved.json.status).toBe("RESOLVED");
    const stale = await call(resolveCaseOp, { token, params: { id }, body: { resolution: "再来" }, headers: { "If-Match": etag } });
    expect(stale.status).toBe(412);
    expect(await db.prisma.auditEvent.count({ where: { entityId: id, action: "service.resolve" } })).toBe(1);
    const listed = await call(listCasesOp, { token, query: { status: "RESOLVED" } });
    expect(listed.json.data.map((c: { id: string }) => c.id)).toContain(id);
  });

  it("a customer reply resumes a paused case", async () => {
    const token = await tokenFor(db.prisma, org.admin, org.people.eastManager.id, ["service:read", "service:write"]);
    const { json } = await call(createCaseOp, { token, body: { title: "咨询", customerName: "王先生", channel: "PHONE", caseType: "INQUIRY", priority: "LOW" } });
    await db.prisma.serviceCase.update({ where: { id: json.id }, data: { firstResponseAt: new Date(), version: { increment: 1 } } });
    const v = (await db.prisma.serviceCase.findUniqueOrThrow({ where: { id: json.id } })).version;
    const paused = await call(pauseCaseOp, { token, params: { id: json.id }, body: { note: "等客户" }, headers: { "If-Match": `W/"${v}"` } });
    expect(paused.json.status).toBe("WAITING_CUSTOMER");
    const replied = await call(customerReplyOp, { token, params: { id: json.id }, body: {}, headers: { "If-Match": paused.headers.get("etag")! } });
    expect(replied.status).toBe(200);
    expect(replied.json.status).toBe("OPEN");
  });
  it("assigns (an agent takes the case) and closes a resolved complaint only with the loop closed", async () => {
    const token = await tokenFor(db.prisma, org.admin, org.people.eastManager.id, ["service:read", "service:write"]);
    const { json } = await call(createCaseOp, { token, body: { title: "投诉：延迟发货", customerName: "赵女士", channel: "PHONE", caseType: "COMPLAINT", priority: "HIGH" } });
    const etag = (v: number) => ({ "If-Match": `W/"${v}"` });
    // Scope, If-Match and the body are checked before anything is done.
    const readOnly = await tokenFor(db.prisma, org.admin, org.people.eastManager.id, ["service:read"]);
    expect((await call(assignCaseOp, { token: readOnly, params: { id: json.id }, body: { assigneeId: org.people.eastManager.id }, headers: etag(json.version) })).json.code).toBe("insufficient_scope");
    expect((await call(assignCaseOp, { token, params: { id: json.id }, body: { assigneeId: org.people.eastManager.id } })).status).toBe(428);
    expect((await call(assignCaseOp, { token, params: { id: json.id }, body: { assigneeId: "" }, headers: etag(json.version) })).status).toBe(422);
    const taken = await call(assignCaseOp, { token, params: { id: json.id }, body: { assigneeId: org.people.eastManager.id }, headers: etag(json.version) });
    expect(taken.status).toBe(200);
    expect(taken.json.assigneeId).toBe(org.people.eastManager.id);
    expect(await db.prisma.auditEvent.count({ where: { entityId: json.id, action: "service.take" } })).toBe(1);
    // Closing needs a resolved case.
    const early = await call(closeCaseOp, { token, params: { id: json.id }, body: { closure: "CONFIRMED" }, headers: { "If-Match": taken.headers.get("etag")! } });
    expect(early.status).toBe(409);
    expect(early.json.code).toBe("invalid_state");
    const resolved = await call(resolveCaseOp, { token, params: { id: json.id }, body: { resolution: "已补发" }, headers: { "If-Match": taken.headers.get("etag")! } });
    // A complaint: no closure → 422 on the closure field; NO_ANSWER without the follow-up note → 422.
    const bare = await call(closeCaseOp, { token, params: { id: json.id }, body: {}, headers: { "If-Match": resolved.headers.get("etag")! } });
    expect(bare.status).toBe(422);
    expect(bare.json.errors).toEqual([expect.objectContaining({ pointer: "/closure" })]);
    expect((await call(closeCaseOp, { token, params: { id: json.id }, body: { closure: "NO_ANSWER" }, headers: { "If-Match": resolved.headers.get("etag")! } })).status).toBe(422);
    expect((await call(closeCaseOp, { token, params: { id: json.id }, body: { closure: "MAYBE" }, headers: { "If-Match": resolved.headers.get("etag")! } })).status).toBe(422);
    const closed = await call(closeCaseOp, { token, params: { id: json.id }, body: { closure: "CONFIRMED", note: "客户电话确认" }, headers: { "If-Match": resolved.headers.get("etag")!, "Idempotency-Key": "close-1" } });
    expect(closed.status).toBe(200);
    expect(closed.json.status).toBe("CLOSED");
    const replay = await call(closeCaseOp, { token, params: { id: json.id }, body: { closure: "CONFIRMED", note: "客户电话确认" }, headers: { "If-Match": resolved.headers.get("etag")!, "Idempotency-Key": "close-1" } });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await db.prisma.auditEvent.count({ where: { entityId: json.id, action: "service.confirm" } })).toBe(1);
  });
});

describe("consents and data-subject requests", () => {
  it("creates a subject, grants, checks, withdraws and renews through the privacy commands", async () => {
    const officer = await actorFor(db.prisma, org.people.privacy.id);
    const notice = await publishedNotice(db.prisma, officer);
    const token = await tokenFor(db.prisma, org.admin, org.people.alice.id, ["consents:read", "consents:write"]);
    const phone = uniquePhone();
    const subject = await call(createSubjectOp, { token, body: { name: "接口客户", phone } });
    expect(subject.status).toBe(201);
    expect(subject.json.phoneMask).not.toContain(phone);
    const granted = await call(grantConsentOp, { token, body: { subjectId: subject.json.id, noticeId: notice.id, purposes: ["SERVICE"], channel: "MINI_PROGRAM", method: "勾选" } });
    expect(granted.status).toBe(201);
    expect(granted.json.state).toBe("VALID");
    expect((await call(checkConsentOp, { token, query: { phone, purpose: "SERVICE" } })).json).toMatchObject({ valid: true, record: { consentId: granted.json.id } });
    const renewed = await call(renewConsentOp, { token, params: { id: granted.json.id }, body: { channel: "MINI_PROGRAM", method: "再次确认" } });
    expect(renewed.status).toBe(200);
    expect(renewed.json.followUps.map((f: { kind: string }) => f.kind)).toContain("RENEW");
    const withdrawn = await call(withdrawConsentOp, { token, params: { id: granted.json.id }, body: { channel: "WECHAT" } });
    expect(withdrawn.json.state).toBe("WITHDRAWN");
    expect((await call(checkConsentOp, { token, query: { phone, purpose: "SERVICE" } })).json).toMatchObject({ valid: false, reason: "WITHDRAWN" });
    const list = await call(listSubjectConsentsOp, { token, params: { id: subject.json.id } });
    expect(list.json.data).toHaveLength(1);
    // A token without consents:write, or for a subject that does not exist.
    const readOnly = await tokenFor(db.prisma, org.admin, org.people.alice.id, ["consents:read"]);
    expect((await call(grantConsentOp, { token: readOnly, body: { subjectId: subject.json.id, noticeId: notice.id, purposes: ["SERVICE"], channel: "WECHAT", method: "x" } })).status).toBe(403);
    expect((await call(listSubjectConsentsOp, { token, params: { id: "a".repeat(25) } })).status).toBe(404);
  });

  it("registers a data-subject request for the privacy officer; others are refused", async () => {
    const token = await tokenFor(db.prisma, org.admin, org.people.privacy.id, ["privacy:read", "privacy:write", "consents:write"]);
    const subject = await call(createSubjectOp, { token, body: { name: "请求人", email: "dsr@example.test" } });
    const created = await call(createRequestOp, { token, body: { subjectId: subject.json.id, type: "ACCESS", channel: "WECHAT" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: "RECEIVED", type: "ACCESS" });
    expect((await call(getRequestOp, { token, params: { id: created.json.id } })).json.id).toBe(created.json.id);
    expect((await call(listRequestsOp, { token, query: { type: "ACCESS" } })).json.data.map((r: { id: string }) => r.id)).toContain(created.json.id);
    const alice = await tokenFor(db.prisma, org.admin, org.people.alice.id, ["privacy:read", "privacy:write"]);
    expect((await call(createRequestOp, { token: alice, body: { subjectId: subject.json.id, type: "ACCESS" } })).json.code).toBe("forbidden");
    expect((await call(getRequestOp, { token: alice, params: { id: created.json.id } })).status).toBe(403);
  });
  it("works a request through its steps: verify, then complete (a deletion erases what is named) or refuse; If-Match and the scope apply", async () => {
    const token = await tokenFor(db.prisma, org.admin, org.people.privacy.id, ["privacy:read", "privacy:write", "consents:write"]);
    const subject = await call(createSubjectOp, { token, body: { name: "删除请求人", phone: uniquePhone(), email: "erase@example.test" } });
    const access = await call(createRequestOp, { token, body: { subjectId: subject.json.id, type: "ACCESS", channel: "WECHAT" } });
    const readOnly = await tokenFor(db.prisma, org.admin, org.people.privacy.id, ["privacy:read"]);
    expect((await call(verifyRequestOp, { token: readOnly, params: { id: access.json.id }, body: { identityMethod: "手机验证码" }, headers: { "If-Match": access.headers.get("etag")! } })).json.code).toBe("insufficient_scope");
    const alice = await tokenFor(db.prisma, org.admin, org.people.alice.id, ["privacy:write"]);
    expect((await call(verifyRequestOp, { token: alice, params: { id: access.json.id }, body: { identityMethod: "手机验证码" }, headers: { "If-Match": access.headers.get("etag")! } })).json.code).toBe("forbidden");
    // Completing before verifying is refused by the command; an empty method by the schema.
    expect((await call(completeRequestOp, { token, params: { id: access.json.id }, body: { resolution: "已提供副本" }, headers: { "If-Match": access.headers.get("etag")! } })).json.code).toBe("invalid_state");
    expect((await call(verifyRequestOp, { token, params: { id: access.json.id }, body: { identityMethod: "" }, headers: { "If-Match": access.headers.get("etag")! } })).status).toBe(422);
    const verified = await call(verifyRequestOp, { token, params: { id: access.json.id }, body: { identityMethod: "手机验证码" }, headers: { "If-Match": access.headers.get("etag")! } });
    expect(verified.status).toBe(200);
    expect(verified.json.status).toBe("VERIFIED");
    expect((await call(completeRequestOp, { token, params: { id: access.json.id }, body: { resolution: "已提供副本" }, headers: { "If-Match": access.headers.get("etag")! } })).status).toBe(412);
    const done = await call(completeRequestOp, { token, params: { id: access.json.id }, body: { resolution: "已提供副本" }, headers: { "If-Match": verified.headers.get("etag")! } });
    expect(done.json).toMatchObject({ status: "COMPLETED" });
    expect(await db.prisma.auditEvent.count({ where: { entityId: access.json.id, action: { in: ["privacyRequest.verify", "privacyRequest.complete"] } } })).toBe(2);

    const deletion = await call(createRequestOp, { token, body: { subjectId: subject.json.id, type: "DELETION", channel: "WECHAT" } });
    const v2 = await call(verifyRequestOp, { token, params: { id: deletion.json.id }, body: { identityMethod: "柜台核验身份证" }, headers: { "If-Match": deletion.headers.get("etag")! } });
    const nothing = await call(completeRequestOp, { token, params: { id: deletion.json.id }, body: { resolution: "删除" }, headers: { "If-Match": v2.headers.get("etag")! } });
    expect(nothing.status).toBe(422);
    expect(nothing.json.errors).toEqual([expect.objectContaining({ pointer: "/erase" })]);
    expect((await call(completeRequestOp, { token, params: { id: deletion.json.id }, body: { resolution: "删除", erase: ["passport"] }, headers: { "If-Match": v2.headers.get("etag")! } })).status).toBe(422);
    const erased = await call(completeRequestOp, { token, params: { id: deletion.json.id }, body: { resolution: "已删除手机号", erase: ["phone"] }, headers: { "If-Match": v2.headers.get("etag")! } });
    expect(erased.status).toBe(200);
    const after = await db.prisma.dataSubject.findUniqueOrThrow({ where: { id: subject.json.id } });
    expect(after.phoneCipher).toBeNull();
    expect(after.emailCipher).not.toBeNull();

    const refused = await call(createRequestOp, { token, body: { subjectId: subject.json.id, type: "EXPLANATION" } });
    const r = await call(refuseRequestOp, { token, params: { id: refused.json.id }, body: { refusalReason: "无法核验请求人身份" }, headers: { "If-Match": refused.headers.get("etag")! } });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe("REFUSED");
  });
});

describe("registers and the dashboard", () => {
  it("work groups and accounts follow the registry's scope and filters; a department token sees its subtree", async () => {
    await db.prisma.$transaction(async (tx) => {
      await makeWorkGroup(tx, { ownerId: org.people.alice.id, departmentId: org.dept.sh1.id, name: "上海客户群" });
      await makeWorkGroup(tx, { ownerId: org.people.carol.id, departmentId: org.dept.south.id, name: "华南客户群" });
      await makeAccountWithContacts(tx, { holderId: org.people.alice.id, departmentId: org.dept.sh1.id, contacts: 2 });
    });
    const all = await tokenFor(db.prisma, org.admin, org.people.admin.id, ["groups:read", "accounts:read", "employees:read"]);
    const east = await tokenFor(db.prisma, org.admin, org.people.admin.id, ["groups:read", "accounts:read", "employees:read"], { departmentId: org.dept.east.id });
    const names = async (token: string, query: Record<string, string> = {}) => (await call(listGroupsOp, { token, query })).json.data.map((g: { name: string }) => g.name).sort();
    expect(await names(all)).toEqual(["上海客户群", "华南客户群"]);
    expect(await names(east)).toEqual(["上海客户群"]);
    expect(await names(all, { department: org.dept.south.id })).toEqual(["华南客户群"]);
    const accounts = await call(listAccountsOp, { token: east });
    expect(accounts.json.data).toHaveLength(1);
    expect(accounts.json.data[0].platformIdMask).toContain("*");
    expect((await call(listDepartmentsOp, { token: east })).json.data.map((d: { id: string }) => d.id).sort()).toEqual([org.dept.east.id, org.dept.sh1.id].sort());
    // The manager's own scope (groups.read:department) without any department on the token.
    const manager = await tokenFor(db.prisma, org.admin, org.people.southManager.id, ["groups:read"]);
    expect(await names(manager)).toEqual(["华南客户群"]);
  });

  it("offboarding cases for their readers only; training assignments by state; the dashboard per scope", async () => {
    const hr = await tokenFor(db.prisma, org.admin, org.hr.id, ["offboarding:read", "training:read"]);
    const list = await call(listOffboardingOp, { token: hr, query: { status: "OPEN" } });
    expect(list.status).toBe(200);
    for (const c of list.json.data) {
      const one = await call(getOffboardingOp, { token: hr, params: { id: c.id } });
      expect(one.status).toBe(200);
      expect(one.headers.get("etag")).toBe(`W/"${c.version}"`);
    }
    expect((await call(listAssignmentsOp, { token: hr, query: { state: "overdue", department: org.dept.sales.id } })).status).toBe(200);
    const alice = await tokenFor(db.prisma, org.admin, org.people.alice.id, ["offboarding:read", "training:read", "dashboard:read"]);
    expect((await call(listOffboardingOp, { token: alice })).status).toBe(403);
    expect((await call(listAssignmentsOp, { token: alice })).status).toBe(403);
    expect((await call(getDashboardOp, { token: alice })).status).toBe(403);
    const manager = await tokenFor(db.prisma, org.admin, org.people.eastManager.id, ["dashboard:read"]);
    const dash = await call(getDashboardOp, { token: manager });
    expect(dash.status).toBe(200);
    expect(dash.json.scope.departmentId).toBe(org.dept.east.id);
    expect(dash.json.figures.length).toBeGreaterThan(0);
    expect((await call(getDashboardOp, { token: manager, query: { department: org.dept.south.id } })).status).toBe(403);
  });
});

describe("the audit stream", () => {
  it("pages by cursor without repeating or skipping while events are written", async () => {
    const token = await tokenFor(db.prisma, org.admin, org.people.auditor.id, ["audit:read"], { rateLimit: 100_000 });
    const seen: string[] = [];
    let cursor: string | undefined;
    let writes = 0;
    const writer = await tokenFor(db.prisma, org.admin, org.people.privacy.id, ["consents:write"]);
    for (;;) {
      const page = await call(listAuditEventsOp, { token, query: { limit: "7", ...(cursor ? { cursor } : {}) } });
      expect(page.status).toBe(200);
      seen.push(...page.json.data.map((e: { id: string }) => e.id));
      // Concurrent inserts: other writers add events between the pages (and each page adds its own api.read).
      if (writes < 5) {
        await Promise.all([1, 2].map(() => call(createSubjectOp, { token: writer, body: { name: "并发", phone: uniquePhone() } })));
        writes++;
      }
      cursor = page.json.next_cursor ?? undefined;
      if (!cursor) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const ids = seen.map(BigInt);
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    const all = await db.prisma.auditEvent.findMany({ where: { id: { lte: ids[ids.length - 1] } }, select: { id: true }, orderBy: { id: "asc" } });
    expect(all.map((e) => e.id.toString())).toEqual(seen);
    // Without audit.read the owner cannot stream, whatever the token's scope.
    const hr = await tokenFor(db.prisma, org.admin, org.hr.id, ["audit:read"]);
    expect((await call(listAuditEventsOp, { token: hr })).status).toBe(403);
  });
});

describe("rate limits", () => {
  it("counts per token in the database: RateLimit headers, then 429 with Retry-After; other tokens unaffected", async () => {
    const limited = await tokenFor(db.prisma, org.admin, org.people.admin.id, ["employees:read"], { rateLimit: 3 });
    const other = await tokenFor(db.prisma, org.admin, org.people.admin.id, ["employees:read"], { rateLimit: 3 });
    const first = await call(listDepartmentsOp, { token: limited });
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-limit")).toBe("3");
    expect(first.headers.get("ratelimit-remaining")).toBe("2");
    // Spend the rest of this minute and the next (so a minute boundary cannot interfere).
    const row = await db.prisma.apiToken.findFirstOrThrow({ where: { rateLimit: 3 }, orderBy: { createdAt: "asc" } });
    const start = Math.floor(Date.now() / 60_000) * 60_000;
    for (const windowStart of [new Date(start), new Date(start + 60_000)]) {
      await db.prisma.apiRateWindow.upsert({ where: { tokenId_windowStart: { tokenId: row.id, windowStart } }, create: { tokenId: row.id, windowStart, count: 3 }, update: { count: 3 } });
    }
    const refused = await call(listDepartmentsOp, { token: limited });
    expect(refused.status).toBe(429);
    expect(refused.json.code).toBe("rate_limited");
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await call(listDepartmentsOp, { token: other })).status).toBe(200);
  });
});
