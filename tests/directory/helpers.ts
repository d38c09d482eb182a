import type { DbClient } from "@/lib/server/prisma-client";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
export { expectOk, run, type Outcome } from "../helpers/run-command";

// Runs a directory command the way defineAction does (zod, then one unit of work with its audit),
// and reports the outcome as data: the code, the field and the untranslated message keys.

/** A small organisation: HQ › Sales › East › Shanghai-1, Sales › South, HQ › HR, with one person
 * per role and a few staff. */
export async function seedOrganisation(prisma: DbClient) {
  return prisma.$transaction(async (tx) => {
    const hq = await makeDepartment(tx, { name: "总公司", code: "HQ" });
    const sales = await makeDepartment(tx, { name: "销售中心", code: "SALES", parentId: hq.id });
    const east = await makeDepartment(tx, { name: "华东销售部", code: "SALES-EAST", parentId: sales.id });
    const sh1 = await makeDepartment(tx, { name: "上海销售一组", code: "SALES-EAST-SH1", parentId: east.id });
    const south = await makeDepartment(tx, { name: "华南销售部", code: "SALES-SOUTH", parentId: sales.id });
    const hrDept = await makeDepartment(tx, { name: "人力资源部", code: "HR", parentId: hq.id });
    const admin = await makeEmployee(tx, { departmentId: hq.id, name: "周建国", email: "admin@example.test", employeeNo: "A-001", roles: ["ADMIN", "EMPLOYEE"] });
    const hr = await makeEmployee(tx, { departmentId: hrDept.id, name: "林晓燕", email: "hr@example.test", employeeNo: "H-001", roles: ["HR", "EMPLOYEE"] });
    const auditor = await makeEmployee(tx, { departmentId: hq.id, name: "赵明远", email: "auditor@example.test", employeeNo: "U-001", roles: ["AUDITOR", "EMPLOYEE"] });
    const manager = await makeEmployee(tx, { departmentId: east.id, name: "王海涛", email: "manager@example.test", employeeNo: "M-001", roles: ["MANAGER", "EMPLOYEE"] });
    const eastStaff = await makeEmployee(tx, { departmentId: east.id, name: "张伟", email: "zhang.wei@example.test", employeeNo: "E-001" });
    const sh1Staff = await makeEmployee(tx, { departmentId: sh1.id, name: "李小雨", email: "li.xiaoyu@example.test", employeeNo: "E-002" });
    const southStaff = await makeEmployee(tx, { departmentId: south.id, name: "黄志强", email: "huang@example.test", employeeNo: "S-001" });
    const departed = await makeEmployee(tx, { departmentId: south.id, name: "吴已离", email: "gone@example.test", employeeNo: "S-002", status: "DEPARTED", leaveDate: new Date("2025-01-31T00:00:00Z") });
    const plain = await makeEmployee(tx, { departmentId: hq.id, name: "陈静", email: "chen@example.test", employeeNo: "P-001" });
    return {
      dept: { hq, sales, east, sh1, south, hr: hrDept },
      people: { admin, hr, auditor, manager, eastStaff, sh1Staff, southStaff, departed, plain },
    };
  });
}

export type Organisation = Awaited<ReturnType<typeof seedOrganisation>>;
