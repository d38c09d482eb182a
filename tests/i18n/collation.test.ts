import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareNames } from "@/lib/i18n/format";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { createTestDb, type TestDb } from "../helpers/test-db";

// Names sorted by pinyin in SQL (prisma/migrations/20261207060000_zh_collation): the employees'
// and departments' name columns use the ICU collation zh_pinyin, so ORDER BY name gives the
// order the app's Intl.Collator('zh-CN') gives (PostgreSQL with ICU, as the tests run).

const NAMES = ["张伟", "王芳", "李娜", "安琪", "陈静", "赵磊", "欧阳修"];

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
  await db.prisma.$transaction(async (tx) => {
    const root = await makeDepartment(tx, { name: "总部", code: "HQ", parentId: null });
    for (const [i, name] of NAMES.entries()) {
      await makeDepartment(tx, { name: `${name}组`, code: `D${i}`, parentId: root.id });
      await makeEmployee(tx, { departmentId: root.id, name, email: `p${i}@example.test`, employeeNo: `P-${i}`, roles: ["EMPLOYEE"] });
    }
  });
});
afterAll(async () => db?.close());

describe("names by pinyin in SQL", () => {
  it("has the collation, with ICU's pinyin ordering", async () => {
    const [row] = await db.prisma.$queryRaw<{ provider: string }[]>`SELECT collprovider::text AS provider FROM pg_collation WHERE collname = 'zh_pinyin'`;
    expect(row.provider).toBe("i");
  });

  it("orders employees and departments by name as Intl.Collator('zh-CN') does", async () => {
    const people = (await db.prisma.employee.findMany({ where: { name: { in: NAMES } }, orderBy: { name: "asc" }, select: { name: true } })).map((e) => e.name);
    expect(people).toEqual(["安琪", "陈静", "李娜", "欧阳修", "王芳", "张伟", "赵磊"]);
    expect(people).toEqual([...NAMES].sort(compareNames));
    const departments = (await db.prisma.department.findMany({ where: { depth: { gt: 0 } }, orderBy: { name: "desc" }, select: { name: true } })).map((d) => d.name);
    expect(departments).toEqual(NAMES.map((n) => `${n}组`).sort(compareNames).reverse());
  });
});
