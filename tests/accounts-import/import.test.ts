import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { externalIdFields } from "@/lib/accounts/contact-ids";
import { confirmImport, purgeStaleImports, stageImport } from "@/lib/accounts/import/commands";
import { getImport, previewRows } from "@/lib/accounts/import/queries";
import type { Actor } from "@/lib/server/actor";
import { DomainError } from "@/lib/server/errors";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { byExternalIds, csvBytes, HEADER, seedImportOrg, type ImportOrg } from "./helpers";

let db: TestDb;
let org: ImportOrg;
let admin: Actor;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedImportOrg(db.prisma);
  admin = await actorFor(db.prisma, org.adminId);
});
afterAll(async () => db?.close());

const stage = (lines: string[], name = "contacts.csv") => stageImport(db.prisma, admin, { name, bytes: csvBytes(lines) });
const confirm = (importId: string) => inUnitOfWork(db.prisma, admin, ({ tx, audit }) => confirmImport(admin, { importId }, tx, audit));

async function rowsByNumber(importId: string) {
  const all = [...(await previewRows(db.prisma, importId, "ADD")), ...(await previewRows(db.prisma, importId, "DUPLICATE")), ...(await previewRows(db.prisma, importId, "INVALID"))];
  return new Map(all.map((r) => [r.rowNumber, r]));
}

