import type { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateChainCommand } from "@/lib/approvals/commands";
import { decideApprovalStep, submitApprovalRequest } from "@/lib/approvals/engine";
import { listChains } from "@/lib/approvals/queries";
import { chainUpdateSchema } from "@/lib/approvals/schemas";
import type { Actor } from "@/lib/server/actor";
import { DomainError } from "@/lib/server/errors";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { groupCreate, must, recordingEffects, seedApprovalsOrg, stepsOf, type ApprovalsOrg } from "./helpers";

// Editing approval chains on /settings/approval-chains: ADMIN only, optimistic concurrency,
// audited, validated; an edit changes requests submitted afterwards only.

let db: TestDb;
let org: ApprovalsOrg;
let admin: Actor;
let manager: Actor;
const { effects } = recordingEffects();

beforeAll(async () => {
  db = await createTestDb();
  org = await seedApprovalsOrg(db.prisma);
  admin = await actorFor(db.prisma, org.people.admin.id);
  manager = await actorFor(db.prisma, org.people.eastManager.id);
});
afterAll(async () => db?.close());

const chainOf = async (type: "GROUP_CREATE" | "GROUP_DISSOLVE" | "ACCOUNT_CREATE" | "ACCOUNT_DISSOLVE") => (await listChains(db.prisma)).find((c) => c.requestType === type)!;

/** Runs the chain editor's action the way defineAction does: zod, then the command. */
async function save(actor: Actor, raw: Record<string, unknown>) {
  const parsed = chainUpdateSchema.safeParse(raw);
  if (!parsed.success) return { ok: false as const, code: "VALIDATION", issues: parsed.error.issues.map((i) => [i.path.join("."), i.message]) };
  try {
    const input: z.output<typeof chainUpdateSchema> = parsed.data;
    return { ok: true as const, data: await inUnitOfWork(db.prisma, actor, ({ tx, audit }) => updateChainCommand({ actor, input, tx, audit })) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false as const, code: error.code, messageKey: error.messageKey, field: error.options.field };
    throw error;
  }
}

const form = (chain: { id: string; version: number }, steps: unknown[], extra: Record<string, unknown> = {}) => ({
  id: chain.id,
  version: String(chain.version),
  overdueWorkingDays: "2",
  calendarId: "",
  steps: JSON.stringify(steps),
  ...extra,
});

describe("the default chains (SPEC §3)", () => {
  it("are inserted by the migration", async () => {
    const chains = await listChains(db.prisma);
    const shape = Object.fromEntries(chains.map((c) => [c.requestType, c.steps.map((s) => `${s.kind === "ROLE" ? s.role : s.kind}${s.classifications.length ? `[${s.classifications.join(",")}]` : ""}`)]));
    expect(shape).toEqual({
      GROUP_CREATE: ["DEPARTMENT_MANAGER", "PRIVACY_OFFICER[CONFIDENTIAL,SECRET]", "ADMIN"],
      GROUP_DISSOLVE: ["DEPARTMENT_MANAGER", "PRIVACY_OFFICER[CONFIDENTIAL,SECRET]", "ADMIN"],
      ACCOUNT_CREATE: ["DEPARTMENT_MANAGER", "ADMIN"],
      ACCOUNT_DISSOLVE: ["HR", "ADMIN"],
      CONTENT_PUBLISH: ["DEPARTMENT_MANAGER", "ADMIN"],
    });
    expect(chains.every((c) => c.overdueWorkingDays === 2 && c.calendarId === null && c.version === 1)).toBe(true);
  });
});

