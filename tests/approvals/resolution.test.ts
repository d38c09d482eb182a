import { describe, expect, it } from "vitest";
import { conditionApplies, planChain, resolveStep, type ChainStepSpec, type DepartmentNode, type DirectoryView } from "@/lib/approvals/chain-resolution";
import type { RoleCode } from "@/lib/auth/permissions";

// Chain resolution without a database: who decides each step (SPEC §1, §3).

const dept = (id: string, manager: { id: string; active?: boolean } | null): DepartmentNode => ({
  id,
  name: `部门${id}`,
  manager: manager ? { id: manager.id, name: `经理${manager.id}`, active: manager.active ?? true } : null,
});

function view(line: DepartmentNode[], holders: Partial<Record<RoleCode, string[]>> = {}, people: Record<string, boolean> = {}): DirectoryView {
  return {
    departmentLine: line,
    activeRoleHolders: (role) => holders[role] ?? [],
    person: (id) => (id in people ? { id, name: `员工${id}`, active: people[id] } : null),
  };
}

const manager: Pick<ChainStepSpec, "kind" | "role" | "personId"> = { kind: "DEPARTMENT_MANAGER", role: null, personId: null };
const admins = { ADMIN: ["adm1", "adm2"] };

describe("DEPARTMENT_MANAGER steps", () => {
  it("asks the department's own active manager", () => {
    expect(resolveStep(manager, "req", view([dept("sh1", { id: "m1" }), dept("east", { id: "m2" })], admins))).toEqual({
      ok: true,
      approverId: "m1",
      role: null,
      resolution: { code: "MANAGER", departmentName: "部门sh1" },
    });
  });

  it("walks up the tree when the department has no manager", () => {
    const r = resolveStep(manager, "req", view([dept("sh1", null), dept("east", null), dept("sales", { id: "dir" })], admins));
    expect(r).toMatchObject({ ok: true, approverId: "dir", resolution: { code: "WALKED_UP", departmentName: "部门sales", fromDepartmentName: "部门sh1" } });
  });

  it("walks up past a manager who is not ACTIVE", () => {
    const r = resolveStep(manager, "req", view([dept("south", { id: "leaving", active: false }), dept("sales", { id: "dir" })], admins));
    expect(r).toMatchObject({ ok: true, approverId: "dir", resolution: { code: "WALKED_UP" } });
  });

  it("skips the requester: a manager's own request goes to the next manager up", () => {
    const r = resolveStep(manager, "m1", view([dept("east", { id: "m1" }), dept("sales", { id: "dir" })], admins));
    expect(r).toMatchObject({ ok: true, approverId: "dir", resolution: { code: "SELF_SKIPPED", departmentName: "部门sales" } });
  });

  it("keeps skipping while the requester manages several levels", () => {
    const r = resolveStep(manager, "boss", view([dept("a", { id: "boss" }), dept("b", { id: "boss" }), dept("c", { id: "top" })], admins));
    expect(r).toMatchObject({ ok: true, approverId: "top" });
  });

  it("falls back to the ADMIN role when no manager exists up to the root, and says so", () => {
    const r = resolveStep(manager, "req", view([dept("lone", null), dept("hq", null)], admins));
    expect(r).toEqual({ ok: true, approverId: null, role: "ADMIN", resolution: { code: "FALLBACK_ADMIN", fromDepartmentName: "部门lone", fallbackRole: "ADMIN" } });
  });

  it("falls back to ADMIN when the only manager up the tree is the requester", () => {
    const r = resolveStep(manager, "ceo", view([dept("hq", { id: "ceo" })], admins));
    expect(r).toMatchObject({ ok: true, role: "ADMIN", resolution: { code: "FALLBACK_ADMIN" } });
  });

  it("cannot fall back when the requester is the only active ADMIN", () => {
    expect(resolveStep(manager, "adm1", view([dept("hq", null)], { ADMIN: ["adm1"] }))).toEqual({ ok: false, reason: "NO_ELIGIBLE_HOLDER", role: "ADMIN" });
  });
});

