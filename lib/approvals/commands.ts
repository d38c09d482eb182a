import "server-only";
import type { RoleCode } from "@/lib/auth/permissions";
import { newId } from "@/lib/ids";
import type { ActionContext } from "@/lib/server/action";
import type { Tx } from "@/lib/server/db";
import { DomainError, forbidden, notFound, stale } from "@/lib/server/errors";
import { decideApprovalStep, withdrawApprovalRequest } from "./engine";
import { nextPendingRequestId } from "./queries";
import { fallbackRolesOf } from "./chain-resolution";
import { fallbackRolesFromInput, type ChainStepInput, type ChainUpdateInput, type DecisionInput, type WithdrawInput } from "./schemas";
import type { RequestStatus, StepCondition } from "./types";

// The commands behind approvals' Server Actions. Deciding and withdrawing are the engine's; the
// chain editor's write is here. Each runs in the action's transaction and audits.

export async function decideCommand({ actor, input, tx, audit }: ActionContext<DecisionInput>): Promise<{ requestId: string; status: RequestStatus; next: string | null }> {
  const { status } = await decideApprovalStep({ tx, audit, actor }, input);
  // Where the approver goes next: the next request waiting on them (the inbox's order), if any.
  return { requestId: input.requestId, status, next: await nextPendingRequestId(tx, actor, input.requestId) };
}

export async function withdrawCommand({ actor, input, tx, audit }: ActionContext<WithdrawInput>): Promise<{ requestId: string; status: RequestStatus }> {
  const { status } = await withdrawApprovalRequest({ tx, audit, actor }, input);
  return { requestId: input.requestId, status };
}

type StoredStep = { position: number; kind: string; role: string | null; personId: string | null; condition: StepCondition | null };

async function resolvePerson(tx: Tx, person: string, index: number): Promise<string> {
  const field = `steps.${index}.person`;
  const found = await tx.employee.findFirst({
    where: person.includes("@") ? { email: { equals: person, mode: "insensitive" } } : { employeeNo: { equals: person, mode: "insensitive" } },
    select: { id: true, status: true },
  });
  if (!found) throw new DomainError("VALIDATION", "approvals.errors.personNotFound", { field });
  if (found.status !== "ACTIVE") throw new DomainError("VALIDATION", "approvals.errors.personNotActive", { field });
  return found.id;
}

async function toStoredSteps(tx: Tx, steps: ChainStepInput[]): Promise<StoredStep[]> {
  const out: StoredStep[] = [];
  for (const [i, s] of steps.entries()) {
    out.push({
      position: i + 1,
      kind: s.kind,
      role: s.kind === "ROLE" ? (s.role as RoleCode) : null,
      personId: s.kind === "PERSON" ? await resolvePerson(tx, s.person!, i) : null,
      condition: s.classifications.length ? { classifications: s.classifications } : null,
    });
  }
  return out;
}

/** Replaces a chain's settings and steps. Requests already submitted keep their own snapshot. */
export async function updateChainCommand({ actor, input, tx, audit }: ActionContext<ChainUpdateInput>): Promise<{ id: string }> {
  if (!actor.permissions.has("approvals.configure")) throw forbidden();
  const current = await tx.approvalChain.findUnique({ where: { id: input.id }, include: { steps: { orderBy: { position: "asc" } } } });
  if (!current) throw notFound();
  if (current.version !== input.version) throw stale();
  if (input.calendarId) {
    const calendar = await tx.businessCalendar.findUnique({ where: { id: input.calendarId }, select: { id: true } });
    if (!calendar) throw new DomainError("VALIDATION", "approvals.errors.calendarNotFound", { field: "calendarId" });
  }
  const steps = await toStoredSteps(tx, input.steps);
  const currentFallback = fallbackRolesOf(current.fallbackRoles);
  const fallbackRoles = fallbackRolesFromInput(input) ?? currentFallback;

  const { count } = await tx.approvalChain.updateMany({
    where: { id: input.id, version: input.version },
    data: { overdueWorkingDays: input.overdueWorkingDays, calendarId: input.calendarId ?? null, fallbackRoles, version: { increment: 1 } },
  });
  if (count !== 1) throw stale();
  // Chain steps are configuration, not business records: the request steps are the snapshots.
  await tx.approvalChainStep.deleteMany({ where: { chainId: input.id } });
  await tx.approvalChainStep.createMany({
    data: steps.map((s) => ({
      id: newId(),
      chainId: input.id,
      position: s.position,
      kind: s.kind as "DEPARTMENT_MANAGER" | "ROLE" | "PERSON",
      role: s.role as RoleCode | null,
      personId: s.personId,
      condition: s.condition ?? undefined,
    })),
  });

  const view = (c: { overdueWorkingDays: number; calendarId: string | null; fallbackRoles: RoleCode[]; version: number }, list: StoredStep[]) => ({
    overdueWorkingDays: c.overdueWorkingDays,
    calendarId: c.calendarId,
    fallbackRoles: c.fallbackRoles,
    version: c.version,
    steps: list.map((s) => ({ position: s.position, kind: s.kind, role: s.role, personId: s.personId, condition: s.condition })),
  });
  await audit({
    action: "approvalChain.update",
    entityType: "ApprovalChain",
    entityId: current.id,
    before: { requestType: current.requestType, ...view({ ...current, fallbackRoles: currentFallback }, current.steps.map((s) => ({ ...s, condition: s.condition as StepCondition | null }))) },
    after: {
      requestType: current.requestType,
      ...view({ overdueWorkingDays: input.overdueWorkingDays, calendarId: input.calendarId ?? null, fallbackRoles, version: current.version + 1 }, steps),
    },
  });
  return { id: current.id };
}
