import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RequestTimeline } from "@/components/approvals/request-timeline";
import { markAccountInHandover, registerAccount, requestAccountDissolution } from "@/lib/accounts/commands";
import { accountRegisterSchema } from "@/lib/accounts/schemas";
import { updateChainCommand } from "@/lib/approvals/commands";
import { decideApprovalStep } from "@/lib/approvals/engine";
import { getRequestDetail, listChains } from "@/lib/approvals/queries";
import { chainUpdateSchema } from "@/lib/approvals/schemas";
import { en, zhCN } from "@/lib/i18n/messages";
import { createTranslator } from "@/lib/i18n/translate";
import type { Actor } from "@/lib/server/actor";
import { DomainError } from "@/lib/server/errors";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { usePiiKey, uniquePlatformId } from "../accounts/helpers";
import { actorFor } from "../helpers/actors";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { attempt, stepsOf } from "./helpers";

// Issue 13 item 4: every chain resolves. A small company with one HR person and one ADMIN: the
// HR person asks to dissolve a leaver's account, whose chain (HR, then ADMIN) needs HR. The HR
// step falls back (ADMIN, then the privacy officer) instead of naming nobody. Since nobody decides
// two steps of one request, the ADMIN step needs someone besides that ADMIN: the privacy officer
// when there is one; without one, the ADMIN step's only possible decider already decides the HR
// step, so it passes automatically (审批人去重) once the ADMIN has decided, with its reason on the
// timeline and in the audit trail, and the account does not stay in handover for ever.

let db: TestDb;
let hr: Actor;
let admin: Actor;
let privacy: Actor;
let departmentId: string;
let leaverId: string;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  await db.prisma.$transaction(async (tx) => {
    const hq = await makeDepartment(tx, { name: "小公司", code: "SMALL" });
    departmentId = hq.id;
    const h = await makeEmployee(tx, { departmentId, name: "唯一人事", employeeNo: "S-HR", email: "s-hr@example.test", roles: ["HR", "EMPLOYEE"] });
    const a = await makeEmployee(tx, { departmentId, name: "唯一管理员", employeeNo: "S-AD", email: "s-ad@example.test", roles: ["ADMIN", "EMPLOYEE"] });
    const l = await makeEmployee(tx, { departmentId, name: "离职员工", employeeNo: "S-LV", email: "s-lv@example.test", roles: ["EMPLOYEE"] });
    await makeEmployee(tx, { departmentId, name: "普通员工", employeeNo: "S-EM", email: "s-em@example.test", roles: ["EMPLOYEE"] });
    leaverId = l.id;
    return [h, a];
  }).then(async ([h, a]) => {
    hr = await actorFor(db.prisma, h.id);
    admin = await actorFor(db.prisma, a.id);
  });
});
afterAll(async () => db?.close());

/** The leaver's account, in handover. */
async function leaversAccount() {
  const { id } = expectOk(
    await run(db.prisma, admin, accountRegisterSchema, { type: "WECOM_MEMBER", displayName: "离职员工的企业微信", platformId: uniquePlatformId(), phone: "", custodianDepartmentId: departmentId, holderId: leaverId, note: "" }, registerAccount),
  );
  await inUnitOfWork(db.prisma, hr, ({ tx, audit }) => markAccountInHandover({ actor: hr, tx, audit }, { accountId: id }));
  return id;
}

async function askToDissolve(accountId: string) {
  try {
    return { ok: true as const, data: await inUnitOfWork(db.prisma, hr, ({ tx, audit }) => requestAccountDissolution({ actor: hr, tx, audit }, { accountId, reason: "员工已离职，账号停用" })) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false as const, code: error.code, messageKey: error.messageKey, params: error.options.params };
    throw error;
  }
}

/** A dissolution the HR person asked for, accepted: its request id and steps. */
async function dissolutionAsked() {
  const accountId = await leaversAccount();
  const asked = await askToDissolve(accountId);
  if (!asked.ok) throw new Error(`expected the request to be accepted, got ${asked.messageKey}`);
  return { accountId, requestId: asked.data.requestId, steps: await stepsOf(db.prisma, asked.data.requestId) };
}

const decide = (actor: Actor, requestId: string, stepId: string) => (ctx: Parameters<typeof decideApprovalStep>[0]) => decideApprovalStep({ ...ctx, actor }, { requestId, stepId, decision: "APPROVE" });
const accountStatus = async (id: string) => (await db.prisma.account.findUniqueOrThrow({ where: { id } })).status;
const autoPassEvents = (requestId: string) => db.prisma.auditEvent.findMany({ where: { action: "approval.autoPass", entityId: requestId }, orderBy: { id: "asc" } });

/** The request page's timeline, as the ADMIN reads it, in one language. */
async function timeline(requestId: string, locale: "zh" | "en") {
  const detail = (await getRequestDetail(db.prisma, admin, requestId))!;
  const t = createTranslator(locale === "zh" ? zhCN : en);
  return renderToStaticMarkup(createElement(RequestTimeline, { steps: detail.steps, t, locale: locale === "zh" ? "zh-CN" : "en", timeZone: detail.timeZone }));
}