describe("ROLE steps", () => {
  const role = (r: RoleCode) => ({ kind: "ROLE" as const, role: r, personId: null });

  it("may be decided by any active holder other than the requester", () => {
    expect(resolveStep(role("PRIVACY_OFFICER"), "req", view([], { PRIVACY_OFFICER: ["p1"] }))).toEqual({ ok: true, approverId: null, role: "PRIVACY_OFFICER", resolution: { code: "ROLE" } });
    expect(resolveStep(role("ADMIN"), "adm1", view([], admins))).toMatchObject({ ok: true, role: "ADMIN" });
  });

  it("cannot proceed when the requester is the only holder, or nobody holds the role", () => {
    expect(resolveStep(role("HR"), "hr1", view([], { HR: ["hr1"] }))).toEqual({ ok: false, reason: "NO_ELIGIBLE_HOLDER", role: "HR" });
    expect(resolveStep(role("AUDITOR"), "req", view([]))).toEqual({ ok: false, reason: "NO_ELIGIBLE_HOLDER", role: "AUDITOR" });
  });
});

describe("PERSON steps", () => {
  const named = { kind: "PERSON" as const, role: null, personId: "p9" };

  it("asks the named person", () => {
    expect(resolveStep(named, "req", view([], admins, { p9: true }))).toEqual({ ok: true, approverId: "p9", role: null, resolution: { code: "PERSON" } });
  });

  it("falls back to ADMIN when the person is not active or is the requester", () => {
    expect(resolveStep(named, "req", view([], admins, { p9: false }))).toMatchObject({ ok: true, role: "ADMIN", resolution: { code: "PERSON_UNAVAILABLE", personName: "员工p9" } });
    expect(resolveStep(named, "p9", view([], admins, { p9: true }))).toMatchObject({ ok: true, role: "ADMIN", resolution: { code: "PERSON_UNAVAILABLE" } });
  });
});

describe("conditions and whole chains", () => {
  const chain: ChainStepSpec[] = [
    { position: 1, kind: "DEPARTMENT_MANAGER", role: null, personId: null, condition: null },
    { position: 2, kind: "ROLE", role: "PRIVACY_OFFICER", personId: null, condition: { classifications: ["CONFIDENTIAL", "SECRET"] } },
    { position: 3, kind: "ROLE", role: "ADMIN", personId: null, condition: null },
  ];
  const org = view([dept("east", { id: "m1" })], { ADMIN: ["adm1"], PRIVACY_OFFICER: ["p1"] });

  it("applies a classification condition only to the listed classifications", () => {
    expect(conditionApplies(null, {})).toBe(true);
    expect(conditionApplies({ classifications: [] }, { classification: "PUBLIC" })).toBe(true);
    expect(conditionApplies({ classifications: ["CONFIDENTIAL", "SECRET"] }, { classification: "SECRET" })).toBe(true);
    expect(conditionApplies({ classifications: ["CONFIDENTIAL", "SECRET"] }, { classification: "INTERNAL" })).toBe(false);
    expect(conditionApplies({ classifications: ["CONFIDENTIAL"] }, {})).toBe(false);
  });

  it("skips the privacy officer for an INTERNAL group and keeps it for a SECRET one", () => {
    const internal = planChain(chain, { managerOfDepartmentId: "east", classification: "INTERNAL" }, "req", org);
    expect(internal.ok && internal.steps.map((s) => s.applies)).toEqual([true, false, true]);
    const secret = planChain(chain, { managerOfDepartmentId: "east", classification: "SECRET" }, "req", org);
    expect(secret.ok && secret.steps.map((s) => (s.applies ? (s.resolved.approverId ?? s.resolved.role) : "skipped"))).toEqual(["m1", "PRIVACY_OFFICER", "ADMIN"]);
  });

  it("lets a step nobody else can take pass automatically, and says why", () => {
    // The privacy officer's own SECRET request: their step falls back to the one ADMIN, and the
    // ADMIN step then has nobody left (the ADMIN took step 2, the privacy officer is the requester).
    const plan = planChain(chain, { managerOfDepartmentId: "east", classification: "SECRET" }, "p1", org);
    expect(plan.ok && plan.steps.map((s) => (s.applies ? s.resolved : "skipped"))).toEqual([
      { ok: true, approverId: "m1", role: null, resolution: { code: "MANAGER", departmentName: "部门east" } },
      { ok: true, approverId: null, role: "ADMIN", resolution: { code: "ROLE_FALLBACK", role: "PRIVACY_OFFICER", fallbackRole: "ADMIN" } },
      { ok: true, approverId: null, role: "ADMIN", resolution: { code: "AUTO_PASSED", reason: "DEDUPED" } },
    ]);
    // A skipped step does not count: the privacy officer's own INTERNAL request has an ADMIN step.
    const internal = planChain(chain, { managerOfDepartmentId: "east", classification: "INTERNAL" }, "p1", org);
    expect(internal.ok && internal.steps.map((s) => (s.applies ? s.resolved.resolution.code : "skipped"))).toEqual(["MANAGER", "skipped", "ROLE"]);
  });

  it("reports the first step when no step has a possible decider besides the requester", () => {
    // The only ADMIN asks, in a department line whose only manager is themselves.
    const alone = view([dept("hq", { id: "adm1" })], { ADMIN: ["adm1"] });
    expect(planChain(chain, { managerOfDepartmentId: "hq", classification: "INTERNAL" }, "adm1", alone)).toEqual({ ok: false, position: 1, role: "ADMIN" });
    // Planning the rest of a request that had a real decision is not refused: it passes.
    const rest = planChain(chain, { managerOfDepartmentId: "hq", classification: "INTERNAL" }, "adm1", alone, { requireDecision: false });
    expect(rest.ok && rest.steps.map((s) => (s.applies ? s.resolved.resolution : "skipped"))).toEqual([
      { code: "AUTO_PASSED", reason: "REQUESTER_ONLY" },
      "skipped",
      { code: "AUTO_PASSED", reason: "REQUESTER_ONLY" },
    ]);
    // Nobody at all holds a step's role, nor the fallback roles: the same.
    expect(planChain([{ position: 1, kind: "ROLE", role: "AUDITOR", personId: null, condition: null }], {}, "req", view([]))).toEqual({ ok: false, position: 1, role: "AUDITOR" });
  });
});

