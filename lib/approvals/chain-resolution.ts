import type { RoleCode } from "@/lib/auth/permissions";
import type { ApprovalFacts, StepCondition, StepKind } from "./types";

// Who decides a step: pure rules over a view of the directory, so they are tested without a
// database (lib/approvals/directory-view.ts reads the view). SPEC §1 and §3:
// - DEPARTMENT_MANAGER: the manager of facts.managerOfDepartmentId, walking up the tree while a
//   department has no manager, its manager is not ACTIVE, or its manager is the requester
//   (nobody decides their own request). No manager up to the root: the ADMIN role decides.
// - ROLE: any ACTIVE holder of the role except the requester. None: the request cannot proceed.
// - PERSON: the named employee; when they are not ACTIVE or are the requester, the ADMIN role.

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
  /** ACTIVE employees holding the role. */
  activeRoleHolders: (role: RoleCode) => readonly string[];
  person: (id: string) => { id: string; name: string; active: boolean } | null;
};

/** How the decider was found: shown in the request's timeline. */
export type Resolution =
  | { code: "MANAGER"; departmentName: string }
  | { code: "WALKED_UP"; departmentName: string; fromDepartmentName: string }
  | { code: "SELF_SKIPPED"; departmentName: string; fromDepartmentName: string }
  | { code: "FALLBACK_ADMIN"; fromDepartmentName: string }
  | { code: "ROLE" }
  | { code: "PERSON" }
  | { code: "PERSON_UNAVAILABLE"; personName: string };

export type ResolvedStep =
  | { ok: true; approverId: string | null; role: RoleCode | null; resolution: Resolution }
  | { ok: false; reason: "NO_ELIGIBLE_HOLDER"; role: RoleCode };

export function conditionApplies(condition: StepCondition | null | undefined, facts: Pick<ApprovalFacts, "classification">): boolean {
  const list = condition?.classifications;
  if (!list || list.length === 0) return true;
  return facts.classification !== undefined && list.includes(facts.classification);
}

function byRole(role: RoleCode, requesterId: string, view: DirectoryView, resolution: Resolution): ResolvedStep {
  const eligible = view.activeRoleHolders(role).filter((id) => id !== requesterId);
  if (eligible.length === 0) return { ok: false, reason: "NO_ELIGIBLE_HOLDER", role };
  return { ok: true, approverId: null, role, resolution };
}

export function resolveStep(step: Pick<ChainStepSpec, "kind" | "role" | "personId">, requesterId: string, view: DirectoryView): ResolvedStep {
  switch (step.kind) {
    case "DEPARTMENT_MANAGER": {
      const [first] = view.departmentLine;
      let passedRequester = false;
      for (const [i, dept] of view.departmentLine.entries()) {
        const manager = dept.manager;
        if (!manager || !manager.active) continue;
        if (manager.id === requesterId) {
          passedRequester = true;
          continue;
        }
        const resolution: Resolution =
          i === 0
            ? { code: "MANAGER", departmentName: dept.name }
            : { code: passedRequester ? "SELF_SKIPPED" : "WALKED_UP", departmentName: dept.name, fromDepartmentName: first.name };
        return { ok: true, approverId: manager.id, role: null, resolution };
      }
      return byRole("ADMIN", requesterId, view, { code: "FALLBACK_ADMIN", fromDepartmentName: first?.name ?? "" });
    }
    case "ROLE":
      if (!step.role) throw new Error("A ROLE step without a role");
      return byRole(step.role, requesterId, view, { code: "ROLE" });
    case "PERSON": {
      if (!step.personId) throw new Error("A PERSON step without a person");
      const person = view.person(step.personId);
      if (person && person.active && person.id !== requesterId) return { ok: true, approverId: person.id, role: null, resolution: { code: "PERSON" } };
      return byRole("ADMIN", requesterId, view, { code: "PERSON_UNAVAILABLE", personName: person?.name ?? "" });
    }
  }
}

export type PlannedStep = ChainStepSpec & ({ applies: false } | { applies: true; resolved: Extract<ResolvedStep, { ok: true }> });

/**
 * Every step of a chain for one request: skipped when its condition does not apply, otherwise
 * resolved. The first step nobody can decide is returned as a problem instead.
 */
export function planChain(
  steps: readonly ChainStepSpec[],
  facts: ApprovalFacts,
  requesterId: string,
  view: DirectoryView,
): { ok: true; steps: PlannedStep[] } | { ok: false; position: number; role: RoleCode } {
  const planned: PlannedStep[] = [];
  for (const step of [...steps].sort((a, b) => a.position - b.position)) {
    if (!conditionApplies(step.condition, facts)) {
      planned.push({ ...step, applies: false });
      continue;
    }
    const resolved = resolveStep(step, requesterId, view);
    if (!resolved.ok) return { ok: false, position: step.position, role: resolved.role };
    planned.push({ ...step, applies: true, resolved });
  }
  return { ok: true, steps: planned };
}