describe("the one HR person's request for a leaver's account, with no privacy officer", () => {
  it("is accepted: the ADMIN decides the HR step, and the ADMIN step passes automatically; the account ends DISSOLVED", async () => {
    const { accountId, requestId, steps } = await dissolutionAsked();
    expect(steps.map((s) => ({ role: s.role, status: s.status, approverId: s.approverId, resolution: s.resolution }))).toEqual([
      { role: "ADMIN", status: "PENDING", approverId: null, resolution: { code: "ROLE_FALLBACK", role: "HR", fallbackRole: "ADMIN" } },
      { role: "ADMIN", status: "WAITING", approverId: null, resolution: { code: "AUTO_PASSED", reason: "DEDUPED" } },
    ]);
    expect(await accountStatus(accountId)).toBe("DISSOLUTION_PENDING");
    // Before it is due, the timeline says the step will pass unless someone can decide it by then.
    expect(await timeline(requestId, "zh")).toContain("轮到此步骤时如仍无人可审批，将由系统按规则自动通过（审批人去重）");
    expect(await timeline(requestId, "en")).toContain("if that is still so when it is due, the system passes it automatically by rule");

    // The requester still decides nothing.
    expect(await attempt(db.prisma, hr, decide(hr, requestId, steps[0].id))).toMatchObject({ ok: false, messageKey: "approvals.errors.ownRequest" });
    await inUnitOfWork(db.prisma, admin, ({ tx, audit }) => decide(admin, requestId, steps[0].id)({ tx, audit, actor: admin }));

    const after = await stepsOf(db.prisma, requestId);
    expect(after.map((s) => ({ status: s.status, decidedById: s.decidedById }))).toEqual([
      { status: "APPROVED", decidedById: admin.id },
      { status: "AUTO_APPROVED", decidedById: null },
    ]);
    expect(after[1].decidedAt).toEqual(after[0].decidedAt);
    expect((await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("APPROVED");
    expect(await accountStatus(accountId)).toBe("DISSOLVED");

    // Audited: the approval names the step that passed, which has its own event with the reason.
    const approve = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "approval.approve", entityId: requestId } });
    expect(approve.after).toMatchObject({ status: "APPROVED", autoPassed: [2] });
    const passed = await autoPassEvents(requestId);
    expect(passed).toHaveLength(1);
    expect(passed[0]).toMatchObject({
      actorId: admin.id,
      before: { step: { id: after[1].id, position: 2, status: "WAITING" } },
      after: { step: { id: after[1].id, position: 2, status: "AUTO_APPROVED" }, resolution: { code: "AUTO_PASSED", reason: "DEDUPED" } },
    });
    expect(passed[0].id).toBeGreaterThan(approve.id);

    // The request page shows the step, its reason and who passed it, in both languages.
    const zh = await timeline(requestId, "zh");
    expect(zh).toContain('data-status="AUTO_APPROVED"');
    expect(zh).toContain("已自动通过");
    expect(zh).toContain("该步骤无其他可审批人（能审批此步骤的人已审批或须审批此申请的其他步骤），已由系统按规则自动通过（审批人去重）");
    expect(zh).toContain("系统（按规则自动通过）");
    expect(zh).not.toContain("轮到此步骤时");
    const english = await timeline(requestId, "en");
    expect(english).toContain("Passed automatically");
    expect(english).toContain("Nobody else can decide this step (whoever could decides or decided another step of this request): the system passed it automatically by rule (one person, one step)");
    expect(english).toContain("The system (passed by rule)");
  });

  it("the ADMIN deciding twice at once: one decision, the step passes once, the account is dissolved once", async () => {
    const { accountId, requestId, steps } = await dissolutionAsked();
    const outcomes = await Promise.all([1, 2].map(() => attempt(db.prisma, admin, decide(admin, requestId, steps[0].id))));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok)).toMatchObject([{ ok: false, messageKey: "approvals.errors.alreadyDecided" }]);
    expect((await stepsOf(db.prisma, requestId)).map((s) => s.status)).toEqual(["APPROVED", "AUTO_APPROVED"]);
    expect(await autoPassEvents(requestId)).toHaveLength(1);
    expect(await db.prisma.auditEvent.count({ where: { action: "account.dissolve", entityId: accountId } })).toBe(1);
    expect(await accountStatus(accountId)).toBe("DISSOLVED");
  });

  it("is resolved again when the step becomes due: a privacy officer appointed meanwhile decides it", async () => {
    const { accountId, requestId, steps } = await dissolutionAsked();
    const officer = await db.prisma.$transaction((tx) => makeEmployee(tx, { departmentId, name: "个保负责人", employeeNo: "S-PO", email: "s-po@example.test", roles: ["PRIVACY_OFFICER", "EMPLOYEE"] }));
    privacy = await actorFor(db.prisma, officer.id);
    await inUnitOfWork(db.prisma, admin, ({ tx, audit }) => decide(admin, requestId, steps[0].id)({ tx, audit, actor: admin }));
    const second = (await stepsOf(db.prisma, requestId))[1];
    expect(second).toMatchObject({ status: "PENDING", role: "PRIVACY_OFFICER", resolution: { code: "ROLE_FALLBACK", role: "ADMIN", fallbackRole: "PRIVACY_OFFICER" } });
    expect(await autoPassEvents(requestId)).toHaveLength(0);
    await inUnitOfWork(db.prisma, privacy, ({ tx, audit }) => decide(privacy, requestId, second.id)({ tx, audit, actor: privacy }));
    expect(await accountStatus(accountId)).toBe("DISSOLVED");
  });
});

