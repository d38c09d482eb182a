import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { loadCalendar } from "@/lib/calendar/store";
import { answerCheck } from "@/lib/privacy/check";
import { recordConsent, recordExpiries, renewConsent, withdrawConsent } from "@/lib/privacy/consents";
import { runPrivacyDeadlines } from "@/lib/jobs/handlers";
import { completeRequest, createRequest, refuseRequest, requestDueAt, verifyIdentity } from "@/lib/privacy/requests";
import { draftNotice, publishNotice, retireNotice, updateNoticeDraft } from "@/lib/privacy/notices";
import { privacyAttentionFrom } from "@/lib/privacy/attention";
import { createIncident, updateIncident } from "@/lib/privacy/incidents";
import { CONSENT_EXPORT_HEADER, consentExportLines } from "@/lib/privacy/consent-export";
import { listConsents, unreportedWhere } from "@/lib/privacy/queries";
import { checkQuerySchema, completeSchema, consentListSchema, consentSchema, incidentSchema, incidentUpdateSchema, noticeDraftSchema, noticeRefSchema, noticeUpdateSchema, refuseSchema, renewSchema, requestSchema, subjectSchema, verifySchema, withdrawSchema } from "@/lib/privacy/schemas";
import { createSubjectCommand } from "@/lib/privacy/subjects";
import { checkConsent } from "@/lib/privacy/validity";
import { decrypt } from "@/lib/pii";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { consentForm, expectOk, grant, noticeForm, publishedNotice, run, seedOrganisation, subject, uniquePhone, usePiiKey, type Organisation } from "./helpers";

let db: TestDb;
let org: Organisation;
let officer: Actor;
let alice: Actor;
let auditor: Actor;
const DAY = 86_400_000;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  [officer, alice, auditor] = await Promise.all([org.people.privacy, org.people.alice, org.people.auditor].map((p) => actorFor(db.prisma, p.id)));
});
afterAll(async () => db?.close());

const events = () => db.prisma.consentEvent.count();
const check = (subjectId: string, purpose = "SERVICE", separate?: string, now?: Date) => checkConsent(db.prisma, subjectId, { purpose, separate: separate as never }, now);

describe("privacy notices", () => {
  it("publishing without a retention period or a processor contact is refused precisely and changes nothing", async () => {
    for (const [missing, key] of [
      [{ retentionDays: "" }, "privacy.errors.publishNeedsRetention"],
      [{ processorContact: "" }, "privacy.errors.publishNeedsProcessorContact"],
    ] as const) {
      const { id } = expectOk(await run(db.prisma, officer, noticeDraftSchema, noticeForm(missing), draftNotice));
      const before = await db.prisma.privacyNotice.findUniqueOrThrow({ where: { id } });
      const outcome = await run(db.prisma, officer, noticeRefSchema, { id, version: before.version }, publishNotice);
      expect(outcome).toMatchObject({ ok: false, code: "VALIDATION", messageKey: key });
      expect(await db.prisma.privacyNotice.findUniqueOrThrow({ where: { id } })).toEqual(before);
    }
  });

  it("a draft is edited then published; the previous version retires; a published version never changes", async () => {
    const v1 = await publishedNotice(db.prisma, officer, { noticeKey: "shop" });
    const form = noticeForm({ noticeKey: "shop", retentionDays: "" });
    const { id } = expectOk(await run(db.prisma, officer, noticeDraftSchema, form, draftNotice));
    const draft = await db.prisma.privacyNotice.findUniqueOrThrow({ where: { id } });
    expect(draft.noticeVersion).toBe(2);
    expectOk(await run(db.prisma, officer, noticeUpdateSchema, { ...form, id, version: draft.version, retentionDays: "730" }, updateNoticeDraft));
    expectOk(await run(db.prisma, officer, noticeRefSchema, { id, version: draft.version + 1 }, publishNotice));
    expect((await db.prisma.privacyNotice.findUniqueOrThrow({ where: { id: v1.id } })).status).toBe("RETIRED");
    const v2 = await db.prisma.privacyNotice.findUniqueOrThrow({ where: { id } });
    expect(v2).toMatchObject({ status: "PUBLISHED", retentionDays: 730 });
    expect(await run(db.prisma, officer, noticeUpdateSchema, { ...form, id, version: v2.version, retentionDays: "10" }, updateNoticeDraft)).toMatchObject({ ok: false, messageKey: "privacy.errors.noticeNotDraft" });
    await expect(db.prisma.$executeRaw`UPDATE privacy_notices SET retention_days = 1 WHERE id = ${id}`).rejects.toThrow(/never changes/);
    await expect(db.prisma.$executeRaw`DELETE FROM privacy_notices WHERE id = ${id}`).rejects.toThrow(/cannot be deleted/);
    expect((await db.prisma.privacyNotice.findUniqueOrThrow({ where: { id } })).retentionDays).toBe(730);
  });
});

