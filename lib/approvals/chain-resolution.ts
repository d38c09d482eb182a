import { ROLES, type RoleCode } from "@/lib/auth/permissions";
import type { ApprovalFacts, StepCondition, StepKind } from "./types";

// Who decides a step: pure rules over a view of the directory, so they are tested without a
// database (lib/approvals/directory-view.ts reads the view). SPEC §1 and §3, and issue 13:
// - Nobody decides their own request, and nobody decides two steps of one request (segregation
//   of duties): the requester and whoever decided an earlier step are excluded, and a chain is
//   planned so that its steps can be decided by different people (a named approver counts as
//   taken by their step; the holders of a role are matched against the other steps).
// - DEPARTMENT_MANAGER: the manager of facts.managerOfDepartmentId, walking up the tree while a
//   department has no manager, its manager is not ACTIVE, is the requester or is taken by another
//   step. No manager up to the root: the fallback.
// - ROLE: any ACTIVE holder of the role but the excluded. None left: the fallback.
// - PERSON: the named employee; when they are not ACTIVE, are the requester or are taken: the fallback.
// - The fallback is the chain's ordered list of roles (ADMIN sets it with the chain; default
//   ADMIN, then PRIVACY_OFFICER): the first role with a holder who can still take the step.
// - A step that nobody can take, the fallback included, passes automatically (AUTO_PASSED, the
//   peers' 审批人去重 / 自动通过): its only possible deciders are the requester or people who
//   decide another step of the request. A request still needs one real decision: when no step
//   has a possible decider besides the requester, planChain reports the first step instead and
//   the request is refused.

export const DEFAULT_FALLBACK_ROLES: readonly RoleCode[] = ["ADMIN", "PRIVACY_OFFICER"];

export type ChainStepSpec = {
  position: number;
  kind: StepKind;
  role: RoleCode | null;
  personId: string | null;
  condition: StepCondition | null;
};

export type DepartmentNode = {
  id: string;
  name: string;
  manager: { id: string; name: string; active: boolean } | null;
};

export type DirectoryView = {
  /** facts.managerOfDepartmentId's department, then its parent, … up to the root. */
  departmentLine: readonly DepartmentNode[];
  /** ACTIVE employees holding the role (enough of them to plan a chain: see directory-view.ts). */
  activeRoleHolders: (role: RoleCode) => readonly string[];
  person: (id: string) => { id: string; name: string; active: boolean } | null;
};

/** How the decider was found: shown in the request's timeline. `fallbackRole` is absent on steps
 * resolved before the fallback became configurable (it was ADMIN then). */
export type Resolution =
  | { code: "MANAGER"; departmentName: string }
  | { code: "WALKED_UP"; departmentName: string; fromDepartmentName: string }
  | { code: "SELF_SKIPPED"; departmentName: string; fromDepartmentName: string }
  | { code: "DECIDER_SKIPPED"; departmentName: string; fromDepartmentName: string }
  | { code: "FALLBACK_ADMIN"; fromDepartmentName: string; fallbackRole?: RoleCode }
  | { code: "ROLE" }
  | { code: "ROLE_FALLBACK"; role: RoleCode; fallbackRole: RoleCode }
  | { code: "PERSON" }
  | { code: "PERSON_UNAVAILABLE"; personName: string; fallbackRole?: RoleCode }
  /** Nobody but the requester (REQUESTER_ONLY) or the deciders of other steps (DEDUPED) could
   * decide the step: it passes automatically when it becomes due, unless someone can by then. */
  | { code: "AUTO_PASSED"; reason: AutoPassReason };

export type AutoPassReason = "DEDUPED" | "REQUESTER_ONLY";

export type ResolvedStep =
  | { ok: true; approverId: string | null; role: RoleCode | null; resolution: Resolution }
  | { ok: false; reason: "NO_ELIGIBLE_HOLDER"; role: RoleCode };

export type PlanOptions = {
  /** People who may decide no step besides the requester: those who decided an earlier step. */
  excluded?: Iterable<string>;
  /** The chain's fallback roles, in order (default DEFAULT_FALLBACK_ROLES). */
  fallbackRoles?: readonly RoleCode[];
  /** Refuse a chain in which every applicable step passes automatically (default true: a new
   * request; false when the rest of a request is planned again after a real decision). */
  requireDecision?: boolean;
};

