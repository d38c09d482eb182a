import type { DbClient } from "@/lib/server/prisma-client";
import { newId } from "@/lib/ids";
import type { WeComSim } from "@/scripts/wecom-sim/server";
import { makeDepartment, makeEmployee } from "@/prisma/factories";

// The directory as the directory step would leave it, written by hand (the customer-groups tests
// do not depend on that step): a company root and a sales department, and an employee for each
// of the simulator's first `known` members carrying their WeCom userid; the members WeCom reports
// as left (status 5) are DEPARTED here. The rest of WeCom's members are unknown to the directory.

export type WeComDirectory = Awaited<ReturnType<typeof seedWeComDirectory>>;

export async function seedWeComDirectory(prisma: DbClient, sim: WeComSim, known: number) {
  return prisma.$transaction(async (tx) => {
    const root = await makeDepartment(tx, { name: "示例科技", code: `ROOT-${newId().slice(0, 6)}` });
    const sales = await makeDepartment(tx, { name: "销售部", code: `SALES-${newId().slice(0, 6)}`, parentId: root.id });
    const byUserid = new Map<string, { id: string; departmentId: string }>();
    for (let i = 0; i < known; i++) {
      const m = sim.company.member(i);
      const e = await makeEmployee(tx, { departmentId: i % 2 ? sales.id : root.id, name: m.name, employeeNo: `W${i}`, email: `${m.userid}@example.test`, status: m.status === 5 ? "DEPARTED" : "ACTIVE" });
      await tx.employee.update({ where: { id: e.id }, data: { wecomUserid: m.userid, wecomStatus: m.status } });
      byUserid.set(m.userid, { id: e.id, departmentId: e.departmentId });
    }
    const admin = await makeEmployee(tx, { departmentId: root.id, name: "系统管理员", employeeNo: "ADM-1", email: "admin@example.test", roles: ["ADMIN", "EMPLOYEE"] });
    const manager = await makeEmployee(tx, { departmentId: sales.id, name: "销售经理", employeeNo: "MGR-1", email: "manager@example.test", roles: ["MANAGER", "EMPLOYEE"] });
    await tx.department.update({ where: { id: sales.id }, data: { managerId: manager.id } });
    return { root, sales, byUserid, admin, manager };
  });
}

/** A group requested and approved here, created in WeCom as `chatId` (the platform id). */
export async function makePortalGroup(prisma: DbClient, data: { chatId: string; ownerId: string; departmentId: string; classification?: "PUBLIC" | "INTERNAL" | "CONFIDENTIAL" | "SECRET" }) {
  return prisma.workGroup.create({
    data: {
      id: newId(),
      name: `销售部-${data.chatId}-客户群`,
      nameParts: { 项目: data.chatId, 用途: "客户群" },
      policyVersion: 1,
      purpose: "经审批的客户服务群",
      platform: "WECOM",
      kind: "EXTERNAL",
      departmentId: data.departmentId,
      ownerId: data.ownerId,
      requesterId: data.ownerId,
      classification: data.classification ?? "INTERNAL",
      expectedSize: 100,
      externalId: data.chatId,
      status: "ACTIVE",
      activatedAt: new Date(),
      reviewDueAt: new Date(Date.now() + 180 * 86_400_000),
    },
  });
}

/** The registry's WeCom groups as comparable data, also across databases: people by employee
 * number, departments by name, no record ids, no times that move with each run. */
export async function wecomGroupsSnapshot(prisma: DbClient) {
  const people = new Map((await prisma.employee.findMany({ select: { id: true, employeeNo: true } })).map((e) => [e.id, e.employeeNo]));
  const departments = new Map((await prisma.department.findMany({ select: { id: true, name: true } })).map((d) => [d.id, d.name]));
  const person = (id: string | null) => (id ? (people.get(id) ?? `?${id}`) : null);
  const rows = await prisma.workGroup.findMany({
    where: { platform: "WECOM", externalId: { not: null } },
    orderBy: { externalId: "asc" },
    include: { administrators: { select: { employeeId: true }, orderBy: { employeeId: "asc" } }, violations: { orderBy: [{ kind: "asc" }, { openedAt: "asc" }] } },
  });
  return rows.map((g) => ({
    externalId: g.externalId,
    name: g.name,
    purpose: g.purpose,
    department: departments.get(g.departmentId) ?? `?${g.departmentId}`,
    owner: person(g.ownerId),
    requester: person(g.requesterId),
    classification: g.classification,
    expectedSize: g.expectedSize,
    status: g.status,
    version: g.version,
    wecomName: g.wecomName,
    wecomOwnerUserid: g.wecomOwnerUserid,
    wecomStatus: g.wecomStatus,
    internalMemberCount: g.internalMemberCount,
    externalMemberCount: g.externalMemberCount,
    internalMemberUserids: g.internalMemberUserids,
    wecomGoneReason: g.wecomGoneReason,
    outsidePortal: g.outsidePortal,
    administrators: g.administrators.map((a) => person(a.employeeId)).sort(),
    violations: g.violations.map((v) => ({ kind: v.kind, details: v.details, resolved: v.resolvedAt !== null })),
  }));
}
