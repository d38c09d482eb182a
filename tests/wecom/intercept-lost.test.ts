import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentWords, planInterceptRules, publishInterceptRules, ruleName } from "@/lib/wecom/intercept";
import type { SimRule } from "@/scripts/wecom-sim/compliance";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { seedOrganisation, type Organisation } from "../directory/helpers";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { customersClient, injectFaults, usePiiKey } from "./helpers";

// Intercept rules are never made twice (issue 15 item 6, review note): WeCom makes a rule but its
// answer (the rule id) never reaches the portal — a timeout here, the same as a worker killed
// between WeCom's answer and the record. The next push lists WeCom's rules, finds the rule by its
// name, records it for its slot and updates it: WeCom ends with one rule per slot, not two.

beforeAll(() => usePiiKey());
const ACTOR = { id: null, label: "admin@example.test", ip: null };

describe("a push whose add_intercept_rule answer was lost", () => {
  let db: TestDb;
  let sim: WeComSim;
  let org: Organisation;
  const simRules = async () => ((await (await fetch(`${sim.url}/__sim/compliance/rules`)).json()) as { rules: SimRule[] }).rules;

  beforeAll(async () => {
    db = await createTestDb();
    sim = await startWeComSim({ size: "tiny" });
    org = await seedOrganisation(db.prisma);
    await db.prisma.department.update({ where: { id: org.dept.east.id }, data: { wecomId: 2 } });
    await db.prisma.department.update({ where: { id: org.dept.south.id }, data: { wecomId: 3 } });
    // Enough words for at least two rules.
    const rule = await db.prisma.contentRule.create({ data: { code: "EXTRA", kind: "SENSITIVE", nameZh: "测试词库", nameEn: "Test words", article: "测试" } });
    await db.prisma.contentTerm.createMany({ data: Array.from({ length: 400 }, (_, i) => ({ ruleId: rule.id, term: `测试词${String(i).padStart(3, "0")}` })) });
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.close();
  });

  it("adopts the rule WeCom made (found by name) instead of making a second one", async () => {
    const needed = planInterceptRules(await contentWords(db.prisma)).chunks.length;
    expect(needed).toBeGreaterThanOrEqual(2);
    // WeCom makes slot 1's rule at once and answers 1.5 s later; the client gives up after 0.3 s.
    await injectFaults(sim, { path: "/externalcontact/add_intercept_rule", kind: "slowReply", ms: 1500, times: 1 });
    const first = await publishInterceptRules(db.prisma, customersClient(db.prisma, sim, { timeoutMs: 300 }), ACTOR, { departmentIds: [org.dept.east.id], interceptType: 1 });
    await fetch(`${sim.url}/__sim/faults`, { method: "POST", body: JSON.stringify({ clear: true }) });
    expect(first.status).toBe("PARTIAL");
    expect(first.results[0]).toMatchObject({ slot: 1, action: "failed", ruleId: null });
    await new Promise((r) => setTimeout(r, 1600)); // the late answers have gone out
    // WeCom has slot 1's rule; the portal does not know its id.
    const lost = (await simRules()).filter((r) => r.rule_name === ruleName(1));
    expect(lost).toHaveLength(1);
    expect(await db.prisma.weComInterceptRule.findUnique({ where: { slot: 1 } })).toBeNull();
    const adds = sim.stats().calls["/externalcontact/add_intercept_rule"];

    const second = await publishInterceptRules(db.prisma, customersClient(db.prisma, sim), ACTOR, { departmentIds: [org.dept.south.id], interceptType: 2 });
    expect(second.status).toBe("DONE");
    expect(second.results[0]).toMatchObject({ slot: 1, action: "adopted", ruleId: lost[0].rule_id });
    expect(second.results.slice(1).every((r) => r.action === "updated")).toBe(true);
    expect(sim.stats().calls["/externalcontact/add_intercept_rule"]).toBe(adds); // nothing added
    const rules = await simRules();
    expect(rules).toHaveLength(needed);
    expect(new Set(rules.map((r) => r.rule_name)).size).toBe(needed);
    // The adopted rule carries this push's words, type and departments (the lost push's department removed).
    const adopted = rules.find((r) => r.rule_id === lost[0].rule_id)!;
    expect(adopted.intercept_type).toBe(2);
    expect(adopted.applicable_range.department_list).toEqual([3]);
    expect(adopted.word_list).toHaveLength(300);
    expect((await db.prisma.weComInterceptRule.findUniqueOrThrow({ where: { slot: 1 } })).ruleId).toBe(lost[0].rule_id);
  });

  it("a rule of ours beyond the slots needed that no slot recorded is deleted", async () => {
    const c = customersClient(db.prisma, sim);
    const { rule_id: stray } = await c.addInterceptRule({ rule_name: ruleName(9), word_list: ["遗留词"], intercept_type: 1, applicable_range: { department_list: [2] } });
    const out = await publishInterceptRules(db.prisma, c, ACTOR, { departmentIds: [org.dept.south.id], interceptType: 2 });
    expect(out.results.find((r) => r.ruleId === stray)).toMatchObject({ slot: 9, action: "deleted" });
    expect((await simRules()).map((r) => r.rule_id)).not.toContain(stray);
  });
});