export function conditionApplies(condition: StepCondition | null | undefined, facts: Pick<ApprovalFacts, "classification">): boolean {
  const list = condition?.classifications;
  if (!list || list.length === 0) return true;
  return facts.classification !== undefined && list.includes(facts.classification);
}

type Resolved = Extract<ResolvedStep, { ok: true }>;
type Choice = Resolved & { candidates: readonly string[] };

/** Whether every step can have a different decider among its candidates (augmenting paths; a
 * chain has at most 10 steps). */
function distinctDecidersExist(sets: readonly (readonly string[])[]): boolean {
  const holderOf = new Map<string, number>();
  const assign = (i: number, seen: Set<string>): boolean => {
    for (const c of sets[i]) {
      if (seen.has(c)) continue;
      seen.add(c);
      const j = holderOf.get(c);
      if (j === undefined || assign(j, seen)) {
        holderOf.set(c, i);
        return true;
      }
    }
    return false;
  };
  return sets.every((_, i) => assign(i, new Set()));
}

/** The first way of deciding `step` that leaves every step so far a different decider. */
function choose(step: Pick<ChainStepSpec, "kind" | "role" | "personId">, requesterId: string, view: DirectoryView, excluded: ReadonlySet<string>, fallbackRoles: readonly RoleCode[], taken: readonly Choice[]): Choice | null {
  const fits = (candidates: readonly string[]) => candidates.length > 0 && distinctDecidersExist([...taken.map((t) => t.candidates), candidates]);
  const eligible = (role: RoleCode) => view.activeRoleHolders(role).filter((id) => id !== requesterId && !excluded.has(id));
  const fallback = (make: (role: RoleCode) => Resolution, except?: RoleCode): Choice | null => {
    for (const role of fallbackRoles) {
      if (role === except) continue;
      const candidates = eligible(role);
      if (fits(candidates)) return { ok: true, approverId: null, role, resolution: make(role), candidates };
    }
    return null;
  };
  switch (step.kind) {
    case "DEPARTMENT_MANAGER": {
      const [first] = view.departmentLine;
      let passedRequester = false;
      let passedDecider = false;
      for (const [i, dept] of view.departmentLine.entries()) {
        const manager = dept.manager;
        if (!manager || !manager.active) continue;
        if (manager.id === requesterId) {
          passedRequester = true;
          continue;
        }
        if (excluded.has(manager.id) || !fits([manager.id])) {
          passedDecider = true;
          continue;
        }
        const resolution: Resolution =
          i === 0
            ? { code: "MANAGER", departmentName: dept.name }
            : { code: passedRequester ? "SELF_SKIPPED" : passedDecider ? "DECIDER_SKIPPED" : "WALKED_UP", departmentName: dept.name, fromDepartmentName: first.name };
        return { ok: true, approverId: manager.id, role: null, resolution, candidates: [manager.id] };
      }
      return fallback((role) => ({ code: "FALLBACK_ADMIN", fromDepartmentName: first?.name ?? "", fallbackRole: role }));
    }
    case "ROLE": {
      if (!step.role) throw new Error("A ROLE step without a role");
      const own = step.role;
      const candidates = eligible(own);
      if (fits(candidates)) return { ok: true, approverId: null, role: own, resolution: { code: "ROLE" }, candidates };
      return fallback((role) => ({ code: "ROLE_FALLBACK", role: own, fallbackRole: role }), own);
    }
    case "PERSON": {
      if (!step.personId) throw new Error("A PERSON step without a person");
      const person = view.person(step.personId);
      if (person && person.active && person.id !== requesterId && !excluded.has(person.id) && fits([person.id])) {
        return { ok: true, approverId: person.id, role: null, resolution: { code: "PERSON" }, candidates: [person.id] };
      }
      return fallback((role) => ({ code: "PERSON_UNAVAILABLE", personName: person?.name ?? "", fallbackRole: role }));
    }
  }
}

const strip = ({ ok, approverId, role, resolution }: Choice): Resolved => ({ ok, approverId, role, resolution });

