import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorFor } from "../helpers/actors";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { confirmCaseImport, discardCaseImport, stageCaseImport } from "@/lib/service/import";
import { parseCaseCsv } from "@/lib/service/import-parse";
import { attainment, openBreaches, rate, reportRange } from "@/lib/service/reports";
import { importRefSchema, importTextSchema } from "@/lib/service/schemas";
import { seedServiceOrg, sh, type ServiceOrg } from "./helpers";
import { seedDemo } from "@/prisma/seed";

// Reports (SQL counts and percentile_cont), the CSV import (preview then confirm, all or
// nothing) and the demo seed.

let db: TestDb;
let org: ServiceOrg;
beforeAll(async () => {
  db = await createTestDb();
  org = await seedServiceOrg(db.prisma);
});
afterAll(async () => db?.close());

const HEADER = "标题,客户名称,渠道,类型,优先级,团队,处理人,接收时间,首次响应时间,解决时间,处理结果";

function csv(rows: string[]) {
  return [HEADER, ...rows].join("\r\n");
}

describe("CSV import", () => {
  it("lists every problem of every row (unknown channel or priority, resolved before received, unknown team) and imports nothing", async () => {
    const text = csv([
      `咨询发票,张先生,传真,咨询,普通,${org.team.code},,2026-03-10 09:00,,,`,
      `投诉退款,李女士,电话,投诉,特急,${org.team.code},,2026-03-10 09:00,,,`,
      `投诉配送,王先生,PHONE,COMPLAINT,HIGH,${org.team.code},,2026-03-10 09:00,2026-03-10 08:00,2026-03-10 08:30,已处理`,
      `建议,赵先生,小程序,建议,低,NOPE,,2026-03-10 09:00,,,`,
      `好的一行,钱先生,公众号,咨询,紧急,${org.team.code},,2026-03-10 09:00,,,`,
    ]);
    const parsed = parseCaseCsv(text, sh("2026-03-12T00:00:00"));
    expect(parsed.rows[0].problems).toEqual([{ field: "channel", key: "service.import.problems.unknown_channel", params: { value: "传真" } }]);
    expect(parsed.rows[1].problems).toEqual([{ field: "priority", key: "service.import.problems.unknown_priority", params: { value: "特急" } }]);
    expect(parsed.rows[2].problems.map((p) => p.key)).toEqual(["service.import.problems.firstResponseBeforeReceived", "service.import.problems.resolvedBeforeReceived"]);

    const admin = org.actors.admin;
    const staged = expectOk(await run(db.prisma, admin, importTextSchema, { fileName: "bad.csv", csv: text }, stageCaseImport));
    const imp = await db.prisma.serviceCaseImport.findUniqueOrThrow({ where: { id: staged.importId } });
    expect(imp).toMatchObject({ totalRows: 5, validCount: 1, invalidCount: 4 });
    const rows = imp.rows as { problems: { key: string }[] }[];
    expect(rows[3].problems.map((p) => p.key)).toEqual(["service.import.problems.unknownTeam"]);

    const before = await db.prisma.serviceCase.count();
    expect(await run(db.prisma, admin, importRefSchema, { importId: staged.importId }, confirmCaseImport)).toMatchObject({ ok: false, code: "INVALID_STATE", messageKey: "service.import.hasInvalid", params: { count: 4 } });
    expect(await db.prisma.serviceCase.count()).toBe(before);
    expectOk(await run(db.prisma, admin, importRefSchema, { importId: staged.importId }, discardCaseImport));
  });

  it("a quote that never closes is that row's problem; the rows after it are still read", async () => {
    const text = csv([
      `好的一行,钱先生,公众号,咨询,紧急,${org.team.code},,2026-03-10 09:00,,,`,
      `"引号没结束,钱先生,公众号,咨询,紧急,${org.team.code},,2026-03-10 09:00,,,`,
      `又一行,孙先生,公众号,咨询,紧急,${org.team.code},,2026-03-10 09:00,,,`,
    ]);
    const parsed = parseCaseCsv(text, sh("2026-03-12T00:00:00"));
    expect(parsed.fileProblem).toBeNull();
    expect(parsed.rows.map((r) => [r.line, r.problems.map((p) => p.key)[0] ?? null])).toEqual([
      [2, null],
      [3, "service.import.problems.unterminatedQuote"],
      [4, null],
    ]);
    expect(parseCaseCsv(`"${HEADER}`).fileProblem).toMatchObject({ key: "service.import.problems.unterminatedQuote", params: { line: 1 } });
  });

  it("a file without a required column is refused as a whole; an agent may not import", async () => {
    expect(await run(db.prisma, org.actors.admin, importTextSchema, { csv: "标题,客户名称\r\nx,y" }, stageCaseImport)).toMatchObject({ ok: false, field: "csv", messageKey: "service.import.missingColumns" });
    expect(await run(db.prisma, org.actors.a1, importTextSchema, { csv: csv([]) }, stageCaseImport)).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("a clean file is previewed, then confirmed into cases with due times from the policies", async () => {
    const text = csv([
      `咨询发票,张先生,电话,咨询,普通,${org.team.code},${org.people.a1.email},2026-03-10 09:00,2026-03-10 09:20,2026-03-10 11:00,已开具`,
      `投诉退款,李女士,企业微信客户,投诉,紧急,${org.team.code},,2026-03-10 09:00,,,`,
    ]);
    const staged = expectOk(await run(db.prisma, org.actors.admin, importTextSchema, { fileName: "ok.csv", csv: text }, stageCaseImport));
    const done = expectOk(await run(db.prisma, org.actors.admin, importRefSchema, staged, (ctx) => confirmCaseImport(ctx, sh("2026-03-10T12:00:00"))));
    expect(done.created).toBe(2);
    const cases = await db.prisma.serviceCase.findMany({ where: { importId: staged.importId }, orderBy: { caseType: "asc" } });
    expect(cases[0]).toMatchObject({ caseType: "INQUIRY", status: "RESOLVED", policyName: "普通咨询", assigneeId: org.people.a1.id, firstResponseSeconds: 20 * 60, resolutionSeconds: 120 * 60 });
    expect(cases[1]).toMatchObject({ caseType: "COMPLAINT", status: "OPEN", policyName: "紧急投诉" });
    expect(cases[1].firstResponseDueAt.toISOString()).toBe(sh("2026-03-10T09:10:00").toISOString());
    // Imported already breached: escalated on confirmation.
    expect(await db.prisma.serviceEscalation.count({ where: { caseId: cases[1].id } })).toBe(1);
    // Twice is refused.
    expect(await run(db.prisma, org.actors.admin, importRefSchema, staged, confirmCaseImport)).toMatchObject({ ok: false, messageKey: "service.import.notReady" });
  });
});

describe("reports", () => {
  it("counts met and breached per team and channel, with median and p90 from the database, scoped to the reader", async () => {
    const now = sh("2026-03-13T12:00:00");
    const range = reportRange({ from: "2026-03-09", to: "2026-03-13" }, now);
    const rows = await attainment(org.actors.admin, db.prisma, "channel", range, now);
    const phone = rows.find((r) => r.key === "PHONE")!;
    expect(phone).toMatchObject({ total: 1, frMet: 1, frBreached: 0, resMet: 1, resBreached: 0, frMedian: 20, resMedian: 120 });
    const wecom = rows.find((r) => r.key === "WECOM_CONTACT")!;
    expect(wecom).toMatchObject({ total: 1, frMet: 0, frBreached: 1, resBreached: 1, frMedian: null });
    expect(rate(phone.frMet, phone.frBreached)).toBe(1);
    const team = await attainment(org.actors.manager, db.prisma, "team", range, now);
    expect(team).toEqual([expect.objectContaining({ key: org.team.id, label: "在线客服", total: 2 })]);
    // An agent outside the team sees none of it.
    expect(await attainment(org.actors.outsider, db.prisma, "team", range, now)).toEqual([]);
    const breaches = await openBreaches(org.actors.manager, db.prisma, now);
    expect(breaches).toEqual([expect.objectContaining({ title: "投诉退款", nextTarget: "FIRST_RESPONSE", escalated: true })]);
  });

  it("percentiles: p90 over ten resolved cases", async () => {
    const agent = await actorFor(db.prisma, org.people.a2.id);
    const lines = Array.from({ length: 10 }, (_, i) => `问题${i},客户${i},微信群,咨询,普通,${org.team.code},${org.people.a2.email},2026-04-07 09:00,2026-04-07 09:${String(i + 1).padStart(2, "0")},2026-04-07 10:00,已答复`);
    const staged = expectOk(await run(db.prisma, org.actors.admin, importTextSchema, { csv: csv(lines) }, stageCaseImport));
    expectOk(await run(db.prisma, org.actors.admin, importRefSchema, staged, confirmCaseImport));
    const range = reportRange({ from: "2026-04-06", to: "2026-04-12" });
    const [row] = (await attainment(org.actors.admin, db.prisma, "agent", range)).filter((r) => r.key === agent.id);
    expect(row.total).toBe(10);
    // First responses at 1..10 minutes: median 5.5, p90 (linear interpolation) 9.1.
    expect(row.frMedian).toBeCloseTo(5.5, 5);
    expect(row.frP90).toBeCloseTo(9.1, 5);
    expect((await attainment(org.actors.admin, db.prisma, "week", range)).map((r) => r.key)).toEqual(["2026-04-06"]);
  });
});

describe("demo seed", () => {
  it("seeds dozens of cases in every state, with escalated complaints, so the reports are not empty", async () => {
    const demo = await createTestDb();
    try {
      expect(await seedDemo(demo.prisma, () => {})).toBe(true);
      const byStatus = await demo.prisma.serviceCase.groupBy({ by: ["status"], _count: { _all: true } });
      expect(byStatus.map((s) => s.status).sort()).toEqual(["CLOSED", "OPEN", "RESOLVED", "WAITING_CUSTOMER"]);
      expect(await demo.prisma.serviceCase.count()).toBeGreaterThanOrEqual(40);
      expect(await demo.prisma.serviceEscalation.count()).toBeGreaterThan(0);
      expect(await demo.prisma.serviceCase.count({ where: { status: "CLOSED", caseType: "COMPLAINT", closure: "NO_ANSWER" } })).toBeGreaterThan(0);
      const admin = await demo.prisma.employee.findUniqueOrThrow({ where: { email: "admin@wegovern.demo" } });
      const rows = await attainment(await actorFor(demo.prisma, admin.id), demo.prisma, "team", reportRange({}));
      expect(rows.reduce((n, r) => n + r.frMet, 0)).toBeGreaterThan(10);
      expect(rows.reduce((n, r) => n + r.frBreached + r.resBreached, 0)).toBeGreaterThan(0);
    } finally {
      await demo.close();
    }
    // The demo seed fills a whole database: as long as the other demo-seed tests' setup (hookTimeout).
  }, 180_000);
});
