import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/server/errors";
import { INTERCEPT_LIMITS, contentWords, planInterceptRules, publishInterceptRules, ruleName } from "@/lib/wecom/intercept";
import type { SimRule } from "@/scripts/wecom-sim/compliance";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { seedOrganisation, type Organisation } from "../directory/helpers";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { customersClient, injectFaults, usePiiKey } from "./helpers";

// Issue 15 item 6 against the simulator and PostgreSQL: the content rules' words published as
// WeCom sensitive-word intercept rules — split at 300 words a rule, words over 32 characters
// refused, rule names within 20 characters, the 100-rule company limit (counting rules made in
// WeCom's console) refusing the push before any change; publishing again updates the same rules
// (departments added and removed, type changed), deletes the rules no longer needed, and makes
// again a rule deleted in WeCom's console; each rule's errcode kept; one push at a time; audited.

beforeAll(() => usePiiKey());

const ACTOR = { id: null, label: "admin@example.test", ip: null };

describe("planInterceptRules", () => {
  it("splits at 300 words, drops duplicates and blanks, refuses words over 32 characters", () => {
    const words = Array.from({ length: 601 }, (_, i) => `词${i}`);
    const long = "超".repeat(33);
    const plan = planInterceptRules([...words, "词0", "  ", long, "恰".repeat(32)]);
    expect(plan.chunks.map((c) => c.length)).toEqual([300, 300, 2]);
    expect(plan.words).toBe(602);
    expect(plan.refused).toEqual([{ word: long, reason: "tooLong" }]);
    for (let n = 1; n <= INTERCEPT_LIMITS.rules; n++) expect(Array.from(ruleName(n)).length).toBeLessThanOrEqual(INTERCEPT_LIMITS.nameChars);
  });
});

