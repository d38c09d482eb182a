import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideCommand, withdrawCommand } from "@/lib/approvals/commands";
import { decideApprovalStep, submitApprovalRequest, withdrawApprovalRequest } from "@/lib/approvals/engine";
import { decisionSchema, withdrawSchema } from "@/lib/approvals/schemas";
import { createTranslator, hasMessage, messagesFor } from "@/lib/i18n/translate";
import type { Actor } from "@/lib/server/actor";
import { DomainError } from "@/lib/server/errors";
import { newId } from "@/lib/ids";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { attempt, groupCreate, must, recordingEffects, seedApprovalsOrg, stepsOf, type ApprovalsOrg } from "./helpers";

// Every refusal of the engine: a distinct message for each reason, nothing changed, no 500.

let db: TestDb;
let org: ApprovalsOrg;
let as: Record<keyof ApprovalsOrg["people"], Actor>;
const { effects, calls } = recordingEffects();
const options = { effects };
const seenKeys = new Set<string>();

beforeAll(async () => {
  db = await createTestDb();
  org = await seedApprovalsOrg(db.prisma);
  as = Object.fromEntries(await Promise.all(Object.entries(org.people).map(async ([k, p]) => [k, await actorFor(db.prisma, p.id)]))) as typeof as;
});
afterAll(async () => db?.close());

const snapshot = async () => ({
  requests: await db.prisma.approvalRequest.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, version: true } }),
  steps: await db.prisma.approvalRequestStep.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, decidedById: true, version: true } }),
  audits: await db.prisma.auditEvent.count(),
  effects: calls.length,
});

/** Expects a refusal with this code and key that changed nothing. */
async function refused(actor: Actor, fn: Parameters<typeof attempt>[2], code: string, messageKey: string) {
  const before = await snapshot();
  const outcome = await attempt(db.prisma, actor, fn);
  expect(outcome).toMatchObject({ ok: false, code, messageKey });
  expect(await snapshot()).toEqual(before);
  seenKeys.add(messageKey);
}

async function submitted(requester: Actor, departmentId: string, classification: "INTERNAL" | "SECRET" = "INTERNAL") {
  const { id } = await must(db.prisma, requester, (ctx) => submitApprovalRequest(ctx, groupCreate(departmentId, classification), options));
  return { id, steps: await stepsOf(db.prisma, id) };
}

const decide = (requestId: string, stepId: string, decision: "APPROVE" | "REJECT" = "APPROVE", comment?: string) =>
  (ctx: Parameters<typeof decideApprovalStep>[0]) => decideApprovalStep(ctx, { requestId, stepId, decision, comment }, options);