describe("data subjects", () => {
  it("stores identifiers encrypted with a hash and a mask, never clear in the row or the audit trail", async () => {
    const phone = uniquePhone();
    const { id } = await subject(db.prisma, alice, { phone: `+86 ${phone}`, wecomId: "wmABCdef123456", email: "Wang.JH@Example.com" });
    const s = await db.prisma.dataSubject.findUniqueOrThrow({ where: { id } });
    expect(decrypt(s.phoneCipher!)).toBe(phone);
    expect(decrypt(s.emailCipher!)).toBe("wang.jh@example.com");
    expect(s.phoneMask).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    const raw = await db.prisma.$queryRaw<{ row: string }[]>`SELECT row_to_json(s)::text AS row FROM privacy_subjects s WHERE id = ${id}`;
    expect(raw[0].row).not.toContain(phone);
    expect(raw[0].row).not.toContain("wmABCdef123456");
    const audit = await db.prisma.$queryRaw<{ row: string }[]>`SELECT row_to_json(e)::text AS row FROM audit_events e WHERE entity_id = ${id}`;
    expect(audit.length).toBeGreaterThan(0);
    for (const e of audit) expect(e.row).not.toContain(phone);
  });

  it("a malformed phone number is refused beside the field", async () => {
    const outcome = await run(db.prisma, alice, subjectSchema, { name: "张三", phone: "1380013" }, createSubjectCommand);
    expect(outcome).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { phone: ["privacy.v.phone"] } });
  });

  it("an identifier that belongs to another subject is refused naming that subject, and nothing is created", async () => {
    const phone = uniquePhone();
    await subject(db.prisma, alice, { name: "陈美玲", phone });
    const count = await db.prisma.dataSubject.count();
    const outcome = await run(db.prisma, alice, subjectSchema, { name: "另一个人", phone: `0086 ${phone}`, email: "x@example.test" }, createSubjectCommand);
    expect(outcome).toMatchObject({ ok: false, code: "CONFLICT", messageKey: "privacy.errors.identifierTaken.phone", field: "phone", params: { name: "陈美玲" } });
    expect(await db.prisma.dataSubject.count()).toBe(count);
  });
});