describe("editing a chain", () => {
  it("reorders, adds a named person and a condition, bumps the version and audits before and after", async () => {
    const chain = await chainOf("ACCOUNT_CREATE");
    const outcome = await save(
      admin,
      form(chain, [
        { kind: "ROLE", role: "ADMIN", classifications: [] },
        { kind: "PERSON", person: org.people.privacy.email.toUpperCase(), classifications: ["SECRET"] },
        { kind: "DEPARTMENT_MANAGER", classifications: [] },
      ], { overdueWorkingDays: "3" }),
    );
    expect(outcome).toEqual({ ok: true, data: { id: chain.id } });
    const after = await chainOf("ACCOUNT_CREATE");
    expect(after).toMatchObject({ version: 2, overdueWorkingDays: 3 });
    expect(after.steps.map((s) => [s.position, s.kind, s.role, s.person?.id ?? null, s.classifications])).toEqual([
      [1, "ROLE", "ADMIN", null, []],
      [2, "PERSON", null, org.people.privacy.id, ["SECRET"]],
      [3, "DEPARTMENT_MANAGER", null, null, []],
    ]);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "approvalChain.update", entityId: chain.id } });
    expect(event.before).toMatchObject({ requestType: "ACCOUNT_CREATE", version: 1, steps: [{ kind: "DEPARTMENT_MANAGER" }, { kind: "ROLE", role: "ADMIN" }] });
    expect(event.after).toMatchObject({ version: 2, overdueWorkingDays: 3, steps: [{ role: "ADMIN" }, { personId: org.people.privacy.id, condition: { classifications: ["SECRET"] } }, {}] });
  });

  it("refuses a stale version (someone saved in between)", async () => {
    const chain = await chainOf("ACCOUNT_DISSOLVE");
    const steps = [{ kind: "ROLE", role: "HR", classifications: [] }];
    expect(await save(admin, form(chain, steps))).toMatchObject({ ok: true });
    expect(await save(admin, form(chain, steps))).toMatchObject({ ok: false, code: "STALE", messageKey: "errors.stale" });
  });

  it("is for holders of approvals.configure only", async () => {
    const chain = await chainOf("ACCOUNT_DISSOLVE");
    expect(await save(manager, form(chain, [{ kind: "ROLE", role: "HR", classifications: [] }]))).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("answers each mistake beside its field", async () => {
    const chain = await chainOf("ACCOUNT_DISSOLVE");
    const issues = async (steps: unknown, extra: Record<string, unknown> = {}) => {
      const r = await save(admin, { ...form(chain, []), steps: typeof steps === "string" ? steps : JSON.stringify(steps), ...extra });
      return r.ok ? null : "issues" in r ? r.issues : [[r.field, r.messageKey]];
    };
    expect(await issues([])).toEqual([["steps", "approvals.v.stepsRequired"]]);
    expect(await issues("{not json")).toEqual([["steps", "approvals.v.stepsInvalid"]]);
    expect(await issues([{ kind: "ROLE", classifications: [] }])).toEqual([["steps.0.role", "approvals.v.roleRequired"]]);
    expect(await issues([{ kind: "ROLE", role: "ADMIN", classifications: [] }, { kind: "PERSON", classifications: [] }])).toEqual([["steps.1.person", "approvals.v.personRequired"]]);
    expect(await issues([{ kind: "ROLE", role: "KING", classifications: [] }])).toEqual([["steps.0.role", "errors.v.invalidChoice"]]);
    expect(await issues([{ kind: "ROLE", role: "ADMIN", classifications: ["SECRET"] }])).toEqual([["steps", "approvals.v.needsUnconditionalStep"]]);
    expect(await issues(Array.from({ length: 11 }, () => ({ kind: "ROLE", role: "ADMIN", classifications: [] })))).toEqual([["steps", "approvals.v.tooManySteps"]]);
    expect(await issues([{ kind: "ROLE", role: "ADMIN", classifications: [] }], { overdueWorkingDays: "0" })).toEqual([["overdueWorkingDays", "approvals.v.overdueRange"]]);
    expect(await issues([{ kind: "ROLE", role: "ADMIN", classifications: [] }, { kind: "PERSON", person: "NOBODY-1", classifications: [] }])).toEqual([["steps.1.person", "approvals.errors.personNotFound"]]);
    await db.prisma.employee.update({ where: { id: org.people.southStaff.id }, data: { status: "DEPARTED" } });
    expect(await issues([{ kind: "PERSON", person: org.people.southStaff.employeeNo, classifications: [] }])).toEqual([["steps.0.person", "approvals.errors.personNotActive"]]);
    expect(await issues([{ kind: "ROLE", role: "ADMIN", classifications: [] }], { calendarId: "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz" })).toEqual([["calendarId", "approvals.errors.calendarNotFound"]]);
    expect((await chainOf("ACCOUNT_DISSOLVE")).version).toBe(chain.version);
  });
});

describe("a chain edit affects new requests only", () => {
  it("a pending request keeps the steps it was submitted with; a new one gets the new chain", async () => {
    const requester = await actorFor(db.prisma, org.people.eastStaff.id);
    const { id: before } = await must(db.prisma, requester, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.east.id, "SECRET"), { effects }));

    const chain = await chainOf("GROUP_CREATE");
    expect(await save(admin, form(chain, [{ kind: "ROLE", role: "HR", classifications: [] }], { overdueWorkingDays: "5" }))).toMatchObject({ ok: true });

    const old = await stepsOf(db.prisma, before);
    expect(old.map((s) => s.approverId ?? s.role)).toEqual([org.people.eastManager.id, "PRIVACY_OFFICER", "ADMIN"]);
    await must(db.prisma, manager, (ctx) => decideApprovalStep(ctx, { requestId: before, stepId: old[0].id, decision: "APPROVE" }, { effects }));
    const next = await stepsOf(db.prisma, before);
    expect(next[1].status).toBe("PENDING");
    const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: before } });
    expect([request.chainVersion, request.overdueWorkingDays]).toEqual([1, 2]);

    const { id: after } = await must(db.prisma, requester, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.east.id, "SECRET"), { effects }));
    expect((await stepsOf(db.prisma, after)).map((s) => s.role)).toEqual(["HR"]);
    expect(await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: after } })).toMatchObject({ chainVersion: 2, overdueWorkingDays: 5 });
  });
});
