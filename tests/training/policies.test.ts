import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmployee } from "@/lib/directory/commands";
import { employeeCreateSchema } from "@/lib/directory/schemas";
import { acknowledgePolicy, publishPolicyVersion } from "@/lib/training/commands";
import { acknowledgeSchema, publishPolicySchema } from "@/lib/training/schemas";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedTrainingOrg, type Org } from "./helpers";

// Policy acknowledgement: a version asks every active employee; an acknowledgement records who,
// which version and when; a new version asks everyone again with its own due period.

let db: TestDb;
let org: Org;
let documentId: string;
beforeAll(async () => {
  db = await createTestDb();
  org = await seedTrainingOrg(db.prisma);
  documentId = (await db.prisma.policyDocument.create({ data: { code: "HANDBOOK-WECHAT", titleZh: "员工手册·微信", titleEn: "Handbook: WeChat" } })).id;
});
afterAll(async () => db?.close());

const publish = (currentVersionNo: number, due = "5", actor = org.actors.admin, now?: Date) =>
  run(db.prisma, actor, publishPolicySchema, { documentId, body: `# 第 ${currentVersionNo + 1} 版`, summary: "", dueWorkingDays: due, currentVersionNo: String(currentVersionNo) }, (ctx) => publishPolicyVersion(ctx, { now }));
const ack = (actor: Org["actors"][keyof Org["actors"]], versionId: string, now?: Date) => run(db.prisma, actor, acknowledgeSchema, { versionId }, (ctx) => acknowledgePolicy(ctx, { now }));

describe("policy versions", () => {
  let v1: string;
  let v2: string;
  const T1 = new Date("2026-11-02T02:00:00Z"); // Monday 10:00 in China

  it("publishing v1 asks every active employee, due N working days later", async () => {
    const out = expectOk(await publish(0, "5", org.actors.admin, T1));
    v1 = out.versionId;
    expect(out).toMatchObject({ versionNo: 1, asked: 8 });
    const asks = await db.prisma.policyAcknowledgement.findMany({ where: { versionId: v1 } });
    expect(asks).toHaveLength(8);
    // Five working days after Monday 2 November: Monday 9 November, close of business (18:00 China).
    expect(asks[0].dueAt.toISOString()).toBe("2026-11-09T10:00:00.000Z");
    expect(asks.some((a) => a.employeeId === org.people.leaving.id || a.employeeId === org.people.gone.id)).toBe(false);
  });

  it("an acknowledgement records who, which version and when; twice is refused", async () => {
    const at = new Date("2026-11-03T03:00:00Z");
    expectOk(await ack(org.actors.hz1, v1, at));
    const row = await db.prisma.policyAcknowledgement.findUniqueOrThrow({ where: { versionId_employeeId: { versionId: v1, employeeId: org.people.hz1.id } }, include: { policyVersion: true } });
    expect(row).toMatchObject({ employeeId: org.people.hz1.id, acknowledgedAt: at, current: true });
    expect(row.policyVersion.versionNo).toBe(1);
    expect(await ack(org.actors.hz1, v1)).toMatchObject({ ok: false, code: "INVALID_STATE", messageKey: "training.errors.alreadyAcknowledged" });
  });

  it("a version one was not asked about is refused", async () => {
    expect(await ack(org.actors.leaving, v1)).toMatchObject({ ok: false, code: "INVALID_STATE", messageKey: "training.errors.policyNotAsked" });
  });

  it("publishing v2 asks everyone again, including those who acknowledged v1, with its own due period", async () => {
    const T2 = new Date("2026-11-16T02:00:00Z");
    const out = expectOk(await publish(1, "3", org.actors.admin, T2));
    v2 = out.versionId;
    expect(out).toMatchObject({ versionNo: 2, asked: 8 });
    const hz1 = await db.prisma.policyAcknowledgement.findMany({ where: { employeeId: org.people.hz1.id }, orderBy: { askedAt: "asc" }, include: { policyVersion: true } });
    expect(hz1.map((r) => [r.policyVersion.versionNo, r.current, r.acknowledgedAt !== null])).toEqual([
      [1, false, true],
      [2, true, false],
    ]);
    expect(hz1[1].dueAt.toISOString()).toBe("2026-11-19T10:00:00.000Z");
    // The old version can no longer be acknowledged; the new one can.
    expect(await ack(org.actors.hz2, v1)).toMatchObject({ ok: false, messageKey: "training.errors.policySuperseded" });
    expectOk(await ack(org.actors.hz2, v2));
  });

  it("two publishers from the same page: the second is told it is stale", async () => {
    expect(await publish(1)).toMatchObject({ ok: false, code: "STALE" });
    expect(await db.prisma.policyVersion.count({ where: { documentId } })).toBe(2);
  });

  it("only an administrator publishes", async () => {
    expect(await publish(2, "5", org.actors.hr)).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("a new hire is asked for the current version at once", async () => {
    const made = expectOk(
      await run(db.prisma, org.actors.hr, employeeCreateSchema, { employeeNo: "NEW-P", name: "新人", email: "newp@example.test", departmentId: org.dept.it.id, hireDate: "2026-03-02", roles: "EMPLOYEE" }, createEmployee),
    );
    const rows = await db.prisma.policyAcknowledgement.findMany({ where: { employeeId: made.id } });
    expect(rows.map((r) => r.versionId)).toEqual([v2]);
  });
});

describe("a new policy document", () => {
  it("is created with version 1 asked of everyone active; its code is unique", async () => {
    const { createPolicy } = await import("@/lib/training/commands");
    const { newPolicySchema } = await import("@/lib/training/schemas");
    const make = () => run(db.prisma, org.actors.admin, newPolicySchema, { code: "data-handling", titleZh: "数据处理规范", titleEn: "Data handling", body: "# 规范", dueWorkingDays: "10" }, (ctx) => createPolicy(ctx));
    const out = expectOk(await make());
    expect(out.asked).toBe(await db.prisma.employee.count({ where: { status: "ACTIVE" } }));
    expect((await db.prisma.policyDocument.findUniqueOrThrow({ where: { code: "DATA-HANDLING" } })).currentVersionNo).toBe(1);
    expect(await make()).toMatchObject({ ok: false, code: "CONFLICT", field: "code" });
  });
});