describe("segregation of duties and the fallback (issue 13 items 3 and 4)", () => {
  const role = (r: RoleCode) => ({ kind: "ROLE" as const, role: r, personId: null });
  const step = (position: number, spec: Pick<ChainStepSpec, "kind" | "role" | "personId">): ChainStepSpec => ({ position, condition: null, ...spec });
  const deciders = (plan: ReturnType<typeof planChain>) =>
    plan.ok ? plan.steps.map((s) => (s.applies ? `${s.resolved.approverId ?? s.resolved.role}:${s.resolved.resolution.code}` : "skipped")) : plan;

  it("a manager who also holds ADMIN does not take the ADMIN step: another ADMIN, else the fallback", () => {
    const chain = [step(1, manager), step(2, role("ADMIN"))];
    const line = [dept("east", { id: "m1" })];
    // Another ADMIN exists: the ADMIN step stays with the role (the manager will be refused there).
    expect(deciders(planChain(chain, {}, "req", view(line, { ADMIN: ["m1", "adm2"] })))).toEqual(["m1:MANAGER", "ADMIN:ROLE"]);
    // The manager is the only ADMIN: the step falls back to the privacy officer.
    const plan = planChain(chain, {}, "req", view(line, { ADMIN: ["m1"], PRIVACY_OFFICER: ["p1"] }));
    expect(deciders(plan)).toEqual(["m1:MANAGER", "PRIVACY_OFFICER:ROLE_FALLBACK"]);
    expect(plan.ok && plan.steps[1].applies && plan.steps[1].resolved.resolution).toEqual({ code: "ROLE_FALLBACK", role: "ADMIN", fallbackRole: "PRIVACY_OFFICER" });
    // Nobody else at all: the ADMIN step passes automatically (the manager decides once).
    expect(deciders(planChain(chain, {}, "req", view(line, { ADMIN: ["m1"] })))).toEqual(["m1:MANAGER", "ADMIN:AUTO_PASSED"]);
  });

  it("the manager line skips a manager who takes an earlier step, and says so", () => {
    const chain = [step(1, { kind: "PERSON", role: null, personId: "m1" }), step(2, manager)];
    const plan = planChain(chain, {}, "req", view([dept("east", { id: "m1" }), dept("sales", { id: "dir" })], admins, { m1: true }));
    expect(deciders(plan)).toEqual(["m1:PERSON", "dir:DECIDER_SKIPPED"]);
    // Re-planned after m1 decided: m1 is excluded outright.
    expect(resolveStep(manager, "req", view([dept("east", { id: "m1" }), dept("sales", { id: "dir" })], admins), { excluded: ["m1"] })).toMatchObject({
      ok: true,
      approverId: "dir",
      resolution: { code: "DECIDER_SKIPPED", departmentName: "部门sales", fromDepartmentName: "部门east" },
    });
  });

  it("a named person who takes an earlier step falls back", () => {
    const chain = [step(1, manager), step(2, { kind: "PERSON", role: null, personId: "m1" })];
    const plan = planChain(chain, {}, "req", view([dept("east", { id: "m1" })], admins, { m1: true }));
    expect(deciders(plan)).toEqual(["m1:MANAGER", "ADMIN:PERSON_UNAVAILABLE"]);
  });

  it("two steps of one role need two holders; a role with one holder left falls back", () => {
    const chain = [step(1, role("ADMIN")), step(2, role("ADMIN"))];
    expect(deciders(planChain(chain, {}, "req", view([], { ADMIN: ["adm1", "adm2"] })))).toEqual(["ADMIN:ROLE", "ADMIN:ROLE"]);
    expect(deciders(planChain(chain, {}, "req", view([], { ADMIN: ["adm1"], PRIVACY_OFFICER: ["p1"] })))).toEqual(["ADMIN:ROLE", "PRIVACY_OFFICER:ROLE_FALLBACK"]);
    // Whoever decided already is excluded when the rest is planned again.
    expect(resolveStep(role("ADMIN"), "req", view([], { ADMIN: ["adm1", "adm2"] }), { excluded: ["adm1"] })).toMatchObject({ ok: true, role: "ADMIN" });
    expect(resolveStep(role("ADMIN"), "req", view([], { ADMIN: ["adm1"], PRIVACY_OFFICER: ["p1"] }), { excluded: ["adm1"] })).toMatchObject({ ok: true, role: "PRIVACY_OFFICER" });
  });

  it("the one HR person's own dissolution: HR falls back to the ADMIN, the ADMIN step to the privacy officer, else it passes", () => {
    const chain = [step(1, role("HR")), step(2, role("ADMIN"))];
    const plan = planChain(chain, {}, "hr1", view([], { HR: ["hr1"], ADMIN: ["adm1"], PRIVACY_OFFICER: ["p1"] }));
    expect(deciders(plan)).toEqual(["ADMIN:ROLE_FALLBACK", "PRIVACY_OFFICER:ROLE_FALLBACK"]);
    expect(plan.ok && plan.steps[0].applies && plan.steps[0].resolved.resolution).toEqual({ code: "ROLE_FALLBACK", role: "HR", fallbackRole: "ADMIN" });
    // Only the ADMIN besides the requester: two steps cannot have two deciders. The ADMIN decides
    // the HR step, and the ADMIN step, whose only possible decider decides step 1, passes.
    const small = planChain(chain, {}, "hr1", view([], { HR: ["hr1"], ADMIN: ["adm1"] }));
    expect(deciders(small)).toEqual(["ADMIN:ROLE_FALLBACK", "ADMIN:AUTO_PASSED"]);
    expect(small.ok && small.steps[1].applies && small.steps[1].resolved.resolution).toEqual({ code: "AUTO_PASSED", reason: "DEDUPED" });
    // The requester is the only HR person and the only ADMIN: nobody else could decide anything.
    expect(planChain(chain, {}, "hr1", view([], { HR: ["hr1"], ADMIN: ["hr1"] }))).toEqual({ ok: false, position: 1, role: "HR" });
  });

  it("follows the configured fallback roles, in order", () => {
    const holders = { HR: ["hr1"], ADMIN: ["adm1"], AUDITOR: ["aud1"], PRIVACY_OFFICER: ["p1"] };
    expect(resolveStep(role("HR"), "hr1", view([], holders), { fallbackRoles: ["AUDITOR", "ADMIN"] })).toMatchObject({ ok: true, role: "AUDITOR", resolution: { fallbackRole: "AUDITOR" } });
    expect(resolveStep(role("HR"), "hr1", view([], holders), { fallbackRoles: ["MANAGER", "ADMIN"] })).toMatchObject({ ok: true, role: "ADMIN" });
    expect(resolveStep(role("HR"), "hr1", view([], holders), { fallbackRoles: ["MANAGER"] })).toEqual({ ok: false, reason: "NO_ELIGIBLE_HOLDER", role: "HR" });
    expect(resolveStep(manager, "req", view([dept("lone", null)], holders), { fallbackRoles: ["PRIVACY_OFFICER"] })).toMatchObject({ ok: true, role: "PRIVACY_OFFICER", resolution: { code: "FALLBACK_ADMIN", fallbackRole: "PRIVACY_OFFICER" } });
  });
});
