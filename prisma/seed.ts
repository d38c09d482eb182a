import { hashPassword } from "../lib/auth/password";
import type { RoleCode } from "../lib/auth/permissions";
import { writeAuditEvent } from "../lib/server/audit-write";
import type { DbClient } from "../lib/server/prisma-client";
import { seedDemoAccounts } from "../lib/accounts/demo-seed";
import { seedDemoContent } from "../lib/content/demo-seed";
import { seedDemoDashboard } from "../lib/dashboard/demo-seed";
import { seedDemoGroups } from "../lib/groups/demo-seed";
import { seedDemoService } from "../lib/service/demo-seed";
import { seedDemoPrivacy } from "../lib/privacy/demo-seed";
import { seedDemoTraining } from "../lib/training/demo-seed";
import { makeDepartment, makeEmployee } from "./factories";

// The demo organisation a new user of `npm start` sees: a department tree four levels deep,
// 48 employees, every role held by a named demo sign-in. Runs once, on an empty database.

export const DEMO_PASSWORD = "WeGovern-2026!";

export const DEMO_SIGN_INS: { email: string; name: string; roles: RoleCode[]; dept: string; note?: string }[] = [
  { email: "admin@wegovern.demo", name: "周建国", roles: ["ADMIN", "EMPLOYEE"], dept: "IT" },
  { email: "hr@wegovern.demo", name: "林晓燕", roles: ["HR", "EMPLOYEE"], dept: "HR" },
  { email: "manager@wegovern.demo", name: "王海涛", roles: ["MANAGER", "EMPLOYEE"], dept: "SALES-EAST" },
  { email: "privacy@wegovern.demo", name: "陈静怡", roles: ["PRIVACY_OFFICER", "EMPLOYEE"], dept: "LEGAL" },
  { email: "auditor@wegovern.demo", name: "赵明远", roles: ["AUDITOR", "EMPLOYEE"], dept: "LEGAL" },
  { email: "employee@wegovern.demo", name: "李小雨", roles: ["EMPLOYEE"], dept: "SALES-EAST-SH1" },
  { email: "south.manager@wegovern.demo", name: "黄志强", roles: ["MANAGER", "EMPLOYEE"], dept: "SALES-SOUTH" },
  { email: "departed@wegovern.demo", name: "吴已离", roles: ["EMPLOYEE"], dept: "SALES-SOUTH", note: "DEPARTED: cannot sign in" },
];

const TREE: { code: string; name: string; parent?: string }[] = [
  { code: "HQ", name: "总公司" },
  { code: "SALES", name: "销售中心", parent: "HQ" },
  { code: "SALES-EAST", name: "华东销售部", parent: "SALES" },
  { code: "SALES-EAST-SH1", name: "上海销售一组", parent: "SALES-EAST" },
  { code: "SALES-EAST-HZ", name: "杭州销售组", parent: "SALES-EAST" },
  { code: "SALES-SOUTH", name: "华南销售部", parent: "SALES" },
  { code: "SALES-SOUTH-GZ", name: "广州销售组", parent: "SALES-SOUTH" },
  { code: "CS", name: "客户服务部", parent: "HQ" },
  { code: "CS-ONLINE", name: "在线客服组", parent: "CS" },
  { code: "MKT", name: "市场部", parent: "HQ" },
  { code: "HR", name: "人力资源部", parent: "HQ" },
  { code: "IT", name: "信息技术部", parent: "HQ" },
  { code: "LEGAL", name: "法务合规部", parent: "HQ" },
];

const SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗";
const GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "丽", "强", "鹏", "晨"];

export async function seedDemo(prisma: DbClient, log: (line: string) => void = console.log): Promise<boolean> {
  if ((await prisma.employee.count()) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await prisma.$transaction(
    async (tx) => {
      const depts = new Map<string, string>();
      for (const d of TREE) {
        const created = await makeDepartment(tx, { name: d.name, code: d.code, parentId: d.parent ? depts.get(d.parent) : null });
        depts.set(d.code, created.id);
      }
      const named = new Map<string, string>();
      for (const [i, p] of DEMO_SIGN_INS.entries()) {
        const departed = p.note?.startsWith("DEPARTED");
        const e = await makeEmployee(tx, {
          departmentId: depts.get(p.dept)!,
          name: p.name,
          email: p.email,
          employeeNo: `WG${String(i + 1).padStart(4, "0")}`,
          roles: p.roles,
          passwordHash,
          status: departed ? "DEPARTED" : "ACTIVE",
          hireDate: new Date(Date.UTC(2021 + (i % 4), i % 12, 1 + i)),
          leaveDate: departed ? new Date("2026-10-31T00:00:00Z") : null,
        });
        named.set(p.email, e.id);
      }
      // Managers of the departments the demo managers run; the rest are left without one so the
      // tree-walk (a department without a manager answers to its parent's) is visible.
      const setManager = (code: string, email: string) =>
        tx.department.update({ where: { id: depts.get(code)! }, data: { managerId: named.get(email)! } });
      await setManager("SALES-EAST", "manager@wegovern.demo");
      await setManager("SALES-SOUTH", "south.manager@wegovern.demo");
      await setManager("HR", "hr@wegovern.demo");
      await setManager("IT", "admin@wegovern.demo");

      const leaves = ["SALES-EAST-SH1", "SALES-EAST-HZ", "SALES-SOUTH-GZ", "CS-ONLINE", "CS", "MKT", "HR", "IT", "LEGAL", "SALES-EAST"];
      for (let n = 0; n < 40; n++) {
        const code = leaves[n % leaves.length];
        const name = `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7) % GIVEN.length]}`;
        await makeEmployee(tx, {
          departmentId: depts.get(code)!,
          name,
          email: `staff${String(n + 1).padStart(2, "0")}@wegovern.demo`,
          employeeNo: `WG${String(100 + n).padStart(4, "0")}`,
          roles: ["EMPLOYEE"],
          passwordHash,
          status: n % 13 === 12 ? "OFFBOARDING" : "ACTIVE",
          managerId: code.startsWith("SALES-EAST") ? named.get("manager@wegovern.demo")! : null,
          hireDate: new Date(Date.UTC(2019 + (n % 7), (n * 5) % 12, 1 + (n % 27))),
        });
      }
      // Legal is headed by one of its staff: a SECRET group there needs three different deciders
      // (its head, the privacy officer, the ADMIN), as nobody decides two steps of one request.
      const legalHead = await tx.employee.findUniqueOrThrow({ where: { email: "staff19@wegovern.demo" }, select: { id: true } });
      await tx.department.update({ where: { id: depts.get("LEGAL")! }, data: { managerId: legalHead.id } });
      await writeAuditEvent(tx, { id: null, label: "system", ip: null }, {
        action: "seed.demo",
        entityType: "Organisation",
        entityId: depts.get("HQ")!,
        after: { departments: TREE.length, employees: DEMO_SIGN_INS.length + 40 },
      });
      await seedDemoGroups(tx, log);
      await seedDemoAccounts(tx, log);
      await seedDemoService(tx, log);
      await seedDemoPrivacy(tx, log);
      await seedDemoTraining(tx, log);
      await seedDemoContent(tx, log);
      // Last: the history is drawn around the figures everything above produced.
      await seedDemoDashboard(tx, log);
    },
    // One transaction for the whole demo: generous, as seeding runs once and often on a busy machine
    // (the e2e server seeds while the build's workers and the browsers start).
    { timeout: 300_000, maxWait: 60_000 },
  );
  log(`Seeded the demo organisation: ${TREE.length} departments, ${DEMO_SIGN_INS.length + 40} employees.`);
  return true;
}
