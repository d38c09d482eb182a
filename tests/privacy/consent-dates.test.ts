import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordConsent } from "@/lib/privacy/consents";
import { confirmConsentImport, getImport, stageConsentImport } from "@/lib/privacy/import";
import { confirmImportSchema, consentSchema, importSchema } from "@/lib/privacy/schemas";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { consentForm, expectOk, publishedNotice, run, seedOrganisation, subject, uniquePhone, usePiiKey } from "./helpers";

// One rule for the time of a consent, whichever way it enters the register: a consent cannot be
// given before its notice version was published, nor in the future (beyond a few minutes of clock
// skew), and one already expired by the retention period is not recorded as given. The form and
// the CSV import are given the same times and must answer alike.

let db: TestDb;
let officer: Actor;
let alice: Actor;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date("2026-12-05T10:00:00+08:00");
const PUBLISHED = new Date(NOW.getTime() - 10 * DAY);
let notice: { id: string; noticeKey: string };

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  const org = await seedOrganisation(db.prisma);
  [officer, alice] = await Promise.all([org.people.privacy, org.people.alice].map((p) => actorFor(db.prisma, p.id)));
  notice = await publishedNotice(db.prisma, officer, { noticeKey: "dates-30", retentionDays: "30" }, PUBLISHED);
}, 120_000);
afterAll(async () => db?.close());

const HEADER = "name,phone,notice_key,purposes,categories,channel,method,granted_at";

// [what, consent time, the refusal (null: accepted)]
const CASES: [string, Date, "beforeNotice" | "inFuture" | "alreadyExpired" | null][] = [
  ["a day before the notice version was published", new Date(PUBLISHED.getTime() - DAY), "beforeNotice"],
  ["a minute before it was published", new Date(PUBLISHED.getTime() - 60_000), "beforeNotice"],
  ["the moment it was published", PUBLISHED, null],
  ["an hour after it was published", new Date(PUBLISHED.getTime() + HOUR), null],
  ["now", NOW, null],
  ["two minutes ahead (a phone's clock)", new Date(NOW.getTime() + 2 * 60_000), null],
  ["an hour in the future", new Date(NOW.getTime() + HOUR), "inFuture"],
  ["a day in the future", new Date(NOW.getTime() + DAY), "inFuture"],
];

describe("the time of a consent: the form and the import answer alike", () => {
  it.each(CASES)("through the form: %s", async (_what, at, refusal) => {
    const s = await subject(db.prisma, alice);
    const before = await db.prisma.consentEvent.count();
    const outcome = await run(db.prisma, alice, consentSchema, consentForm(s.id, notice.id, { occurredAt: at.toISOString() }), (ctx) => recordConsent(ctx, ctx.input, NOW));
    if (refusal === null) {
      expectOk(outcome);
      expect(await db.prisma.consentEvent.count()).toBe(before + 1);
    } else {
      expect(outcome).toMatchObject({ ok: false, code: "VALIDATION", messageKey: `privacy.errors.${refusal}`, field: "occurredAt" });
      expect(await db.prisma.consentEvent.count()).toBe(before);
    }
  });

  it("through the import: every row gets the form's answer", async () => {
    const csv = [HEADER, ...CASES.map(([what, at]) => `${what.slice(0, 20)},${uniquePhone()},${notice.noticeKey},SERVICE,CONTACT,WECOM,勾选同意,${at.toISOString()}`)].join("\n");
    const { importId } = expectOk(await run(db.prisma, officer, importSchema, { fileName: "dates.csv", csv }, (ctx) => stageConsentImport(ctx, NOW)));
    const preview = (await getImport(db.prisma, importId, officer.id))!;
    const reasons = new Map(preview.rows.map((r) => [r.rowNumber, r.reasons]));
    // Row 1 is the header: the first case is on line 2.
    expect(CASES.map((_, i) => reasons.get(i + 2))).toEqual(CASES.map(([, , refusal]) => refusal ?? ""));
  });

  it("the form shows when the notice version was published, in China time", async () => {
    const s = await subject(db.prisma, alice);
    const outcome = await run(db.prisma, alice, consentSchema, consentForm(s.id, notice.id, { occurredAt: new Date(PUBLISHED.getTime() - DAY).toISOString() }), (ctx) => recordConsent(ctx, ctx.input, NOW));
    expect(outcome).toMatchObject({ ok: false, params: { publishedAt: "2026-11-25 10:00" } });
  });
});

describe("a consent already expired by the retention period", () => {
  // Published 100 days ago, kept 30 days: consent given 50 days ago ended 20 days ago.
  let old: { id: string; noticeKey: string };
  const given = new Date(NOW.getTime() - 50 * DAY);
  beforeAll(async () => {
    old = await publishedNotice(db.prisma, officer, { noticeKey: "dates-old", retentionDays: "30" }, new Date(NOW.getTime() - 100 * DAY));
  });

  it("is refused by the form and by the import alike", async () => {
    const s = await subject(db.prisma, alice);
    const outcome = await run(db.prisma, alice, consentSchema, consentForm(s.id, old.id, { occurredAt: given.toISOString() }), (ctx) => recordConsent(ctx, ctx.input, NOW));
    expect(outcome).toMatchObject({ ok: false, code: "VALIDATION", messageKey: "privacy.errors.alreadyExpired", field: "occurredAt", params: { expiresAt: "2026-11-15 10:00" } });

    const csv = [HEADER, `过期,${uniquePhone()},${old.noticeKey},SERVICE,CONTACT,WECOM,勾选同意,${given.toISOString()}`].join("\n");
    const { importId } = expectOk(await run(db.prisma, officer, importSchema, { fileName: "old.csv", csv }, (ctx) => stageConsentImport(ctx, NOW)));
    expect((await getImport(db.prisma, importId, officer.id))!.rows.map((r) => r.reasons)).toEqual(["alreadyExpired"]);
  });

  it("a row valid in the preview but expired by the confirmation is not added: the confirmation is refused, nothing added", async () => {
    // Previewed when the consent (given 29 days before the preview) still had a day to run;
    // confirmed now, after its end.
    const previewAt = new Date(Date.now() - 2 * DAY);
    const notice29 = await publishedNotice(db.prisma, officer, { noticeKey: "dates-confirm", retentionDays: "30" }, new Date(previewAt.getTime() - 40 * DAY));
    const csv = [HEADER, `将到期,${uniquePhone()},${notice29.noticeKey},SERVICE,CONTACT,WECOM,勾选同意,${new Date(previewAt.getTime() - 29 * DAY).toISOString()}`].join("\n");
    const { importId } = expectOk(await run(db.prisma, officer, importSchema, { fileName: "soon.csv", csv }, (ctx) => stageConsentImport(ctx, previewAt)));
    expect((await getImport(db.prisma, importId, officer.id))!.validRows).toBe(1);
    const before = await db.prisma.consentEvent.count();
    const confirmed = await run(db.prisma, officer, confirmImportSchema, { importId }, (ctx) => confirmConsentImport(ctx));
    expect(confirmed).toMatchObject({ ok: false, code: "INVALID_STATE", messageKey: "privacy.import.errors.rowNoLongerValid", params: { row: 2 } });
    expect(await db.prisma.consentEvent.count()).toBe(before);
  });
});
