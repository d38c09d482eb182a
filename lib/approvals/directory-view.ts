import "server-only";
import type { RoleCode } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/server/db";
import { DEFAULT_FALLBACK_ROLES, type ChainStepSpec, type DepartmentNode, type DirectoryView } from "./chain-resolution";
import { MAX_CHAIN_STEPS } from "./schemas";

/**
 * What chain resolution needs to know about the directory, read once: the department line from
 * `departmentId` up to the root with each manager, the ACTIVE holders of each role a step or the
 * fallback names, and the named people. Null when the department does not exist.
 */
export async function loadDirectoryView(
  tx: Tx,
  departmentId: string,
  steps: readonly Pick<ChainStepSpec, "kind" | "role" | "personId">[],
  fallbackRoles: readonly RoleCode[] = DEFAULT_FALLBACK_ROLES,
): Promise<DirectoryView | null> {
  const start = await tx.department.findUnique({ where: { id: departmentId }, select: { path: true } });
  if (!start) return null;
  const lineIds = start.path.split("/").filter(Boolean).reverse();
  const departments = await tx.department.findMany({
    where: { id: { in: lineIds } },
    select: { id: true, name: true, manager: { select: { id: true, name: true, status: true } } },
  });
  const byId = new Map(departments.map((d) => [d.id, d]));
  const departmentLine: DepartmentNode[] = lineIds.flatMap((id) => {
    const d = byId.get(id);
    if (!d) return [];
    return [{ id: d.id, name: d.name, manager: d.manager ? { id: d.manager.id, name: d.manager.name, active: d.manager.status === "ACTIVE" } : null }];
  });

  // The fallback roles and each ROLE step's role. Enough holders per role to plan any chain: with
  // the requester and up to one earlier decider per step excluded, a role with more holders than
  // that still has one for every step.
  const roles = new Set<RoleCode>(fallbackRoles);
  for (const s of steps) if (s.kind === "ROLE" && s.role) roles.add(s.role);
  const holders = new Map<RoleCode, string[]>();
  for (const role of roles) {
    const rows = await tx.employee.findMany({
      where: { status: "ACTIVE", roles: { some: { role } } },
      select: { id: true },
      orderBy: { id: "asc" },
      take: 2 * MAX_CHAIN_STEPS + 2,
    });
    holders.set(role, rows.map((r) => r.id));
  }

  const personIds = [...new Set(steps.flatMap((s) => (s.kind === "PERSON" && s.personId ? [s.personId] : [])))];
  const people = personIds.length
    ? await tx.employee.findMany({ where: { id: { in: personIds } }, select: { id: true, name: true, status: true } })
    : [];
  const peopleById = new Map(people.map((p) => [p.id, { id: p.id, name: p.name, active: p.status === "ACTIVE" }]));

  return {
    departmentLine,
    activeRoleHolders: (role) => holders.get(role) ?? [],
    person: (id) => peopleById.get(id) ?? null,
  };
}