describe("preview", () => {
  it("sorts rows into to-add, duplicates (in the file and in the database) and invalid with reasons, and writes no contact", async () => {
    await db.prisma.customerContact.create({ data: { accountId: org.accounts.wechat, ...externalIdFields("wm_existing"), name: "老客户", addedAt: new Date("2025-01-01T00:00:00Z") } });
    const { importId, status } = await stage([
      HEADER,
      "wm_a,张三,深圳科技,2025-03-01 10:00:00,zhangsan", // 2: by platform identifier (keyed hash)
      `wm_b,李四,,1735689600,${org.accounts.wecom}`, // 3: by account id, unix seconds
      "wm_c,王五,广州贸易,2025/3/2,客服微信", // 4: by display name
      "wm_a,张三（重复）,深圳科技,2025-03-01,zhangsan", // 5: repeats row 2
      "wm_existing,老客户,,2025-01-01,客服微信", // 6: already on the account
      ",无ID,,2025-01-01,zhangsan", // 7: missing external id
      "wm_d,赵六,,2025-01-01,nobody", // 8: unknown account
      "wm_e,钱七,,2025-02-30,zhangsan", // 9: bad date
      `wm_f,${"长".repeat(201)},,2025-01-01,zhangsan`, // 10: over-long name
      '"wm_g","控制\u0007字符",,2025-01-01,zhangsan', // 11: control character
      "wm_h,孙八,,2025-01-01,旧账号", // 12: dissolved account
      "wm_i,周九,,2025-01-01,同名账号", // 13: two accounts with this name
      "wm_a,同ID不同账号,,2025-01-01,客服微信", // 14: same external id on another account: fine
    ]);
    expect(status).toBe("READY");
    const summary = await getImport(db.prisma, importId);
    expect(summary).toMatchObject({ encoding: "UTF-8", totalRows: 13, addCount: 4, duplicateCount: 2, invalidCount: 7 });
    const rows = await rowsByNumber(importId);
    expect([2, 3, 4, 14].map((n) => rows.get(n)?.category)).toEqual(["ADD", "ADD", "ADD", "ADD"]);
    expect(rows.get(5)).toMatchObject({ category: "DUPLICATE", reasons: "duplicateInFile", duplicateOfRow: 2 });
    expect(rows.get(6)).toMatchObject({ category: "DUPLICATE", reasons: "duplicateExisting" });
    expect(Object.fromEntries([7, 8, 9, 10, 11, 12, 13].map((n) => [n, rows.get(n)?.reasons]))).toEqual({
      7: "missingExternalId",
      8: "unknownAccount",
      9: "badAddedAt",
      10: "nameTooLong",
      11: "nameControlChars",
      12: "accountClosed",
      13: "ambiguousAccount",
    });
    // Staged rows are not contacts.
    expect(await db.prisma.customerContact.count({ where: { ...byExternalIds(["wm_a", "wm_b", "wm_c"]) } })).toBe(0);
    expect(await db.prisma.auditEvent.count({ where: { entityId: importId, action: "contactImport.stage" } })).toBe(1);
  });

  it("refuses a file with missing columns with one message naming them, keeping no rows", async () => {
    const { importId, status } = await stage(["客户名称,企业", "张三,深圳科技"]);
    expect(status).toBe("FAILED");
    expect(await getImport(db.prisma, importId)).toMatchObject({ status: "FAILED", errorKey: "missingColumns", errorDetail: "externalId,addedAt,account" });
    expect(await db.prisma.contactImportRow.count({ where: { importId } })).toBe(0);
  });

  it("refuses a file where two columns name the same field, naming the extra column", async () => {
    const { importId } = await stage(["客户ID,客户名称,name,添加时间,所属账号", "wm_1,张三,Zhang San,2025-01-01,zhangsan"]);
    expect(await getImport(db.prisma, importId)).toMatchObject({ status: "FAILED", errorKey: "repeatedColumns", errorDetail: "name" });
  });

  it("makes a quote that never closes its row's problem (the rows after it are read), refuses an unreadable header and an empty file", async () => {
    const broken = await stage([HEADER, "wm_q1,ok,,2025-01-01,zhangsan", '"wm_q2,broken,,2025-01-01,zhangsan', "wm_q3,more,,2025-01-01,zhangsan"]);
    expect(await getImport(db.prisma, broken.importId)).toMatchObject({ status: "READY", addCount: 2, invalidCount: 1 });
    const rows = await db.prisma.contactImportRow.findMany({ where: { importId: broken.importId }, orderBy: { rowNumber: "asc" } });
    expect(rows.map((r) => [r.rowNumber, r.category, r.reasons.split(",")[0]])).toEqual([
      [2, "ADD", ""],
      [3, "INVALID", "unterminatedQuote"],
      [4, "ADD", ""],
    ]);
    const badHeader = await stage([`"${HEADER}`, "wm_q4,ok,,2025-01-01,zhangsan"]);
    expect(await getImport(db.prisma, badHeader.importId)).toMatchObject({ status: "FAILED", errorKey: "unterminatedQuote", errorDetail: "1" });
    const empty = await stage([HEADER]);
    expect(await getImport(db.prisma, empty.importId)).toMatchObject({ status: "FAILED", errorKey: "empty" });
  });

  it("reads a GBK file (English headers, quoted cells with commas and line breaks) and says GB18030 was detected", async () => {
    const text = `external_userid,name,corp_name,createtime,holder account\r\nwm_gbk1,"陈, 大文","北京某某""有限""公司",1735689600,zhangsan\r\nwm_gbk3,"换行","上海\r\n公司",2025-01-02,zhangsan\r\nwm_gbk2,刘小红,,2025-01-02,zhangsan\r\n`;
    const { importId } = await stageImport(db.prisma, admin, { name: "企业微信导出.csv", bytes: new Uint8Array(iconv.encode(text, "gbk")) });
    expect(await getImport(db.prisma, importId)).toMatchObject({ encoding: "GB18030", addCount: 2, invalidCount: 1, fileName: "企业微信导出.csv" });
    // A line break inside a quoted cell is read (the next record starts two lines later), but a
    // company name is one line.
    const rows = await rowsByNumber(importId);
    expect(rows.get(3)).toMatchObject({ category: "INVALID", reasons: "companyControlChars", rawCompany: "上海\r\n公司" });
    expect(rows.get(5)).toMatchObject({ category: "ADD", rawName: "刘小红" });
    await confirm(importId);
    const saved = await db.prisma.customerContact.findMany({ where: { ...byExternalIds(["wm_gbk1", "wm_gbk2"]) }, orderBy: { externalIdMask: "asc" } });
    expect(saved.map((c) => [c.name, c.company])).toEqual([
      ["陈, 大文", '北京某某"有限"公司'],
      ["刘小红", null],
    ]);
  });
});