/** Whether a resolved step passes automatically instead of being decided. */
export const passesAutomatically = (resolved: { resolution: Resolution | null }): boolean => resolved.resolution?.code === "AUTO_PASSED";

/** Why nobody can take `step`: whether anyone but the requester could ever decide it (its own
 * deciders or the fallback's), whoever decides the other steps. */
function autoPassReason(step: Pick<ChainStepSpec, "kind" | "role" | "personId">, requesterId: string, view: DirectoryView, fallbackRoles: readonly RoleCode[]): AutoPassReason {
  const own: string[] =
    step.kind === "DEPARTMENT_MANAGER"
      ? view.departmentLine.flatMap((d) => (d.manager?.active ? [d.manager.id] : []))
      : step.kind === "ROLE"
        ? step.role
          ? [...view.activeRoleHolders(step.role)]
          : []
        : step.personId && view.person(step.personId)?.active
          ? [step.personId]
          : [];
  const possible = [...own, ...fallbackRoles.flatMap((r) => view.activeRoleHolders(r))];
  return possible.some((id) => id !== requesterId) ? "DEDUPED" : "REQUESTER_ONLY";
}

/** Who decides one step on its own (no other step to share deciders with). */
export function resolveStep(step: Pick<ChainStepSpec, "kind" | "role" | "personId">, requesterId: string, view: DirectoryView, options: PlanOptions = {}): ResolvedStep {
  const choice = choose(step, requesterId, view, new Set(options.excluded ?? []), options.fallbackRoles ?? DEFAULT_FALLBACK_ROLES, []);
  return choice ? strip(choice) : { ok: false, reason: "NO_ELIGIBLE_HOLDER", role: step.kind === "ROLE" && step.role ? step.role : "ADMIN" };
}

export type PlannedStep = ChainStepSpec & ({ applies: false } | { applies: true; resolved: Resolved });

/**
 * Every step of a chain for one request: skipped when its condition does not apply, otherwise
 * resolved in order, each step taking the first way of deciding it that still leaves every step
 * so far a different decider (its own, then the fallback roles). A step nobody can take passes
 * automatically (resolution AUTO_PASSED; a ROLE step keeps its own role, for the timeline).
 * With requireDecision (the default), a chain whose applicable steps all pass automatically is
 * returned as a problem instead, naming its first applicable step.
 */
export function planChain(
  steps: readonly ChainStepSpec[],
  facts: Partial<ApprovalFacts>,
  requesterId: string,
  view: DirectoryView,
  options: PlanOptions = {},
): { ok: true; steps: PlannedStep[] } | { ok: false; position: number; role: RoleCode } {
  const excluded = new Set(options.excluded ?? []);
  const fallbackRoles = options.fallbackRoles ?? DEFAULT_FALLBACK_ROLES;
  const planned: PlannedStep[] = [];
  const taken: Choice[] = [];
  for (const step of [...steps].sort((a, b) => a.position - b.position)) {
    if (!conditionApplies(step.condition, facts)) {
      planned.push({ ...step, applies: false });
      continue;
    }
    const choice = choose(step, requesterId, view, excluded, fallbackRoles, taken);
    if (!choice) {
      const reason = autoPassReason(step, requesterId, view, fallbackRoles);
      planned.push({ ...step, applies: true, resolved: { ok: true, approverId: null, role: step.kind === "ROLE" ? step.role : null, resolution: { code: "AUTO_PASSED", reason } } });
      continue;
    }
    taken.push(choice);
    planned.push({ ...step, applies: true, resolved: strip(choice) });
  }
  const first = planned.find((s) => s.applies);
  if ((options.requireDecision ?? true) && first && taken.length === 0) {
    return { ok: false, position: first.position, role: first.kind === "ROLE" && first.role ? first.role : "ADMIN" };
  }
  return { ok: true, steps: planned };
}

/** A chain's (or a request's) stored fallback roles: known roles, once each, in order. */
export function fallbackRolesOf(value: unknown): RoleCode[] {
  if (!Array.isArray(value)) return [...DEFAULT_FALLBACK_ROLES];
  return [...new Set(value.filter((r): r is RoleCode => typeof r === "string" && (ROLES as readonly string[]).includes(r)))];
}
