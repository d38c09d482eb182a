import { describe, expect, it } from "vitest";
import { decideApprovalStep, submitApprovalRequest } from "@/lib/approvals/engine";
import { getRequestDetail, listInbox } from "@/lib/approvals/queries";
import type { RoleCode } from "@/lib/auth/permissions";
import { newId } from "@/lib/ids";
import type { Actor } from "@/lib/server/actor";
import { withApprovalsEnv } from "../helpers/approvals-env";
import type { TestDb } from "../helpers/test-db";
import { attempt, groupCreate, must, recordingEffects, stepsOf, type ApprovalsOrg } from "./helpers";

// Issue 13 item 3: nobody decides two steps of one request. The engine refuses it at decision
// time, the inbox and the request page do not offer it, a role holder whose decision would leave
// a later step nobody is refused, and a later step whose approver already decided is resolved
// again when it becomes due (another decider, or the fallback).

let db: TestDb;
let org: ApprovalsOrg;
let as: Record<keyof ApprovalsOrg["people"], Actor>;
const { effects } = recordingEffects();
const options = { effects };

withApprovalsEnv((env) => ({ db, org, as } = env));

/** Replaces the GROUP_DISSOLVE chain's steps and fallback roles (as the settings page would). */
async function dissolveChain(steps: { kind: "ROLE" | "PERSON" | "DEPARTMENT_MANAGER"; role?: RoleCode; personId?: string }[], fallbackRoles: RoleCode[]) {
  const chain = await db.prisma.approvalChain.findUniqueOrThrow({ where: { requestType: "GROUP_DISSOLVE" } });
  await db.prisma.$transaction([
    db.prisma.approvalChainStep.deleteMany({ where: { chainId: chain.id } }),
    db.prisma.approvalChainStep.createMany({
      data: steps.map((s, i) => ({ id: newId(), chainId: chain.id, position: i + 1, kind: s.kind, role: s.role ?? null, personId: s.personId ?? null })),
    }),
    db.prisma.approvalChain.update({ where: { id: chain.id }, data: { fallbackRoles, version: { increment: 1 } } }),
  ]);
}

const dissolve = (departmentId: string) => ({ ...groupCreate(departmentId), type: "GROUP_DISSOLVE" as const });
const submit = (input: ReturnType<typeof dissolve> | ReturnType<typeof groupCreate>) => (ctx: Parameters<typeof submitApprovalRequest>[0]) => submitApprovalRequest(ctx, input, options);
const decide = (requestId: string, stepId: string, decision: "APPROVE" | "REJECT" = "APPROVE", comment?: string) =>
  (ctx: Parameters<typeof decideApprovalStep>[0]) => decideApprovalStep(ctx, { requestId, stepId, decision, comment }, options);

