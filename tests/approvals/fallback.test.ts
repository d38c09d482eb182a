import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markAccountInHandover, registerAccount, requestAccountDissolution } from "@/lib/accounts/commands";
import { accountRegisterSchema } from "@/lib/accounts/schemas";
import { updateChainCommand } from "@/lib/approvals/commands";
import { decideApprovalStep } from "@/lib/approvals/engine";
import { listChains } from "@/lib/approvals/queries";
import { chainUpdateSchema } from "@/lib/approvals/schemas";
import type { Actor } from "@/lib/server/actor";
import { DomainError } from "@/lib/server/errors";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { usePiiKey, uniquePlatformId } from "../accounts/helpers";
import { actorFor } from "../helpers/actors";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { stepsOf } from "./helpers";

// Issue 13 item 4: every chain resolves. A small company with one HR person and one ADMIN: the
// HR person asks to dissolve a leaver's account, whose chain (HR, then ADMIN) needs HR. The HR
// step falls back (ADMIN, then the privacy officer) instead of naming nobody, so the account
// does not stay in handover for ever; and since nobody decides two steps of one request, the
// ADMIN step needs someone besides that ADMIN.

let db: TestDb;
let hr: Actor;
let admin: Actor;
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

describe("the one HR person's request for a leaver's account", () => {
  it("cannot have both steps decided by the one ADMIN: refused, naming the step and the fallback", async () => {
    const id = await leaversAccount();
    expect(await askToDissolve(id)).toMatchObject({ ok: false, code: "INVALID_STATE", messageKey: "approvals.errors.noEligible.ADMIN", params: { position: 2 } });
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id } })).status).toBe("HANDOVER");
  });

  it("goes to the fallback once there is a privacy officer: the ADMIN takes the HR step, the privacy officer the ADMIN step", async () => {
    const officer = await db.prisma.$transaction((tx) => makeEmployee(tx, { departmentId, name: "个保负责人", employeeNo: "S-PO", email: "s-po@example.test", roles: ["PRIVACY_OFFICER", "EMPLOYEE"] }));
    const privacy = await actorFor(db.prisma, officer.id);
    const id = await leaversAccount();
    const asked = await askToDissolve(id);
    expect(asked.ok).toBe(true);
    const requestId = asked.ok ? asked.data.requestId : "";
    const steps = await stepsOf(db.prisma, requestId);
    expect(steps.map((s) => ({ role: s.role, status: s.status, resolution: s.resolution }))).toEqual([
      { role: "ADMIN", status: "PENDING", resolution: { code: "ROLE_FALLBACK", role: "HR", fallbackRole: "ADMIN" } },
      { role: "PRIVACY_OFFICER", status: "WAITING", resolution: { code: "ROLE_FALLBACK", role: "ADMIN", fallbackRole: "PRIVACY_OFFICER" } },
    ]);
    await inUnitOfWork(db.prisma, admin, ({ tx, audit }) => decideApprovalStep({ tx, audit, actor: admin }, { requestId, stepId: steps[0].id, decision: "APPROVE" }));
    await inUnitOfWork(db.prisma, privacy, ({ tx, audit }) => decideApprovalStep({ tx, audit, actor: privacy }, { requestId, stepId: steps[1].id, decision: "APPROVE" }));
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id } })).status).toBe("DISSOLVED");
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
