import type { RoleCode } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/server/actor";

// Who may see a request and who may decide a step. Deciding is not a permission: it belongs to
// the step's resolved approver, or to the holders of its role (SPEC §3). Pure, so the request
// page, the inbox and the engine apply the same rules.

export type StepAccessFields = {
  status: string;
  role: RoleCode | string | null;
  approverId: string | null;
  personId: string | null;
  decidedById: string | null;
};

type Viewer = Pick<Actor, "id" | "roles" | "permissions">;

/** The requester, anyone who decides or decided one of its steps (a role's holders included, but
 * not those of a step that was skipped or passed automatically), and holders of approvals.read:all. */
export function canViewRequest(actor: Viewer, request: { requesterId: string; steps: readonly StepAccessFields[] }): boolean {
  if (actor.permissions.has("approvals.read:all") || request.requesterId === actor.id) return true;
  return request.steps.some(
    (s) =>
      s.approverId === actor.id ||
      s.decidedById === actor.id ||
      s.personId === actor.id ||
      (s.status !== "SKIPPED" && s.status !== "AUTO_APPROVED" && s.approverId === null && s.role !== null && actor.roles.includes(s.role as RoleCode)),
  );
}

/** Whether the actor is who this step asks (its approver, or a holder of its role). Being ACTIVE
 * and not being the requester are checked separately. */
export function isStepApprover(actor: Pick<Actor, "id" | "roles">, step: Pick<StepAccessFields, "role" | "approverId">): boolean {
  if (step.approverId) return step.approverId === actor.id;
  return step.role !== null && actor.roles.includes(step.role as RoleCode);
}