describe("deciding is refused", () => {
  it("on a step that was already decided", async () => {
    const r = await submitted(as.eastStaff, org.dept.east.id);
    await must(db.prisma, as.eastManager, decide(r.id, r.steps[0].id));
    await refused(as.eastManager, decide(r.id, r.steps[0].id), "INVALID_STATE", "approvals.errors.alreadyDecided");
    await refused(as.eastManager, decide(r.id, r.steps[0].id, "REJECT", "改主意了"), "INVALID_STATE", "approvals.errors.alreadyDecided");
  });

  it("on a request that is no longer pending (withdrawn, or ended by a rejection)", async () => {
    const withdrawn = await submitted(as.eastStaff, org.dept.east.id);
    await must(db.prisma, as.eastStaff, (ctx) => withdrawApprovalRequest(ctx, { requestId: withdrawn.id }, options));
    await refused(as.eastManager, decide(withdrawn.id, withdrawn.steps[0].id), "INVALID_STATE", "approvals.errors.notPending");

    const rejected = await submitted(as.eastStaff, org.dept.east.id);
    await must(db.prisma, as.eastManager, decide(rejected.id, rejected.steps[0].id, "REJECT", "不需要"));
    await refused(as.admin, decide(rejected.id, rejected.steps[2].id), "INVALID_STATE", "approvals.errors.notPending");
  });

  it("on someone else's step (a later step's approver, an administrator on the manager's step)", async () => {
    const r = await submitted(as.eastStaff, org.dept.east.id);
    await refused(as.admin, decide(r.id, r.steps[0].id), "FORBIDDEN", "approvals.errors.notYourStep");
    await must(db.prisma, as.eastManager, decide(r.id, r.steps[0].id));
    await refused(as.eastManager, decide(r.id, r.steps[2].id), "FORBIDDEN", "approvals.errors.notYourStep");
  });

  it("by someone who decided another step of the same request (a manager who also holds ADMIN)", async () => {
    // IT's manager is an ADMIN: they decide the manager step, and may not decide the ADMIN step too.
    const r = await submitted(as.eastStaff, org.dept.it.id);
    expect(r.steps[0].approverId).toBe(org.people.admin.id);
    await must(db.prisma, as.admin, decide(r.id, r.steps[0].id));
    await refused(as.admin, decide(r.id, r.steps[2].id), "FORBIDDEN", "approvals.errors.decidedAnotherStep");
    await refused(as.admin, decide(r.id, r.steps[2].id, "REJECT", "不同意"), "FORBIDDEN", "approvals.errors.decidedAnotherStep");
    await must(db.prisma, as.admin2, decide(r.id, r.steps[2].id));
  });

  it("on a step not yet reached", async () => {
    const r = await submitted(as.eastStaff, org.dept.east.id);
    await refused(as.admin, decide(r.id, r.steps[2].id), "INVALID_STATE", "approvals.errors.stepNotActive");
  });

  it("on one's own request, whatever roles one holds", async () => {
    // The administrator's own request: its ADMIN step goes to the other administrator only.
    const r = await submitted(as.admin, org.dept.east.id);
    await must(db.prisma, as.eastManager, decide(r.id, r.steps[0].id));
    await refused(as.admin, decide(r.id, r.steps[2].id), "FORBIDDEN", "approvals.errors.ownRequest");
    // The manager's own request went to the director; the manager still cannot decide it.
    const own = await submitted(as.eastManager, org.dept.east.id);
    await refused(as.eastManager, decide(own.id, own.steps[0].id), "FORBIDDEN", "approvals.errors.ownRequest");
  });

  it("to a role holder who is no longer ACTIVE", async () => {
    const r = await submitted(as.loneStaff, org.dept.lone.id); // step 1 falls back to ADMIN
    await db.prisma.employee.update({ where: { id: org.people.admin2.id }, data: { status: "OFFBOARDING" } });
    try {
      await refused(as.admin2, decide(r.id, r.steps[0].id), "FORBIDDEN", "approvals.errors.notYourStep");
    } finally {
      await db.prisma.employee.update({ where: { id: org.people.admin2.id }, data: { status: "ACTIVE" } });
    }
  });

  it("to reject without a comment, or with one over 2000 characters", async () => {
    const r = await submitted(as.eastStaff, org.dept.east.id);
    await refused(as.eastManager, decide(r.id, r.steps[0].id, "REJECT"), "VALIDATION", "approvals.errors.commentRequired");
    await refused(as.eastManager, decide(r.id, r.steps[0].id, "REJECT", "   "), "VALIDATION", "approvals.errors.commentRequired");
    await refused(as.eastManager, decide(r.id, r.steps[0].id, "REJECT", "长".repeat(2001)), "VALIDATION", "errors.v.tooLong");
    // The form says the same before anything reaches the engine.
    const parsed = decisionSchema.safeParse({ requestId: r.id, stepId: r.steps[0].id, decision: "REJECT", comment: "" });
    expect(parsed.success ? null : parsed.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([["comment", "approvals.v.commentRequired"]]);
    const long = decisionSchema.safeParse({ requestId: r.id, stepId: r.steps[0].id, decision: "APPROVE", comment: "长".repeat(2001) });
    expect(long.success ? null : long.error.issues[0].message).toBe("errors.v.tooLong");
    expect(decisionSchema.safeParse({ requestId: r.id, stepId: r.steps[0].id, decision: "APPROVE", comment: "长".repeat(2000) }).success).toBe(true);
  });

  it("when the request changed since the page was read (expected version)", async () => {
    const r = await submitted(as.eastStaff, org.dept.east.id);
    await refused(as.eastManager, (ctx) => decideApprovalStep(ctx, { requestId: r.id, stepId: r.steps[0].id, decision: "APPROVE", expectedVersion: 7 }, options), "STALE", "errors.stale");
    await must(db.prisma, as.eastManager, (ctx) => decideApprovalStep(ctx, { requestId: r.id, stepId: r.steps[0].id, decision: "APPROVE", expectedVersion: 1 }, options));
  });
});

describe("forged posts change nothing and end in a known answer", () => {
  it("another person's request id, from someone with no part in it: not found", async () => {
    const r = await submitted(as.eastStaff, org.dept.east.id);
    await refused(as.stranger, decide(r.id, r.steps[0].id), "NOT_FOUND", "approvals.errors.notFound");
    await refused(as.stranger, (ctx) => withdrawApprovalRequest(ctx, { requestId: r.id }, options), "NOT_FOUND", "approvals.errors.notFound");
  });

  it("a step that does not exist, or belongs to another request", async () => {
    const r = await submitted(as.eastStaff, org.dept.east.id);
    const other = await submitted(as.sh1Staff, org.dept.sh1.id);
    await refused(as.eastManager, decide(r.id, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"), "NOT_FOUND", "approvals.errors.stepNotFound");
    await refused(as.eastManager, decide(r.id, other.steps[0].id), "NOT_FOUND", "approvals.errors.stepNotFound");
    await refused(as.eastManager, decide("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", r.steps[0].id), "NOT_FOUND", "approvals.errors.notFound");
  });

  it("ids that are not ids: refused by the form schema, and by the engine if called directly", async () => {
    const r = await submitted(as.eastStaff, org.dept.east.id);
    for (const bad of ["' OR 1=1 --", "../../etc", "", "x".repeat(300), "12345"]) {
      expect(decisionSchema.safeParse({ requestId: bad, stepId: r.steps[0].id, decision: "APPROVE" }).success).toBe(false);
      expect(withdrawSchema.safeParse({ requestId: bad }).success).toBe(false);
      await refused(as.eastManager, decide(bad, r.steps[0].id), "NOT_FOUND", "approvals.errors.notFound");
      await refused(as.eastStaff, (ctx) => withdrawApprovalRequest(ctx, { requestId: bad }, options), "NOT_FOUND", "approvals.errors.notFound");
    }
    expect(decisionSchema.safeParse({ requestId: r.id, stepId: r.steps[0].id, decision: "MAYBE" }).success).toBe(false);
  });

  it("the commands behind the actions answer with DomainErrors, never an unexpected error", async () => {
    const r = await submitted(as.eastStaff, org.dept.east.id);
    const input = decisionSchema.parse({ requestId: r.id, stepId: r.steps[0].id, decision: "APPROVE" });
    await expect(inUnitOfWork(db.prisma, as.stranger, ({ tx, audit }) => decideCommand({ actor: as.stranger, input, tx, audit }))).rejects.toBeInstanceOf(DomainError);
    await expect(inUnitOfWork(db.prisma, as.admin, ({ tx, audit }) => withdrawCommand({ actor: as.admin, input: { requestId: r.id }, tx, audit }))).rejects.toMatchObject({ messageKey: "approvals.errors.onlyRequesterWithdraws" });
  });
});

describe("withdrawing is refused", () => {
  it("to anyone but the requester", async () => {
    const r = await submitted(as.eastStaff, org.dept.east.id);
    await refused(as.eastManager, (ctx) => withdrawApprovalRequest(ctx, { requestId: r.id }, options), "FORBIDDEN", "approvals.errors.onlyRequesterWithdraws");
    await refused(as.admin, (ctx) => withdrawApprovalRequest(ctx, { requestId: r.id }, options), "FORBIDDEN", "approvals.errors.onlyRequesterWithdraws");
  });

  it("once the request has ended", async () => {
    const r = await submitted(as.eastStaff, org.dept.east.id);
    await must(db.prisma, as.eastManager, decide(r.id, r.steps[0].id, "REJECT", "不需要"));
    await refused(as.eastStaff, (ctx) => withdrawApprovalRequest(ctx, { requestId: r.id }, options), "INVALID_STATE", "approvals.errors.cannotWithdraw");
  });
});

describe("account requests, now that the accounts capability has landed", () => {
  const submit = (input: Parameters<typeof submitApprovalRequest>[1]) => (ctx: Parameters<typeof submitApprovalRequest>[0]) => submitApprovalRequest(ctx, input, options);

  it("are accepted with their default chains (ACCOUNT_CREATE: manager then ADMIN; ACCOUNT_DISSOLVE: HR then ADMIN)", async () => {
    const created = await must(db.prisma, as.eastStaff, submit({ ...groupCreate(org.dept.east.id, "INTERNAL", "accsubjectcreate000000000001"), type: "ACCOUNT_CREATE", subjectType: "Account" }));
    const dissolved = await must(db.prisma, as.eastStaff, submit({ ...groupCreate(org.dept.east.id, "INTERNAL", "accsubjectdissolve0000000001"), type: "ACCOUNT_DISSOLVE", subjectType: "Account" }));
    const steps = async (id: string) =>
      (await db.prisma.approvalRequestStep.findMany({ where: { requestId: id }, orderBy: { position: "asc" } })).map((s) => s.kind === "ROLE" ? s.role : s.kind);
    expect(await steps(created.id)).toEqual(["DEPARTMENT_MANAGER", "ADMIN"]);
    expect(await steps(dissolved.id)).toEqual(["HR", "ADMIN"]);
  });
});

describe("submitting is refused", () => {
  const submit = (input: Parameters<typeof submitApprovalRequest>[1]) => (ctx: Parameters<typeof submitApprovalRequest>[0]) => submitApprovalRequest(ctx, input, options);

  it("when no step can be decided by anyone but the requester, the fallback included", async () => {
    // The auditor's own dissolution under a chain that asks the auditor only, with the auditor as
    // the only fallback role: nobody else could decide anything.
    const chain = await db.prisma.approvalChain.findUniqueOrThrow({ where: { requestType: "GROUP_DISSOLVE" } });
    await db.prisma.$transaction([
      db.prisma.approvalChainStep.deleteMany({ where: { chainId: chain.id } }),
      db.prisma.approvalChainStep.create({ data: { id: newId(), chainId: chain.id, position: 1, kind: "ROLE", role: "AUDITOR" } }),
      db.prisma.approvalChain.update({ where: { id: chain.id }, data: { fallbackRoles: ["AUDITOR"], version: { increment: 1 } } }),
    ]);
    const dissolve = { ...groupCreate(org.dept.east.id), type: "GROUP_DISSOLVE" as const };
    await refused(as.auditor, submit(dissolve), "INVALID_STATE", "approvals.errors.noEligible.AUDITOR");
    expect(await attempt(db.prisma, as.auditor, submit(dissolve))).toMatchObject({ ok: false, params: { position: 1 } });
    // Anyone else's request under the same chain goes to the auditor.
    await must(db.prisma, as.eastStaff, submit(dissolve));
  });

  it("not when a step's only possible deciders decide other steps: that step will pass automatically", async () => {
    // An ADMIN's SECRET group in IT (which they manage): the manager step falls back to the other
    // ADMIN, the privacy officer takes step 2, and nobody is left for the ADMIN step.
    const { id } = await must(db.prisma, as.admin, submit(groupCreate(org.dept.it.id, "SECRET")));
    expect((await stepsOf(db.prisma, id)).map((s) => [s.status, s.resolution])).toEqual([
      ["PENDING", { code: "FALLBACK_ADMIN", fromDepartmentName: "信息技术部", fallbackRole: "ADMIN" }],
      ["WAITING", { code: "ROLE" }],
      ["WAITING", { code: "AUTO_PASSED", reason: "DEDUPED" }],
    ]);
    // An INTERNAL request skips the privacy officer's step, who then takes the ADMIN step.
    await must(db.prisma, as.admin, submit(groupCreate(org.dept.it.id, "INTERNAL")));
    // The privacy officer's own SECRET request is no longer refused: their step falls back to ADMIN.
    await must(db.prisma, as.privacy, submit(groupCreate(org.dept.east.id, "SECRET")));
  });

  it("for a department that does not exist, a second pending request on the same subject, or a malformed submission", async () => {
    await refused(as.eastStaff, submit(groupCreate("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")), "VALIDATION", "approvals.errors.departmentNotFound");
    const input = groupCreate(org.dept.east.id, "INTERNAL", "grpduplicatesubject000000001");
    await must(db.prisma, as.eastStaff, submit(input));
    await refused(as.eastStaff, submit(input), "CONFLICT", "approvals.errors.duplicatePending");
    await refused(as.eastStaff, submit({ ...input, subjectId: "grpother00000000000000000001", title: "" }), "VALIDATION", "approvals.errors.invalidSubmission");
    await refused(as.eastStaff, submit({ ...input, subjectId: "grpother00000000000000000002", facts: { managerOfDepartmentId: "not an id" } }), "VALIDATION", "approvals.errors.invalidSubmission");
  });
});

describe("messages", () => {
  it("every refusal's message exists in Chinese and English and differs from the others", () => {
    const keys = [...seenKeys].filter((k) => k.startsWith("approvals."));
    expect(keys.length).toBeGreaterThanOrEqual(14);
    for (const locale of ["zh-CN", "en"] as const) {
      const messages = messagesFor(locale);
      const t = createTranslator(messages);
      for (const key of keys) expect(hasMessage(messages, key), `${locale} ${key}`).toBe(true);
      const texts = keys.map((k) => t(k, { position: 2, field: "title" }));
      expect(new Set(texts).size, locale).toBe(texts.length);
    }
  });
});
