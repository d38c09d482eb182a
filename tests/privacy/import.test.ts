import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmConsentImport, getImport, stageConsentImport } from "@/lib/privacy/import";
import { retireNotice } from "@/lib/privacy/notices";
import { confirmImportSchema, importSchema, noticeRefSchema } from "@/lib/privacy/schemas";
import { checkConsent } from "@/lib/privacy/validity";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { expectOk, publishedNotice, run, seedOrganisation, subject, uniquePhone, usePiiKey } from "./helpers";

// Bulk import of existing consents: preview (every row checked, nothing in the register), then
// confirm (every valid row, once).

let db: TestDb;
let officer: Actor;
let alice: Actor;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  const org = await seedOrganisation(db.prisma);
  [officer, alice] = await Promise.all([org.people.privacy, org.people.alice].map((p) => actorFor(db.prisma, p.id)));
});
afterAll(async () => db?.close());

const HEADER = "name,phone,wecom_id,email,notice_key,purposes,categories,separate_consents,channel,method,evidence_ref,granted_at,minor,guardian_name,guardian_relation,guardian_consent";

describe("consent import", () => {
  it("previews every row with its reasons, adds nothing until confirmed, then adds the valid rows once", async () => {
    // In force since before the consents below were given (a consent cannot predate its notice).
    await publishedNotice(db.prisma, officer, { noticeKey: "imp-current" }, new Date("2026-10-01T00:00:00+08:00"));
    const old = await publishedNotice(db.prisma, officer, { noticeKey: "imp-old" });
    expectOk(await run(db.prisma, officer, noticeRefSchema, { id: old.id, version: old.version }, retireNotice));
    const existingPhone = uniquePhone();
    const existing = await subject(db.prisma, alice, { name: "老客户", phone: existingPhone, wecomId: "wmImportExisting1" });
    const otherPhone = uniquePhone();
    await subject(db.prisma, alice, { name: "另一客户", phone: otherPhone });
    const newPhone = uniquePhone();
    const csv = [
      HEADER,
      `新客户,${newPhone},,,imp-current,SERVICE,CONTACT,,WECOM,勾选同意,EV-1,2026-11-01 10:00,no,,,`,
      `新客户,${newPhone},,,imp-current,MARKETING,CONTACT,,PAPER,纸质签字,EV-2,2026-11-02 10:00,no,,,`,
      `老客户,${existingPhone},,,imp-current,SERVICE,,,PHONE,电话确认,,2026-11-03,no,,,`,
      `坏号码,12345,,,imp-current,SERVICE,,,WECOM,勾选,,2026-11-01,no,,,`,
      `停用政策,${uniquePhone()},,,imp-old,SERVICE,,,WECOM,勾选,,2026-11-01,no,,,`,
      `冲突,,wmImportExisting1,,imp-current,SERVICE,,,WECOM,勾选,,2026-11-01,no,,,`,
      `小朋友,${uniquePhone()},,,imp-current,SERVICE,,,WECOM,勾选,,2026-11-01,yes,,,`,
      `混合,${otherPhone},wmImportExisting1,,imp-current,SERVICE,,,WECOM,勾选,,2026-11-01,no,,,`,
    ].join("\n");
    // The 6th row's WeCom id belongs to 老客户: same subject, so it is valid (not a conflict).
    const before = await db.prisma.consentEvent.count();
    const { importId } = expectOk(await run(db.prisma, officer, importSchema, { fileName: "legacy.csv", csv }, (ctx) => stageConsentImport(ctx)));
    expect(await db.prisma.consentEvent.count()).toBe(before);
    const preview = (await getImport(db.prisma, importId, officer.id))!;
    expect(preview).toMatchObject({ totalRows: 8, validRows: 4, invalidRows: 4, status: "READY" });
    const reasons = Object.fromEntries(preview.rows.map((r) => [r.rowNumber, r.reasons]));
    expect(reasons).toMatchObject({ 5: "phone", 6: "noticeRetired", 8: "minorNeedsGuardian", 9: "identifierConflict" });
    expect(JSON.stringify(await db.prisma.consentImportRow.findMany({ where: { importId } }))).not.toContain(newPhone);

    const { inserted } = expectOk(await run(db.prisma, officer, confirmImportSchema, { importId }, (ctx) => confirmConsentImport(ctx)));
    expect(inserted).toBe(4);
    expect(await db.prisma.consentEvent.count()).toBe(before + 4);
    const created = await db.prisma.dataSubject.findMany({ where: { name: "新客户" } });
    expect(created).toHaveLength(1);
    expect(await checkConsent(db.prisma, created[0].id, { purpose: "MARKETING" })).toMatchObject({ valid: true });
    expect(await db.prisma.consentEvent.count({ where: { subjectId: existing.id } })).toBe(2);
    expect(await run(db.prisma, officer, confirmImportSchema, { importId }, (ctx) => confirmConsentImport(ctx))).toMatchObject({ ok: false, messageKey: "privacy.import.errors.notReady" });
    expect(await db.prisma.consentEvent.count()).toBe(before + 4);
  });

  it("a quote that never closes is that row's problem, not a crash: the rows after it are still checked", async () => {
    await publishedNotice(db.prisma, officer, { noticeKey: "imp-quote" }, new Date("2026-10-01T00:00:00+08:00"));
    const csv = [
      HEADER,
      `引号前,${uniquePhone()},,,imp-quote,SERVICE,,,WECOM,勾选,,2026-11-01,no,,,`,
      `"没结束,${uniquePhone()},,,imp-quote,SERVICE,,,WECOM,勾选,,2026-11-01,no,,,`,
      `引号后,${uniquePhone()},,,imp-quote,SERVICE,,,WECOM,勾选,,2026-11-01,no,,,`,
      `最后,${uniquePhone()},,,imp-quote,SERVICE,,,WECOM,勾选,,2026-11-01,no,,,`,
    ].join("\r\n");
    const { importId } = expectOk(await run(db.prisma, officer, importSchema, { fileName: "quote.csv", csv }, (ctx) => stageConsentImport(ctx)));
    const preview = (await getImport(db.prisma, importId, officer.id))!;
    expect(preview).toMatchObject({ totalRows: 4, validRows: 3, invalidRows: 1 });
    const reasons = Object.fromEntries(preview.rows.map((r) => [r.rowNumber, r.reasons.split(",")[0]]));
    expect(reasons).toEqual({ 2: "", 3: "unterminatedQuote", 4: "", 5: "" });
    // A header that cannot be read is refused as a whole, with a message.
    expect(await run(db.prisma, officer, importSchema, { fileName: "h.csv", csv: `"${HEADER}\nx` }, (ctx) => stageConsentImport(ctx))).toMatchObject({ ok: false, messageKey: "privacy.import.errors.headerUnreadable" });
  });

  it("a file without the required columns is refused naming them", async () => {
    const outcome = await run(db.prisma, officer, importSchema, { fileName: "x.csv", csv: "name,phone\n张三,13800138000" }, (ctx) => stageConsentImport(ctx));
    expect(outcome).toMatchObject({ ok: false, messageKey: "privacy.import.errors.missingColumns", params: { columns: "notice_key, purposes, channel, method, granted_at" } });
    expect(await run(db.prisma, alice, importSchema, { fileName: "x.csv", csv: "a" }, (ctx) => stageConsentImport(ctx))).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });
});