describe("consents and the validity answer", () => {
  it("granted → yes; withdrawn → no with the withdrawal; a second withdrawal is refused and changes nothing", async () => {
    const notice = await publishedNotice(db.prisma, officer);
    const s = await subject(db.prisma, alice);
    const { id } = await grant(db.prisma, alice, s.id, notice.id);
    expect(await check(s.id)).toMatchObject({ valid: true, reason: "VALID", record: { consentId: id, noticeId: notice.id } });
    const row = await db.prisma.consentEvent.findUniqueOrThrow({ where: { id } });
    expect(row.expiresAt!.getTime() - row.occurredAt.getTime()).toBe(365 * DAY);
    expect(row.collectedById).toBe(alice.id);

    expectOk(await run(db.prisma, alice, withdrawSchema, { consentId: id, channel: "PHONE" }, (ctx) => withdrawConsent(ctx, ctx.input)));
    expect(await check(s.id)).toMatchObject({ valid: false, reason: "WITHDRAWN", record: { consentId: id, withdrawalChannel: "PHONE" } });
    const before = await events();
    const again = await run(db.prisma, alice, withdrawSchema, { consentId: id, channel: "WECOM" }, (ctx) => withdrawConsent(ctx, ctx.input));
    expect(again).toMatchObject({ ok: false, code: "INVALID_STATE", messageKey: "privacy.errors.alreadyWithdrawn" });
    expect(await events()).toBe(before);
  });

  it("expired → no; renewed → yes; the expiry job records one EXPIRE per expiry", async () => {
    const now = new Date();
    const notice = await publishedNotice(db.prisma, officer, { retentionDays: "30" }, new Date(now.getTime() - 60 * DAY));
    const s = await subject(db.prisma, alice);
    // Given and recorded 40 days ago (today it could not be recorded: it has expired).
    const given = new Date(now.getTime() - 40 * DAY);
    const { id } = await grant(db.prisma, alice, s.id, notice.id, { occurredAt: given.toISOString() }, given);
    expect(await check(s.id)).toMatchObject({ valid: false, reason: "EXPIRED" });
    expect((await recordExpiries(db.prisma, now)).expired).toBeGreaterThanOrEqual(1);
    expect(await db.prisma.consentEvent.count({ where: { consentId: id, kind: "EXPIRE" } })).toBe(1);
    expect((await recordExpiries(db.prisma, now)).expired).toBe(0);
    expectOk(await run(db.prisma, alice, renewSchema, { consentId: id, channel: "WECOM", method: "再次确认" }, (ctx) => renewConsent(ctx, ctx.input, now)));
    const answer = await check(s.id);
    expect(answer).toMatchObject({ valid: true, reason: "VALID", record: { consentId: id } });
    expect(answer.record!.expiresAt!.getTime()).toBe(now.getTime() + 30 * DAY);
  });

  it("a separate consent not granted → no (SEPARATE_CONSENT_MISSING); granted → yes", async () => {
    const notice = await publishedNotice(db.prisma, officer);
    const s = await subject(db.prisma, alice);
    await grant(db.prisma, alice, s.id, notice.id, { purposes: ["MARKETING"] });
    expect(await check(s.id, "MARKETING", "THIRD_PARTY")).toMatchObject({ valid: false, reason: "SEPARATE_CONSENT_MISSING" });
    await grant(db.prisma, alice, s.id, notice.id, { purposes: ["MARKETING"], separateConsents: ["THIRD_PARTY"] });
    expect(await check(s.id, "MARKETING", "THIRD_PARTY")).toMatchObject({ valid: true });
  });

  it("a minor without the guardian's consent is refused by the form, the command and the database; the answer stays no", async () => {
    const notice = await publishedNotice(db.prisma, officer);
    const s = await subject(db.prisma, alice, { name: "小明" });
    const before = await events();
    const form = consentForm(s.id, notice.id, { subjectMinor: "on" });
    expect(await run(db.prisma, alice, consentSchema, form, async () => ({}))).toMatchObject({ ok: false, fieldErrors: { guardianName: ["privacy.v.guardianRequired"], guardianConsent: ["privacy.v.guardianConsentRequired"] } });
    const parsed = consentSchema.parse(consentForm(s.id, notice.id));
    const outcome = await run(db.prisma, alice, z.object({}), {}, (ctx) => recordConsent(ctx, { ...parsed, subjectMinor: true, guardianName: "王父" }));
    expect(outcome).toMatchObject({ ok: false, messageKey: "privacy.errors.minorNeedsGuardian" });
    await expect(
      db.prisma.$executeRaw`INSERT INTO consent_events (id, kind, subject_id, notice_id, occurred_at, subject_minor) VALUES ('rawminor00000000000001', 'GRANT', ${s.id}, ${notice.id}, now(), true)`,
    ).rejects.toThrow(/consent_events_minor_guardian/);
    expect(await events()).toBe(before);
    expect(await check(s.id)).toMatchObject({ valid: false, reason: "NO_CONSENT" });
    await grant(db.prisma, alice, s.id, notice.id, { subjectMinor: "on", guardianName: "王父", guardianRelation: "父亲", guardianConsent: "on" });
    expect(await check(s.id)).toMatchObject({ valid: true });
  });

  it("a consent against a retired notice is refused and changes nothing", async () => {
    const notice = await publishedNotice(db.prisma, officer);
    expectOk(await run(db.prisma, officer, noticeRefSchema, { id: notice.id, version: notice.version }, retireNotice));
    const s = await subject(db.prisma, alice);
    const before = await events();
    const outcome = await run(db.prisma, alice, consentSchema, consentForm(s.id, notice.id), (ctx) => recordConsent(ctx, ctx.input));
    expect(outcome).toMatchObject({ ok: false, code: "INVALID_STATE", messageKey: "privacy.errors.noticeRetired", field: "noticeId" });
    expect(await events()).toBe(before);
  });

  it("purposes, categories and separate consents must be the notice's; a sensitive category needs the separate consent", async () => {
    const notice = await publishedNotice(db.prisma, officer);
    const s = await subject(db.prisma, alice);
    const attempt = (o: Record<string, unknown>) => run(db.prisma, alice, consentSchema, consentForm(s.id, notice.id, o), (ctx) => recordConsent(ctx, ctx.input));
    expect(await attempt({ purposes: ["LOANS"] })).toMatchObject({ ok: false, messageKey: "privacy.errors.purposeNotInNotice", params: { code: "LOANS" } });
    expect(await attempt({ categories: ["HEALTH"] })).toMatchObject({ ok: false, messageKey: "privacy.errors.sensitiveNeedsSeparate" });
    expect(await attempt({ separateConsents: ["CROSS_BORDER"] })).toMatchObject({ ok: false, messageKey: "privacy.errors.separateNotInNotice" });
  });

  it("the consent register is append-only in the database", async () => {
    const notice = await publishedNotice(db.prisma, officer);
    const s = await subject(db.prisma, alice);
    const { id } = await grant(db.prisma, alice, s.id, notice.id);
    // Refused by the trigger, or first by privilege for the app's role (docs/decisions/0008).
    await expect(db.prisma.$executeRaw`UPDATE consent_events SET channel = 'PAPER' WHERE id = ${id}`).rejects.toThrow(/append-only|permission denied/);
    await expect(db.prisma.$executeRaw`DELETE FROM consent_events WHERE id = ${id}`).rejects.toThrow(/append-only|permission denied/);
    await expect(db.prisma.$executeRawUnsafe(`TRUNCATE consent_events CASCADE`)).rejects.toThrow(/append-only|permission denied/);
    expect((await db.prisma.consentEvent.findUniqueOrThrow({ where: { id } })).channel).toBe("WECOM");
  });

  it("the check finds the subject by an exact identifier through the hash", async () => {
    const notice = await publishedNotice(db.prisma, officer);
    const phone = uniquePhone();
    const s = await subject(db.prisma, alice, { phone });
    await grant(db.prisma, alice, s.id, notice.id);
    expect(await answerCheck(db.prisma, checkQuerySchema.parse({ phone: `+86 ${phone}`, purpose: "SERVICE" }))).toMatchObject({ subjectId: s.id, answer: { valid: true } });
    expect(await answerCheck(db.prisma, checkQuerySchema.parse({ phone: "13000000000", purpose: "SERVICE" }))).toMatchObject({ subjectId: null, answer: { valid: false, reason: "NO_SUBJECT" } });
  });

  it("lists by state and streams the export in keyset pages", async () => {
    const notice = await publishedNotice(db.prisma, officer, { retentionDays: "20" });
    const s = await subject(db.prisma, alice, { name: "列表测试" });
    await grant(db.prisma, alice, s.id, notice.id);
    const list = (params: Record<string, string>) => listConsents(db.prisma, consentListSchema.parse({ subject: "列表测试", ...params }));
    expect((await list({ state: "expiring" })).total).toBe(1);
    expect((await list({ state: "valid" })).total).toBe(1);
    expect((await list({ state: "withdrawn" })).total).toBe(0);
    for (let i = 0; i < 7; i++) await grant(db.prisma, alice, (await subject(db.prisma, alice, { name: `导出测试${i}` })).id, notice.id);
    const all = await listConsents(db.prisma, consentListSchema.parse({}));
    // By expiry (offset pages, the count read beside the page): a page past the end is the last one.
    const lastPage = String(Math.max(1, Math.ceil(all.total / 10)));
    const last = await listConsents(db.prisma, consentListSchema.parse({ sort: "expiresAt", pageSize: "10", page: lastPage }));
    const past = await listConsents(db.prisma, consentListSchema.parse({ sort: "expiresAt", pageSize: "10", page: "99" }));
    expect(past).toMatchObject({ page: Number(lastPage), total: all.total });
    expect(past.rows.map((r) => r.id)).toEqual(last.rows.map((r) => r.id));
    const pages: number[] = [];
    const exported: (string | null)[][] = [];
    for await (const page of consentExportLines(db.prisma, {}, new Date(), 3)) {
      pages.push(page.length);
      exported.push(...page);
    }
    expect(pages.every((n) => n <= 3)).toBe(true);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(all.total);
    // Every consent once (in the register's storage order), with the list's state and collector
    // (tests/privacy/export-sql.test.ts compares every cell).
    const ids = exported.map((r) => r[0]!);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(all.rows.map((r) => r.id).sort());
    const column = (name: (typeof CONSENT_EXPORT_HEADER)[number]) => CONSENT_EXPORT_HEADER.indexOf(name);
    const listed = new Map((await listConsents(db.prisma, consentListSchema.parse({ pageSize: "100" }))).rows.map((r) => [r.id, r]));
    for (const line of exported) {
      const l = listed.get(line[0]!)!;
      expect([line[column("subject_name")], line[column("state")], line[column("collector")]]).toEqual([l.subject.name, l.state, l.collector?.name ?? null]);
    }
    expect(exported.some((line) => line[column("collector")] !== null)).toBe(true);
  });
});