describe("the one HR person's request for a leaver's account, with a privacy officer", () => {
  it("goes to the fallback: the ADMIN takes the HR step, the privacy officer the ADMIN step", async () => {
    const { accountId, requestId, steps } = await dissolutionAsked();
    expect(steps.map((s) => ({ role: s.role, status: s.status, resolution: s.resolution }))).toEqual([
      { role: "ADMIN", status: "PENDING", resolution: { code: "ROLE_FALLBACK", role: "HR", fallbackRole: "ADMIN" } },
      { role: "PRIVACY_OFFICER", status: "WAITING", resolution: { code: "ROLE_FALLBACK", role: "ADMIN", fallbackRole: "PRIVACY_OFFICER" } },
    ]);
    await inUnitOfWork(db.prisma, admin, ({ tx, audit }) => decide(admin, requestId, steps[0].id)({ tx, audit, actor: admin }));
    await inUnitOfWork(db.prisma, privacy, ({ tx, audit }) => decide(privacy, requestId, steps[1].id)({ tx, audit, actor: privacy }));
    expect(await accountStatus(accountId)).toBe("DISSOLVED");
  });

  it("passes the privacy officer's step automatically when they left before it became due", async () => {
    const { accountId, requestId, steps } = await dissolutionAsked();
    expect(steps[1]).toMatchObject({ role: "PRIVACY_OFFICER", status: "WAITING" });
    await db.prisma.employee.update({ where: { id: privacy.id }, data: { status: "OFFBOARDING" } });
    try {
      await inUnitOfWork(db.prisma, admin, ({ tx, audit }) => decide(admin, requestId, steps[0].id)({ tx, audit, actor: admin }));
      expect((await stepsOf(db.prisma, requestId))[1]).toMatchObject({ status: "AUTO_APPROVED", decidedById: null, resolution: { code: "AUTO_PASSED", reason: "DEDUPED" } });
      expect(await accountStatus(accountId)).toBe("DISSOLVED");
    } finally {
      await db.prisma.employee.update({ where: { id: privacy.id }, data: { status: "ACTIVE" } });
    }
  });

  it("follows the fallback roles ADMIN sets with the chain (audited); at least one is required", async () => {
    const chain = (await listChains(db.prisma)).find((c) => c.requestType === "ACCOUNT_DISSOLVE")!;
    expect(chain.fallbackRoles).toEqual(["ADMIN", "PRIVACY_OFFICER"]);
    const form = { id: chain.id, version: String(chain.version), overdueWorkingDays: "2", calendarId: "", steps: JSON.stringify([{ kind: "ROLE", role: "HR", classifications: [] }, { kind: "ROLE", role: "ADMIN", classifications: [] }]) };
    expect(chainUpdateSchema.safeParse({ ...form, fallback1: "", fallback2: "", fallback3: "" }).error?.issues[0]).toMatchObject({ path: ["fallback1"], message: "approvals.v.fallbackRequired" });
    const input = chainUpdateSchema.parse({ ...form, fallback1: "EMPLOYEE", fallback2: "ADMIN", fallback3: "EMPLOYEE" });
    await inUnitOfWork(db.prisma, admin, ({ tx, audit }) => updateChainCommand({ actor: admin, input, tx, audit }));
    expect((await listChains(db.prisma)).find((c) => c.requestType === "ACCOUNT_DISSOLVE")!.fallbackRoles).toEqual(["EMPLOYEE", "ADMIN"]);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "approvalChain.update", entityId: chain.id }, orderBy: { id: "desc" } });
    expect(event.before).toMatchObject({ fallbackRoles: ["ADMIN", "PRIVACY_OFFICER"] });
    expect(event.after).toMatchObject({ fallbackRoles: ["EMPLOYEE", "ADMIN"] });

    // Now any other employee takes the HR step, and the ADMIN keeps their own.
    const id = await leaversAccount();
    const asked = await askToDissolve(id);
    const steps = await stepsOf(db.prisma, asked.ok ? asked.data.requestId : "");
    expect(steps.map((s) => s.role)).toEqual(["EMPLOYEE", "ADMIN"]);
  });
});