describe("confirm", () => {
  it("inserts every row to add in one go with one audit event; confirming again inserts nothing", async () => {
    const { importId } = await stage([HEADER, "wm_c1,一,,2025-01-01,zhangsan", "wm_c2,二,,2025-01-01,zhangsan", "wm_c1,一again,,2025-01-01,zhangsan", ",bad,,2025-01-01,zhangsan"]);
    const result = await confirm(importId);
    expect(result.inserted).toBe(2);
    const saved = await db.prisma.customerContact.findMany({ where: { accountId: org.accounts.wecom, ...byExternalIds(["wm_c1", "wm_c2"]) } });
    expect(saved.map((c) => c.name).sort()).toEqual(["一", "二"]);
    expect(saved[0].id).toMatch(/^[a-f0-9]{32}$/);
    const events = await db.prisma.auditEvent.findMany({ where: { entityId: importId, action: "contactImport.confirm" } });
    expect(events).toHaveLength(1);
    expect(events[0].after).toMatchObject({ inserted: 2, duplicates: 1, invalid: 1 });

    await expect(confirm(importId)).rejects.toMatchObject({ code: "INVALID_STATE", messageKey: "contactImport.errors.alreadyConfirmed", options: { params: { count: 2 } } });
    expect(await db.prisma.customerContact.count({ where: { ...byExternalIds(["wm_c1", "wm_c2"]) } })).toBe(2);
  });

  it("two confirmations at once insert once", async () => {
    const { importId } = await stage([HEADER, "wm_p1,甲,,2025-01-01,zhangsan", "wm_p2,乙,,2025-01-01,zhangsan", "wm_p3,丙,,2025-01-01,zhangsan"]);
    const results = await Promise.allSettled([confirm(importId), confirm(importId)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(DomainError);
    expect(await db.prisma.customerContact.count({ where: { ...byExternalIds(["wm_p1", "wm_p2", "wm_p3"]) } })).toBe(3);
  });

  it("is all or nothing: a contact added elsewhere since the preview means nothing is written", async () => {
    const { importId } = await stage([HEADER, "wm_r1,一,,2025-01-01,zhangsan", "wm_r2,二,,2025-01-01,zhangsan", "wm_r3,三,,2025-01-01,zhangsan"]);
    await db.prisma.customerContact.create({ data: { accountId: org.accounts.wecom, ...externalIdFields("wm_r3"), name: "其他人加的", addedAt: new Date() } });
    await expect(confirm(importId)).rejects.toMatchObject({ code: "CONFLICT", messageKey: "contactImport.errors.race" });
    expect(await db.prisma.customerContact.count({ where: { ...byExternalIds(["wm_r1", "wm_r2"]) } })).toBe(0);
    expect(await getImport(db.prisma, importId)).toMatchObject({ status: "READY", insertedCount: null });
    expect(await db.prisma.auditEvent.count({ where: { entityId: importId, action: "contactImport.confirm" } })).toBe(0);
  });

  it("is all or nothing: an account closed since the preview means nothing is written", async () => {
    const temp = await db.prisma.account.create({
      data: { type: "VIDEO_CHANNEL", displayName: "临时视频号", platformIdCipher: "x", platformIdHash: "temp-hash", platformIdMask: "x", custodianDepartmentId: (await db.prisma.department.findFirstOrThrow()).id, status: "ACTIVE", requestedById: admin.id },
    });
    const { importId } = await stage([HEADER, "wm_s1,一,,2025-01-01,zhangsan", "wm_s2,二,,2025-01-01,临时视频号"]);
    await db.prisma.account.update({ where: { id: temp.id }, data: { status: "DISSOLVED" } });
    await expect(confirm(importId)).rejects.toMatchObject({ code: "CONFLICT", messageKey: "contactImport.errors.accountsChanged" });
    expect(await db.prisma.customerContact.count({ where: { ...byExternalIds(["wm_s1", "wm_s2"]) } })).toBe(0);
  });

  it("keeps formula-looking cells as text", async () => {
    const { importId } = await stage([HEADER, `wm_f1,"=cmd|' /C calc'!A0",+SUM(1),2025-01-01,zhangsan`, "wm_f2,@evil,-2+3,2025-01-01,zhangsan"]);
    await confirm(importId);
    const saved = await db.prisma.customerContact.findMany({ where: { accountId: org.accounts.wecom, ...byExternalIds(["wm_f1", "wm_f2"]) }, orderBy: { externalIdMask: "asc" } });
    expect(saved.map((c) => [c.name, c.company]).sort()).toEqual([
      ["=cmd|' /C calc'!A0", "+SUM(1)"],
      ["@evil", "-2+3"],
    ]);
  });
});

describe("clean-up", () => {
  it("deletes staged rows older than 24 hours and marks unconfirmed imports expired", async () => {
    const { importId } = await stage([HEADER, "wm_old,旧,,2025-01-01,zhangsan"]);
    await db.prisma.contactImport.update({ where: { id: importId }, data: { createdAt: new Date(Date.now() - 25 * 3600_000) } });
    await purgeStaleImports(db.prisma);
    expect(await getImport(db.prisma, importId)).toMatchObject({ status: "EXPIRED" });
    expect(await db.prisma.contactImportRow.count({ where: { importId } })).toBe(0);
    await expect(confirm(importId)).rejects.toMatchObject({ messageKey: "contactImport.errors.notReady" });
  });
});