describe("data-subject requests", () => {
  it("due 15 working days later across the National Day holiday", async () => {
    const calendar = await loadCalendar(db.prisma);
    // Received Monday 28 September 2026, 10:00 China time; 1–7 October are holidays, Saturday 10 October is worked.
    const due = requestDueAt(calendar.definition, new Date("2026-09-28T10:00:00+08:00"));
    expect(due.toISOString()).toBe(new Date("2026-10-23T18:00:00+08:00").toISOString());
  });

  it("never later than 30 calendar days after receipt", async () => {
    const calendar = await loadCalendar(db.prisma);
    const holidays = Array.from({ length: 14 }, (_, i) => ({ date: `2026-11-${String(i + 2).padStart(2, "0")}`, name: "测试假期" }));
    const definition = { ...calendar.definition, holidays: [...calendar.definition.holidays, ...holidays] };
    const received = new Date("2026-10-30T10:00:00+08:00");
    expect(requestDueAt(definition, received).toISOString()).toBe(new Date("2026-11-29T10:00:00+08:00").toISOString());
  });

  it("a deletion request: verified, then the identifiers erased and the name anonymised, the register kept; overdue ones show on the home page", async () => {
    const notice = await publishedNotice(db.prisma, officer);
    const s = await subject(db.prisma, alice, { wecomId: "wmDeleteMe0001" });
    const c = await grant(db.prisma, alice, s.id, notice.id);
    const receivedAt = new Date(Date.now() - 40 * DAY).toISOString();
    const { id } = expectOk(await run(db.prisma, officer, requestSchema, { subjectId: s.id, type: "DELETION", receivedAt }, (ctx) => createRequest(ctx)));
    const attention = await privacyAttentionFrom(officer, db.prisma);
    expect(attention.find((a) => a.key === "privacy.overdueRequests")?.params?.count).toBeGreaterThanOrEqual(1);
    expect(await privacyAttentionFrom(alice, db.prisma)).toEqual([]);
    // The daily deadline job tells its assignee, once (lib/privacy/reminders.ts, lib/notifications).
    expect((await runPrivacyDeadlines(db.prisma)).sent).toBeGreaterThanOrEqual(1);
    expect((await runPrivacyDeadlines(db.prisma)).sent).toBe(0);
    const told = await db.prisma.notification.findUniqueOrThrow({ where: { dedupeKey: `privacy.deadline:${id}:overdue` } });
    expect(told).toMatchObject({ recipientId: officer.id, messageKey: "privacy.notify.requestOverdue", href: `/privacy/requests/${id}` });
    expect((await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { dedupeKey: `${told.dedupeKey}:WECOM` } })).urgent).toBe(true);

    let r = await db.prisma.privacyRequest.findUniqueOrThrow({ where: { id } });
    expect(await run(db.prisma, officer, completeSchema, { id, version: r.version, resolution: "已删除", erase: ["phone"] }, (ctx) => completeRequest(ctx))).toMatchObject({ ok: false, messageKey: "privacy.errors.verifyFirst" });
    expectOk(await run(db.prisma, officer, verifySchema, { id, version: r.version, identityMethod: "核对手机号验证码" }, verifyIdentity));
    r = await db.prisma.privacyRequest.findUniqueOrThrow({ where: { id } });
    expectOk(await run(db.prisma, officer, completeSchema, { id, version: r.version, resolution: "已删除联系方式", erase: ["name", "phone", "wecomId"] }, (ctx) => completeRequest(ctx)));
    const after = await db.prisma.dataSubject.findUniqueOrThrow({ where: { id: s.id } });
    expect(after).toMatchObject({ phoneCipher: null, phoneHash: null, wecomIdCipher: null, wecomIdHash: null });
    expect(after.name).not.toBe("王建华");
    expect(after.erasedAt).not.toBeNull();
    expect(await db.prisma.consentEvent.findUnique({ where: { id: c.id } })).not.toBeNull();
    const done = await db.prisma.privacyRequest.findUniqueOrThrow({ where: { id } });
    expect(done.status).toBe("COMPLETED");
    expect(done.erasure).toMatchObject({ erased: ["phone", "wecomId"], anonymised: ["name"], kept: expect.arrayContaining([expect.objectContaining({ key: "consents" })]) });
  });

  it("a refusal needs its reason; a closed request cannot change", async () => {
    const s = await subject(db.prisma, alice);
    const { id } = expectOk(await run(db.prisma, officer, requestSchema, { subjectId: s.id, type: "ACCESS" }, (ctx) => createRequest(ctx)));
    const r = await db.prisma.privacyRequest.findUniqueOrThrow({ where: { id } });
    expect(await run(db.prisma, officer, refuseSchema, { id, version: r.version, refusalReason: "" }, (ctx) => refuseRequest(ctx))).toMatchObject({ ok: false, fieldErrors: { refusalReason: ["errors.v.required"] } });
    expectOk(await run(db.prisma, officer, refuseSchema, { id, version: r.version, refusalReason: "无法核实身份" }, (ctx) => refuseRequest(ctx)));
    expect(await run(db.prisma, officer, refuseSchema, { id, version: r.version + 1, refusalReason: "again" }, (ctx) => refuseRequest(ctx))).toMatchObject({ ok: false, messageKey: "privacy.errors.requestClosed" });
    expect(await run(db.prisma, alice, requestSchema, { subjectId: s.id, type: "ACCESS" }, (ctx) => createRequest(ctx))).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });
});

