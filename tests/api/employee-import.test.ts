import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEmployeeFile, runEmployeeImport } from "@/lib/api/employee-import";
import { createTranslator, messagesFor } from "@/lib/i18n/translate";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedApiOrganisation, type ApiOrganisation } from "./helpers";
import { actorFor } from "../helpers/actors";

// The employee import from an HR system's file: UTF-8 and GBK CSV, Chinese or English headers,
// the bulk upsert's row rules, a preview that writes nothing, then all or nothing.

const t = createTranslator(messagesFor("en"));
let db: TestDb;
let org: ApiOrganisation;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedApiOrganisation(db.prisma);
});
afterAll(async () => db?.close());

const csv = ["工号,姓名,邮箱,部门编码,入职日期,上级工号,离职日期", "I-1,导入一,i-1@example.test,SALES,2026/3/1,,", "I-2,导入二,i-2@example.test,HQ,2026-03-02,I-1,", "E-002,张伟,e-002@example.test,SALES-EAST-SH1,2026-01-01,,2099-12-31"].join("\r\n");

describe("employee import", () => {
  it("reads UTF-8 and GBK alike, with Chinese headers and dates as HR systems write them", async () => {
    const utf8 = await parseEmployeeFile("hr.csv", new TextEncoder().encode(csv), t);
    const gbk = await parseEmployeeFile("hr.csv", new Uint8Array(iconv.encode(csv, "gbk")), t);
    expect(utf8.errors).toEqual([]);
    expect(gbk.encoding).toBe("GB18030");
    expect(gbk.rows.map((r) => r.name)).toEqual(utf8.rows.map((r) => r.name));
    expect(utf8.rows[0]).toMatchObject({ employeeNo: "I-1", departmentCode: "SALES" });
    expect(utf8.rows[1].managerNo).toBe("I-1");
    expect(utf8.rows[2].leaveDate).toBe("2099-12-31");
  });

  it("reports a missing column and bad rows with their row pointers", async () => {
    const missing = await parseEmployeeFile("hr.csv", new TextEncoder().encode("工号,姓名\nX,Y"), t);
    expect(missing.errors.map((e) => e.code)).toContain("missing_column");
    const bad = await parseEmployeeFile("hr.csv", new TextEncoder().encode(`${csv}\nI-3,,not-an-email,HQ,yesterday,,`), t);
    expect(bad.errors.map((e) => e.pointer)).toEqual(expect.arrayContaining(["/employees/3/name", "/employees/3/email", "/employees/3/hireDate"]));
  });

  it("previews without writing, then imports all or nothing; the leaver's offboarding case opens", async () => {
    const hr = await actorFor(db.prisma, org.hr.id);
    const { rows } = await parseEmployeeFile("hr.csv", new TextEncoder().encode(csv), t);
    const events = await db.prisma.auditEvent.count();
    const preview = await runEmployeeImport(db.prisma, hr, rows, t, { preview: true });
    expect(preview).toMatchObject({ ok: true, result: { created: 2, leavers: 1 } });
    if (preview.ok) expect(preview.result.updated + preview.result.unchanged).toBe(1);
    expect(await db.prisma.employee.count({ where: { employeeNo: { in: ["I-1", "I-2"] } } })).toBe(0);
    expect(await db.prisma.auditEvent.count()).toBe(events);
    const refused = await runEmployeeImport(db.prisma, hr, [...rows, { ...rows[0], employeeNo: "I-9", email: "i-9@example.test", departmentCode: "NOPE" }], t, { preview: true });
    expect(refused).toMatchObject({ ok: false, errors: [expect.objectContaining({ pointer: "/employees/3/departmentCode" })] });
    await db.prisma.$transaction(async (tx) => {
      const { writeAuditEvent } = await import("@/lib/server/audit-write");
      const done = await runEmployeeImport(db.prisma, hr, rows, t, { preview: false, tx, audit: (e) => writeAuditEvent(tx, { id: hr.id, label: hr.email, ip: null }, e) });
      expect(done.ok).toBe(true);
    });
    expect(await db.prisma.employee.count({ where: { employeeNo: { in: ["I-1", "I-2"] } } })).toBe(2);
    expect(await db.prisma.offboardingCase.count({ where: { employeeId: org.people.bob.id, status: "OPEN" } })).toBe(1);
  });
});
