import { makeDepartment, makeEmployee } from "@/prisma/factories";
import type { Actor } from "@/lib/server/actor";
import type { DbClient } from "@/lib/server/prisma-client";
import { actorFor } from "../helpers/actors";

export const sh = (local: string) => new Date(`${local}+08:00`);

/** A service centre managed by `manager`, its online team (no manager of its own: escalations walk
 * up to the centre's), two agents there, an agent of another department, an ADMIN and an AUDITOR. */
export async function seedServiceOrg(prisma: DbClient) {
  const suffix = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
  const centre = await makeDepartment(prisma, { name: "客服中心", code: `CS${suffix}` });
  const team = await makeDepartment(prisma, { name: "在线客服", code: `CSO${suffix}`, parentId: centre.id });
  const other = await makeDepartment(prisma, { name: "市场部", code: `MK${suffix}` });
  const manager = await makeEmployee(prisma, { departmentId: centre.id, name: "经理", roles: ["MANAGER", "EMPLOYEE"] });
  await prisma.department.update({ where: { id: centre.id }, data: { managerId: manager.id } });
  const people = {
    manager,
    a1: await makeEmployee(prisma, { departmentId: team.id, name: "客服甲", roles: ["EMPLOYEE"] }),
    a2: await makeEmployee(prisma, { departmentId: team.id, name: "客服乙", roles: ["EMPLOYEE"] }),
    outsider: await makeEmployee(prisma, { departmentId: other.id, name: "市场丙", roles: ["EMPLOYEE"] }),
    admin: await makeEmployee(prisma, { departmentId: other.id, name: "管理员", roles: ["ADMIN"] }),
    auditor: await makeEmployee(prisma, { departmentId: other.id, name: "审计员", roles: ["AUDITOR"] }),
  };
  const actors = {} as Record<keyof typeof people, Actor>;
  for (const [k, p] of Object.entries(people)) actors[k as keyof typeof people] = await actorFor(prisma, p.id);
  return { centre, team, other, people, actors };
}
export type ServiceOrg = Awaited<ReturnType<typeof seedServiceOrg>>;