describe("publishing to WeCom", () => {
  let db: TestDb;
  let sim: WeComSim;
  let org: Organisation;
  let baseWords: number;
  const client = () => customersClient(db.prisma, sim);
  const simRules = async () => ((await (await fetch(`${sim.url}/__sim/compliance/rules`)).json()) as { rules: SimRule[] }).rules;

  beforeAll(async () => {
    db = await createTestDb();
    sim = await startWeComSim({ size: "small" });
    org = await seedOrganisation(db.prisma);
    await db.prisma.department.update({ where: { id: org.dept.east.id }, data: { wecomId: 2 } });
    await db.prisma.department.update({ where: { id: org.dept.south.id }, data: { wecomId: 3 } });
    baseWords = planInterceptRules(await contentWords(db.prisma)).words;
    // 650 more words and one too long for WeCom, on a rule list of their own.
    const rule = await db.prisma.contentRule.create({ data: { code: "EXTRA", kind: "SENSITIVE", nameZh: "测试词库", nameEn: "Test words", article: "测试" } });
    await db.prisma.contentTerm.createMany({ data: [...Array.from({ length: 650 }, (_, i) => ({ ruleId: rule.id, term: `测试词${String(i).padStart(3, "0")}` })), { ruleId: rule.id, term: "这".repeat(33) }] });
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.close();
  });

  it("refuses a department that is not from WeCom, before any call", async () => {
    await expect(publishInterceptRules(db.prisma, client(), ACTOR, { departmentIds: [org.dept.hr.id], interceptType: 1 })).rejects.toMatchObject({ messageKey: "wecom.intercept.errors.departmentNotInWeCom" });
    expect(sim.stats().calls["/externalcontact/add_intercept_rule"]).toBeUndefined();
    expect(await db.prisma.weComInterceptPush.count()).toBe(0);
  });

  it("creates one rule per 300 words for the chosen departments and records what WeCom answered", async () => {
    const words = baseWords + 650;
    const needed = Math.ceil(words / 300);
    const out = await publishInterceptRules(db.prisma, client(), ACTOR, { departmentIds: [org.dept.east.id, org.dept.south.id], interceptType: 1 });
    expect(out.status).toBe("DONE");
    expect(out.words).toBe(words);
    expect(out.refused).toEqual([{ word: "这".repeat(33), reason: "tooLong" }]);
    expect(out.results.map((r) => r.action)).toEqual(Array(needed).fill("created"));
    const rules = await simRules();
    expect(rules).toHaveLength(needed);
    expect(rules.map((r) => r.word_list.length).reduce((a, b) => a + b, 0)).toBe(words);
    for (const r of rules) {
      expect(r.word_list.length).toBeLessThanOrEqual(300);
      expect(r.intercept_type).toBe(1);
      expect(r.applicable_range.department_list).toEqual([2, 3]);
    }
    expect((await db.prisma.weComInterceptRule.findMany({ orderBy: { slot: "asc" } })).map((r) => r.ruleId)).toEqual(out.results.map((r) => r.ruleId));
    const push = await db.prisma.weComInterceptPush.findUniqueOrThrow({ where: { id: out.pushId } });
    expect(push.status).toBe("DONE");
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "wecom.intercept.publish", entityId: out.pushId } });
    expect(audit.after).toMatchObject({ status: "DONE", words, refused: 1, departmentWecomIds: [2, 3] });
  });

  it("publishing again updates the same rules: fewer words, another type, a department removed", async () => {
    const before = await db.prisma.weComInterceptRule.findMany({ orderBy: { slot: "asc" } });
    await db.prisma.contentRule.update({ where: { code: "EXTRA" }, data: { active: false } });
    const out = await publishInterceptRules(db.prisma, client(), ACTOR, { departmentIds: [org.dept.south.id], interceptType: 2 });
    expect(out.status).toBe("DONE");
    const needed = Math.ceil(baseWords / 300);
    expect(out.results.filter((r) => r.action === "updated").map((r) => r.ruleId)).toEqual(before.slice(0, needed).map((r) => r.ruleId));
    expect(out.results.filter((r) => r.action === "deleted").map((r) => r.ruleId)).toEqual(before.slice(needed).map((r) => r.ruleId));
    const rules = await simRules();
    expect(rules.map((r) => r.rule_id)).toEqual(before.slice(0, needed).map((r) => r.ruleId));
    expect(rules[0].intercept_type).toBe(2);
    expect(rules[0].applicable_range.department_list).toEqual([3]);
    expect(await db.prisma.weComInterceptRule.count()).toBe(needed);
    expect(sim.stats().calls["/externalcontact/add_intercept_rule"]).toBe(Math.ceil((baseWords + 650) / 300)); // none added this time
  });

  it("makes again a rule deleted in WeCom's console, and keeps each rule's errcode when WeCom refuses", async () => {
    const [slot1] = await db.prisma.weComInterceptRule.findMany({ orderBy: { slot: "asc" } });
    await client().delInterceptRule(slot1.ruleId);
    const again = await publishInterceptRules(db.prisma, client(), ACTOR, { departmentIds: [org.dept.south.id], interceptType: 2 });
    expect(again.results[0]).toMatchObject({ slot: 1, action: "recreated" });
    expect(again.results[0].ruleId).not.toBe(slot1.ruleId);

    await db.prisma.contentRule.update({ where: { code: "EXTRA" }, data: { active: true } });
    await injectFaults(sim, { path: "/externalcontact/add_intercept_rule", kind: "errcode", errcode: 48002, times: 10 });
    const partial = await publishInterceptRules(db.prisma, client(), ACTOR, { departmentIds: [org.dept.south.id], interceptType: 2 });
    expect(partial.status).toBe("PARTIAL");
    const failed = partial.results.filter((r) => r.action === "failed");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]).toMatchObject({ errcode: 48002 });
    expect(failed[0].zh).toMatch(/权限/);
    await fetch(`${sim.url}/__sim/faults`, { method: "POST", body: JSON.stringify({ clear: true }) });
  });

  it("refuses, before any change, a push whose rules do not fit beside the rules made in WeCom's console", async () => {
    const c = client();
    const ours = await db.prisma.weComInterceptRule.count();
    for (let i = 0; i < INTERCEPT_LIMITS.rules - ours; i++) await c.addInterceptRule({ rule_name: `控制台规则${i}`, word_list: [`控制台${i}`], intercept_type: 1, applicable_range: { department_list: [2] } });
    const calls = sim.stats().calls["/externalcontact/update_intercept_rule"] ?? 0;
    const error = await publishInterceptRules(db.prisma, c, ACTOR, { departmentIds: [org.dept.south.id], interceptType: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ messageKey: "wecom.intercept.errors.tooManyRules" });
    expect((error as DomainError).options.params).toMatchObject({ needed: Math.ceil((baseWords + 650) / 300), capacity: ours });
    expect(sim.stats().calls["/externalcontact/update_intercept_rule"] ?? 0).toBe(calls);
  });

  it("runs one push at a time", async () => {
    await db.prisma.contentRule.update({ where: { code: "EXTRA" }, data: { active: false } });
    await db.prisma.weComInterceptPush.create({ data: { id: "running0000000000000000", status: "RUNNING", interceptType: 1, departmentIds: [], createdAt: new Date() } });
    await expect(publishInterceptRules(db.prisma, client(), ACTOR, { departmentIds: [org.dept.south.id], interceptType: 1 })).rejects.toMatchObject({ messageKey: "wecom.intercept.errors.busy" });
  });
});