describe("one person, one step of a request", () => {
  it("the manager who also holds ADMIN is not offered the ADMIN step after deciding the manager's", async () => {
    const { id } = await must(db.prisma, as.eastStaff, submit(groupCreate(org.dept.it.id)));
    const steps = await stepsOf(db.prisma, id);
    expect(steps.map((s) => s.approverId ?? s.role)).toEqual([org.people.admin.id, "PRIVACY_OFFICER", "ADMIN"]);
    await must(db.prisma, as.admin, decide(id, steps[0].id));

    const inboxOf = async (actor: Actor) => (await listInbox(db.prisma, actor, "pending", 1)).items.map((r) => r.requestId);
    expect(await inboxOf(as.admin)).not.toContain(id);
    expect(await inboxOf(as.admin2)).toContain(id);
    const page = await getRequestDetail(db.prisma, as.admin, id);
    expect(page!.steps[2].canDecide).toBe(false);
    expect((await getRequestDetail(db.prisma, as.admin2, id))!.steps[2].canDecide).toBe(true);
    expect(await attempt(db.prisma, as.admin, decide(id, steps[2].id))).toMatchObject({ ok: false, code: "FORBIDDEN", messageKey: "approvals.errors.decidedAnotherStep", params: { position: 1 } });
    await must(db.prisma, as.admin2, decide(id, steps[2].id));
    expect((await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).status).toBe("APPROVED");
  });

  it("a later step whose named approver decided an earlier one is resolved again when it becomes due", async () => {
    await dissolveChain([{ kind: "ROLE", role: "ADMIN" }, { kind: "PERSON", personId: org.people.admin.id }], ["ADMIN", "PRIVACY_OFFICER"]);
    const { id } = await must(db.prisma, as.eastStaff, submit(dissolve(org.dept.east.id)));
    const steps = await stepsOf(db.prisma, id);
    expect(steps.map((s) => s.approverId ?? s.role)).toEqual(["ADMIN", org.people.admin.id]);
    // The named approver takes the ADMIN step first: the other ADMIN can still take theirs.
    await must(db.prisma, as.admin, decide(id, steps[0].id));
    const second = (await stepsOf(db.prisma, id))[1];
    expect(second).toMatchObject({ status: "PENDING", approverId: null, role: "ADMIN", resolution: { code: "PERSON_UNAVAILABLE", fallbackRole: "ADMIN" } });
    expect(await attempt(db.prisma, as.admin, decide(id, second.id))).toMatchObject({ ok: false, messageKey: "approvals.errors.decidedAnotherStep" });
    await must(db.prisma, as.admin2, decide(id, second.id));
    const decided = await stepsOf(db.prisma, id);
    expect(new Set(decided.map((s) => s.decidedById)).size).toBe(2);
  });

  it("a role holder whose decision would leave a later step nobody is refused; another holder decides", async () => {
    // The named ADMIN is the only one for step 2 once the fallback (the requester's own role) is out.
    await dissolveChain([{ kind: "ROLE", role: "ADMIN" }, { kind: "PERSON", personId: org.people.admin.id }], ["AUDITOR"]);
    const { id } = await must(db.prisma, as.auditor, submit(dissolve(org.dept.east.id)));
    const steps = await stepsOf(db.prisma, id);
    const before = await db.prisma.auditEvent.count();
    expect(await attempt(db.prisma, as.admin, decide(id, steps[0].id))).toMatchObject({ ok: false, code: "FORBIDDEN", messageKey: "approvals.errors.wouldLeaveNoDecider", params: { position: 2 } });
    expect(await db.prisma.auditEvent.count()).toBe(before);
    expect((await stepsOf(db.prisma, id))[0].status).toBe("PENDING");
    await must(db.prisma, as.admin2, decide(id, steps[0].id));
    await must(db.prisma, as.admin, decide(id, steps[1].id));
    expect((await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).status).toBe("APPROVED");
  });

  it("a role holder whose decision leaves no more steps to pass than another's may decide", async () => {
    // Step 3 (the auditor, who asks) falls back to ADMIN, but both ADMINs decide steps 1 and 2:
    // step 3 passes automatically whoever of them decides step 1, so neither is refused.
    await dissolveChain([{ kind: "ROLE", role: "ADMIN" }, { kind: "PERSON", personId: org.people.admin2.id }, { kind: "ROLE", role: "AUDITOR" }], ["ADMIN"]);
    const { id } = await must(db.prisma, as.auditor, submit(dissolve(org.dept.east.id)));
    const steps = await stepsOf(db.prisma, id);
    expect(steps.map((s) => [s.status, (s.resolution as { code: string }).code])).toEqual([["PENDING", "ROLE"], ["WAITING", "PERSON"], ["WAITING", "AUTO_PASSED"]]);
    await must(db.prisma, as.admin, decide(id, steps[0].id));
    await must(db.prisma, as.admin2, decide(id, steps[1].id));
    const decided = await stepsOf(db.prisma, id);
    expect(decided.map((s) => [s.status, s.decidedById])).toEqual([["APPROVED", org.people.admin.id], ["APPROVED", org.people.admin2.id], ["AUTO_APPROVED", null]]);
    expect((await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).status).toBe("APPROVED");
  });

  it("a leading step only the requester could decide passes at submission, audited; the next step is due", async () => {
    await dissolveChain([{ kind: "ROLE", role: "AUDITOR" }, { kind: "ROLE", role: "ADMIN" }], ["AUDITOR"]);
    const { id } = await must(db.prisma, as.auditor, submit(dissolve(org.dept.east.id)));
    const steps = await stepsOf(db.prisma, id);
    expect(steps.map((s) => ({ status: s.status, role: s.role, decidedById: s.decidedById, resolution: s.resolution }))).toEqual([
      { status: "AUTO_APPROVED", role: "AUDITOR", decidedById: null, resolution: { code: "AUTO_PASSED", reason: "REQUESTER_ONLY" } },
      { status: "PENDING", role: "ADMIN", decidedById: null, resolution: { code: "ROLE" } },
    ]);
    expect(steps[0].decidedAt).toEqual(steps[1].activatedAt);
    const events = await db.prisma.auditEvent.findMany({ where: { entityId: id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["approval.submit", "approval.autoPass"]);
    expect(events[1]).toMatchObject({ before: null, after: { step: { position: 1, status: "AUTO_APPROVED" }, resolution: { code: "AUTO_PASSED", reason: "REQUESTER_ONLY" } } });
    // The page lists it as passed, and deciding it is refused as already decided.
    expect((await getRequestDetail(db.prisma, as.auditor, id))!.steps[0]).toMatchObject({ status: "AUTO_APPROVED", decidedBy: null, canDecide: false });
    expect(await attempt(db.prisma, as.admin, decide(id, steps[0].id))).toMatchObject({ ok: false, messageKey: "approvals.errors.alreadyDecided" });
    await must(db.prisma, as.admin, decide(id, steps[1].id));
    expect((await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).status).toBe("APPROVED");
  });

  it("a step that would pass automatically is cancelled, not passed, when an earlier step is rejected", async () => {
    await dissolveChain([{ kind: "ROLE", role: "ADMIN" }, { kind: "ROLE", role: "AUDITOR" }], ["AUDITOR"]);
    const { id } = await must(db.prisma, as.auditor, submit(dissolve(org.dept.east.id)));
    const steps = await stepsOf(db.prisma, id);
    expect(steps[1]).toMatchObject({ status: "WAITING", resolution: { code: "AUTO_PASSED", reason: "REQUESTER_ONLY" } });
    await must(db.prisma, as.admin, decide(id, steps[0].id, "REJECT", "不同意"));
    expect((await stepsOf(db.prisma, id)).map((s) => s.status)).toEqual(["REJECTED", "CANCELLED"]);
    expect(await db.prisma.auditEvent.count({ where: { entityId: id, action: "approval.autoPass" } })).toBe(0);
  });

  it("the request keeps the fallback roles it was submitted with", async () => {
    await dissolveChain([{ kind: "ROLE", role: "HR" }], ["AUDITOR", "ADMIN"]);
    const { id } = await must(db.prisma, as.hr, submit(dissolve(org.dept.east.id)));
    expect(await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ fallbackRoles: ["AUDITOR", "ADMIN"] });
    expect((await stepsOf(db.prisma, id))[0]).toMatchObject({ role: "AUDITOR", resolution: { code: "ROLE_FALLBACK", role: "HR", fallbackRole: "AUDITOR" } });
  });
});
