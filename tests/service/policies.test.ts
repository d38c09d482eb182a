import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase } from "@/lib/service/commands";
import { deletePolicy, savePolicy } from "@/lib/service/policies";
import { createCaseSchema, policyRefSchema, policySchema } from "@/lib/service/schemas";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedServiceOrg, sh, type ServiceOrg } from "./helpers";

// SLA policies (sla.configure): validation, the catch-all that must remain, versions, and
// editing that changes new cases only.

let db: TestDb;
let org: ServiceOrg;
beforeAll(async () => {
  db = await createTestDb();
  org = await seedServiceOrg(db.prisma);
});
afterAll(async () => db?.close());

const base = { name: "电话咨询", nameEn: "Phone inquiry", position: "5", channel: "PHONE", caseType: "INQUIRY", priority: "", firstResponseMinutes: "15", resolutionMinutes: "120", clock: "BUSINESS", calendarId: "", active: "on" };

describe("SLA policies", () => {
  it("refuses a resolution target shorter than the first response, a zero target, and anyone without sla.configure", async () => {
    expect(await run(db.prisma, org.actors.admin, policySchema, { ...base, resolutionMinutes: "10" }, savePolicy)).toMatchObject({ ok: false, fieldErrors: { resolutionMinutes: ["service.v.resolutionBeforeFirstResponse"] } });
    expect(await run(db.prisma, org.actors.admin, policySchema, { ...base, firstResponseMinutes: "0" }, savePolicy)).toMatchObject({ ok: false, fieldErrors: { firstResponseMinutes: ["service.v.minutesRange"] } });
    expect(await run(db.prisma, org.actors.manager, policySchema, base, savePolicy)).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("a new policy applies to new cases; editing it leaves existing cases as they were", async () => {
    const { id } = expectOk(await run(db.prisma, org.actors.admin, policySchema, base, savePolicy));
    const mk = async () =>
      expectOk(await run(db.prisma, org.actors.a1, createCaseSchema, { title: "电话咨询", customerName: "客户", channel: "PHONE", caseType: "INQUIRY", priority: "LOW", receivedAt: "2026-06-02T09:00" }, (ctx) => createCase({ ...ctx, now: sh("2026-06-02T09:00:00") })));
    const first = await db.prisma.serviceCase.findUniqueOrThrow({ where: { id: (await mk()).id } });
    expect(first).toMatchObject({ policyName: "电话咨询", firstResponseMinutes: 15 });
    const p = await db.prisma.slaPolicy.findUniqueOrThrow({ where: { id } });
    expectOk(await run(db.prisma, org.actors.admin, policySchema, { ...base, id, version: String(p.version), firstResponseMinutes: "45" }, savePolicy));
    // A stale form is refused.
    expect(await run(db.prisma, org.actors.admin, policySchema, { ...base, id, version: String(p.version), firstResponseMinutes: "50" }, savePolicy)).toMatchObject({ ok: false, code: "STALE" });
    const second = await db.prisma.serviceCase.findUniqueOrThrow({ where: { id: (await mk()).id } });
    expect(second.firstResponseMinutes).toBe(45);
    expect(await db.prisma.serviceCase.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ firstResponseMinutes: 15, firstResponseDueAt: first.firstResponseDueAt });
    const p2 = await db.prisma.slaPolicy.findUniqueOrThrow({ where: { id } });
    expectOk(await run(db.prisma, org.actors.admin, policyRefSchema, { id, version: p2.version }, deletePolicy));
  });

  it("the last active catch-all policy can be neither deleted nor deactivated", async () => {
    const catchAll = await db.prisma.slaPolicy.findFirstOrThrow({ where: { channel: null, caseType: null, priority: null } });
    expect(await run(db.prisma, org.actors.admin, policyRefSchema, { id: catchAll.id, version: catchAll.version }, deletePolicy)).toMatchObject({ ok: false, messageKey: "service.errors.lastCatchAll" });
    const raw = { ...base, id: catchAll.id, version: String(catchAll.version), name: catchAll.name, nameEn: catchAll.nameEn, position: String(catchAll.position), channel: "", caseType: "", firstResponseMinutes: "60", resolutionMinutes: "2400", active: "" };
    expect(await run(db.prisma, org.actors.admin, policySchema, raw, savePolicy)).toMatchObject({ ok: false, messageKey: "service.errors.lastCatchAll" });
    expect(await db.prisma.slaPolicy.findUniqueOrThrow({ where: { id: catchAll.id } })).toMatchObject({ active: true, version: catchAll.version });
  });
});
