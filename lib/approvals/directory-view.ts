import "server-only";
import type { RoleCode } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/server/db";
import type { ChainStepSpec, DepartmentNode, DirectoryView } from "./chain-resolution";

/**
 * What chain resolution needs to know about the directory, read once: the department line from
 * `departmentId` up to the root with each manager, whether each needed role has ACTIVE holders,
 * and the named people. Null when the department does not exist.
 */
export async function loadDirectoryView(tx: Tx, departmentId: string, steps: readonly Pick<ChainStepSpec, "kind" | "role" | "personId">[]): Promise<DirectoryView | null> {
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

  // ADMIN is the fallback of manager and person steps. Two holders per role are enough to know
  // whether someone other than the requester holds it.
  const roles = new Set<RoleCode>(["ADMIN"]);
  for (const s of steps) if (s.kind === "ROLE" && s.role) roles.add(s.role);
  const holders = new Map<RoleCode, string[]>();
  for (const role of roles) {
    const rows = await tx.employee.findMany({
      where: { status: "ACTIVE", roles: { some: { role } } },
      select: { id: true },
      orderBy: { id: "asc" },
      take: 2,
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
