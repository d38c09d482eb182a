import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideApprovalStep, submitApprovalRequest } from "@/lib/approvals/engine";
import type { Actor } from "@/lib/server/actor";
import { makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { attempt, groupCreate, must, recordingEffects, seedApprovalsOrg, stepsOf, type ApprovalsOrg, type Outcome } from "./helpers";

// Twenty people decide the same step at the same moment (SPEC §3): exactly one decision is
// recorded, the effect runs once, and the nineteen others are told "already decided". On
// PostgreSQL (DATABASE_URL) the transactions really overlap; on PGlite they are serialised, and
// the answer must be the same.

let db: TestDb;
let org: ApprovalsOrg;
let holders: Actor[];
const HOLDERS = 20;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedApprovalsOrg(db.prisma);
  const created = await db.prisma.$transaction(async (tx) => {
    const list = [];
    for (let i = 0; i < HOLDERS; i++) list.push(await makeEmployee(tx, { departmentId: org.dept.hq.id, name: `人事${i}`, roles: ["HR", "EMPLOYEE"] }));
    return list;
  });
  holders = await Promise.all(created.map((e) => actorFor(db.prisma, e.id)));
});
afterAll(async () => db?.close());

async function setChain(steps: { kind: "ROLE"; role: "HR" | "ADMIN" | "AUDITOR" }[], fallbackRoles = ["ADMIN", "PRIVACY_OFFICER"]) {
  const chain = await db.prisma.approvalChain.findUniqueOrThrow({ where: { requestType: "GROUP_CREATE" } });
  await db.prisma.approvalChainStep.deleteMany({ where: { chainId: chain.id } });
  await db.prisma.approvalChainStep.createMany({ data: steps.map((s, i) => ({ chainId: chain.id, position: i + 1, kind: s.kind, role: s.role })) });
  await db.prisma.approvalChain.update({ where: { id: chain.id }, data: { fallbackRoles } });
}

function tally(outcomes: Outcome<{ status: string }>[]) {
  const wins = outcomes.filter((o) => o.ok);
  const losses = outcomes.filter((o): o is Extract<Outcome<unknown>, { ok: false }> => !o.ok);
  return { wins: wins.length, alreadyDecided: losses.filter((o) => o.messageKey === "approvals.errors.alreadyDecided").length, other: losses.filter((o) => o.messageKey !== "approvals.errors.alreadyDecided") };
}

describe("20 concurrent decisions on one step", () => {
  it("the last step: one decision, one effect, 19 'already decided'", async () => {
    await setChain([{ kind: "ROLE", role: "HR" }]);
    const { effects, calls } = recordingEffects();
    const requester = await actorFor(db.prisma, org.people.eastStaff.id);
    const { id } = await must(db.prisma, requester, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.east.id), { effects }));
    const [step] = await stepsOf(db.prisma, id);

    const outcomes = await Promise.all(
      holders.map((actor, i) =>
        attempt(db.prisma, actor, (ctx) =>
          decideApprovalStep(ctx, { requestId: id, stepId: step.id, decision: i % 2 ? "REJECT" : "APPROVE", comment: `第${i}位`, expectedVersion: 1 }, { effects }),
        ),
      ),
    );
    const { wins, alreadyDecided, other } = tally(outcomes);
    expect(other).toEqual([]);
    expect(wins).toBe(1);
    expect(alreadyDecided).toBe(HOLDERS - 1);

    const [decided] = await stepsOf(db.prisma, id);
    const winner = outcomes.findIndex((o) => o.ok);
    expect(decided).toMatchObject({ decidedById: holders[winner].id, comment: `第${winner}位`, version: 2 });
    const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } });
    expect(request.status).toBe(winner % 2 ? "REJECTED" : "APPROVED");
    expect(request.version).toBe(2);
    expect(calls).toHaveLength(1);
    expect(await db.prisma.auditEvent.count({ where: { action: { startsWith: "test.effect." }, after: { path: ["requestId"], equals: id } } })).toBe(1);
    expect(await db.prisma.auditEvent.count({ where: { entityId: id, action: { in: ["approval.approve", "approval.reject"] } } })).toBe(1);
  });

  it("a middle step: the next step is activated once", async () => {
    await setChain([{ kind: "ROLE", role: "HR" }, { kind: "ROLE", role: "ADMIN" }]);
    const { effects, calls } = recordingEffects();
    const requester = await actorFor(db.prisma, org.people.sh1Staff.id);
    const { id } = await must(db.prisma, requester, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.sh1.id), { effects }));
    const [step] = await stepsOf(db.prisma, id);

    const outcomes = await Promise.all(holders.map((actor) => attempt(db.prisma, actor, (ctx) => decideApprovalStep(ctx, { requestId: id, stepId: step.id, decision: "APPROVE" }, { effects }))));
    const { wins, alreadyDecided, other } = tally(outcomes);
    expect([wins, alreadyDecided, other]).toEqual([1, HOLDERS - 1, []]);
    const steps = await stepsOf(db.prisma, id);
    expect(steps.map((s) => [s.status, s.version])).toEqual([["APPROVED", 2], ["PENDING", 2]]);
    expect((await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).version).toBe(2);
    expect(calls).toHaveLength(0);
  });

  it("a middle step followed by one that passes automatically: it passes once, the effect runs once", async () => {
    // The auditor asks; step 2 (the auditor, fallback the auditor) has nobody but the requester.
    await setChain([{ kind: "ROLE", role: "HR" }, { kind: "ROLE", role: "AUDITOR" }], ["AUDITOR"]);
    const { effects, calls } = recordingEffects();
    const requester = await actorFor(db.prisma, org.people.auditor.id);
    const { id } = await must(db.prisma, requester, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.east.id), { effects }));
    const [step] = await stepsOf(db.prisma, id);

    const outcomes = await Promise.all(holders.map((actor) => attempt(db.prisma, actor, (ctx) => decideApprovalStep(ctx, { requestId: id, stepId: step.id, decision: "APPROVE" }, { effects }))));
    const { wins, alreadyDecided, other } = tally(outcomes);
    expect([wins, alreadyDecided, other]).toEqual([1, HOLDERS - 1, []]);
    const steps = await stepsOf(db.prisma, id);
    expect(steps.map((s) => [s.status, s.version])).toEqual([["APPROVED", 2], ["AUTO_APPROVED", 2]]);
    expect((await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).status).toBe("APPROVED");
    expect(calls).toHaveLength(1);
    expect(await db.prisma.auditEvent.count({ where: { entityId: id, action: "approval.autoPass" } })).toBe(1);
  });
});