describe("incidents", () => {
  it("a serious incident unreported 4 hours after detection is a reminder, and cannot be closed until reported", async () => {
    const now = new Date();
    const form = { title: "客户名单外泄", description: "销售导出的客户表被转发到外部群", severity: "SERIOUS", dataCategories: "姓名、手机号", affectedSubjects: "1200" };
    const fresh = expectOk(await run(db.prisma, officer, incidentSchema, { ...form, detectedAt: new Date(now.getTime() - 3 * 3_600_000).toISOString() }, (ctx) => createIncident(ctx)));
    const countOf = async (at: Date) => (await privacyAttentionFrom(officer, db.prisma, at)).find((a) => a.key === "privacy.unreportedIncidents")?.params?.count ?? 0;
    const base = await countOf(now);
    expect(await countOf(new Date(now.getTime() + 2 * 3_600_000))).toBe(Number(base) + 1);
    // Both counts come from one statement: the same as the request list's and the incidents' Prisma counts.
    for (const at of [now, new Date(now.getTime() + 2 * 3_600_000), new Date(now.getTime() + 60 * DAY)]) {
      const expected = {
        "privacy.overdueRequests": await db.prisma.privacyRequest.count({ where: { status: { in: ["RECEIVED", "VERIFIED"] }, dueAt: { lt: at } } }),
        "privacy.unreportedIncidents": await db.prisma.privacyIncident.count({ where: { ...unreportedWhere(at), status: "OPEN" } }),
      };
      const got = Object.fromEntries((await privacyAttentionFrom(officer, db.prisma, at)).map((i) => [i.key, i.params?.count]));
      expect(got).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)));
    }
    const inc = await db.prisma.privacyIncident.findUniqueOrThrow({ where: { id: fresh.id } });
    expect(await run(db.prisma, officer, incidentUpdateSchema, { id: inc.id, version: inc.version, close: "on" }, (ctx) => updateIncident(ctx))).toMatchObject({ ok: false, messageKey: "privacy.errors.reportBeforeClose" });
    expect(await run(db.prisma, officer, incidentUpdateSchema, { id: inc.id, version: inc.version, regulatorNotifiedAt: new Date(now.getTime() - 5 * 3_600_000).toISOString() }, (ctx) => updateIncident(ctx))).toMatchObject({ ok: false, messageKey: "privacy.errors.notifiedBeforeDetection" });
    expectOk(await run(db.prisma, officer, incidentUpdateSchema, { id: inc.id, version: inc.version, regulatorNotifiedAt: now.toISOString(), close: "on" }, (ctx) => updateIncident(ctx)));
    expect(await countOf(new Date(now.getTime() + 2 * 3_600_000))).toBe(base);
    expect(await run(db.prisma, auditor, incidentSchema, { ...form, detectedAt: now.toISOString() }, (ctx) => createIncident(ctx))).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });
});
