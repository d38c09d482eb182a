import { randomBytes } from "node:crypto";
import pg from "pg";
import { identifierHashes } from "@/lib/privacy/identifiers";
import { recordConsent } from "@/lib/privacy/consents";
import { draftNotice, publishNotice } from "@/lib/privacy/notices";
import { consentSchema, noticeDraftSchema, subjectSchema } from "@/lib/privacy/schemas";
import { createSubjectCommand } from "@/lib/privacy/subjects";
import type { Actor } from "@/lib/server/actor";
import type { DbClient } from "@/lib/server/prisma-client";
import { expectOk, run } from "../helpers/run-command";
import type { GroupsOrganisation } from "../groups/helpers";

export { seedGroupsOrganisation as seedOrganisation, type GroupsOrganisation as Organisation } from "../groups/helpers";
export { expectOk, run } from "../helpers/run-command";

export function usePiiKey(): void {
  process.env.PII_ENCRYPTION_KEY = randomBytes(32).toString("base64");
  delete process.env.PII_ENCRYPTION_KEY_PREVIOUS;
}

let counter = 0;
/** A mainland mobile number unique in this test run. */
export function uniquePhone(): string {
  counter++;
  return `139${String((Date.now() % 100000) * 100 + counter).padStart(8, "0").slice(-8)}`;
}

export function noticeForm(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    noticeKey: `customer-${counter}`,
    title: "客户服务隐私政策",
    processorName: "示例科技有限公司",
    processorContact: "privacy@example.test / 400-800-0000",
    purposes: "SERVICE: 提供售后服务\nMARKETING: 发送产品资讯",
    methods: "收集、存储、使用",
    categories: "CONTACT: 联系方式\nHEALTH: 健康信息",
    sensitiveCategories: "HEALTH",
    retentionDays: "365",
    rightsText: "发送邮件至 privacy@example.test 行使查阅、复制、更正、删除等权利",
    separateConsents: ["SENSITIVE", "THIRD_PARTY"],
    ...overrides,
  };
}

/** A published notice version; `publishedAt` (default: now) for consents given in the past. */
export async function publishedNotice(prisma: DbClient, officer: Actor, overrides: Record<string, unknown> = {}, publishedAt?: Date) {
  const { id } = expectOk(await run(prisma, officer, noticeDraftSchema, noticeForm(overrides), draftNotice));
  const n = await prisma.privacyNotice.findUniqueOrThrow({ where: { id } });
  expectOk(await run(prisma, officer, (await import("@/lib/privacy/schemas")).noticeRefSchema, { id, version: n.version }, (ctx) => publishNotice(ctx, publishedAt)));
  return prisma.privacyNotice.findUniqueOrThrow({ where: { id } });
}

export async function subject(prisma: DbClient, actor: Actor, overrides: Record<string, unknown> = {}) {
  return expectOk(await run(prisma, actor, subjectSchema, { name: "王建华", phone: uniquePhone(), ...overrides }, createSubjectCommand));
}

export function consentForm(subjectId: string, noticeId: string, overrides: Record<string, unknown> = {}) {
  return { subjectId, noticeId, purposes: ["SERVICE"], categories: ["CONTACT"], separateConsents: [], channel: "WECOM", method: "企业微信内勾选同意", evidenceRef: "", occurredAt: "", ...overrides };
}

export async function grant(prisma: DbClient, actor: Actor, subjectId: string, noticeId: string, overrides: Record<string, unknown> = {}, now?: Date) {
  return expectOk(await run(prisma, actor, consentSchema, consentForm(subjectId, noticeId, overrides), (ctx) => recordConsent(ctx, ctx.input, now)));
}

/** The phone number of the register's fourth subject (the identifier filter's case). */
export const CONSENT_REGISTER_PHONE = "13912345678";
export const CONSENT_REGISTER_SIZE = 90;

/**
 * A register of `n` consents with every state (valid, expiring, expired, withdrawn, renewed past or
 * into the window, granted in the future, several granted at the same time), every channel, two
 * purposes, collectors in several departments or none, a minor, and subject names with LIKE's
 * wildcards; written with SQL (no audit, no encryption), as of `now`.
 */
export async function seedConsentRegister(url: string, org: GroupsOrganisation, now: Date, n = CONSENT_REGISTER_SIZE): Promise<void> {
  const collectors = [org.people.alice.id, org.people.bob.id, org.people.carol.id, org.people.eastManager.id, org.people.admin.id, null];
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`INSERT INTO privacy_notices (id, notice_key, notice_version, status, title, processor_name, processor_contact, purposes, purpose_codes, methods, categories, retention_days, rights_text, separate_consents, created_by_id, published_at, updated_at)
    VALUES ('exnotice000000000000001', 'ex', 1, 'PUBLISHED', 'E', 'P', 'C', '[{"code":"SERVICE","description":"s"}]', '["SERVICE","MARKETING"]', 'm', '[{"code":"CONTACT","name":"c","sensitive":false}]', 365, 'r', '[]', 'x', now(), now())`);
  const phoneHash = identifierHashes("phone", CONSENT_REGISTER_PHONE)[0];
  await c.query(
    `INSERT INTO privacy_subjects (id, name, phone_cipher, phone_hash, phone_mask, created_by_id, updated_at)
     SELECT 'exsubj' || lpad(g::text, 10, '0'), CASE WHEN g % 9 = 0 THEN '客_户' || g WHEN g % 11 = 0 THEN '客%户' || g ELSE '客户' || g END,
            'v1.x', CASE WHEN g = 4 THEN $1 ELSE 'exh' || g END, '139****0000', 'x', now() FROM generate_series(1, ${n}) g`,
    [phoneHash],
  );
  const channels = ["WECOM", "WECHAT", "MINI_PROGRAM", "PAPER", "PHONE"];
  for (let g = 1; g <= n; g++) {
    const day = (d: number) => new Date(now.getTime() + d * 86_400_000);
    const occurred = g % 13 === 0 ? day(1) : day(-g);
    const expires = [day(-5), day(10), day(100), day(25), null][g % 5];
    await c.query(
      `INSERT INTO consent_events (id, kind, subject_id, notice_id, purposes, categories, separate_consents, channel, method, evidence_ref, collected_by_id, occurred_at, expires_at,
                                   subject_minor, guardian_name, guardian_relation, guardian_consent)
       VALUES ($1, 'GRANT', $2, 'exnotice000000000000001', $3::jsonb, '["CONTACT"]', $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $13, $11)`,
      [
        `excons${String(g).padStart(10, "0")}`,
        `exsubj${String(g).padStart(10, "0")}`,
        g % 2 ? '["SERVICE"]' : '["MARKETING","SERVICE"]',
        g % 3 ? "[]" : '["SENSITIVE","THIRD_PARTY"]',
        channels[g % 5],
        g % 2 ? "勾选同意" : null,
        g % 3 ? null : `=HYPERLINK("x"),"ev${g}"`,
        collectors[g % 6],
        occurred,
        expires,
        g % 8 === 0,
        g % 8 === 0 ? `监护人${g}` : null,
        g % 8 === 0 ? "父亲" : null,
      ],
    );
    const consent = `excons${String(g).padStart(10, "0")}`;
    if (g % 7 === 0)
      await c.query(`INSERT INTO consent_events (id, kind, consent_id, subject_id, occurred_at, channel) VALUES ($1, 'WITHDRAW', $2, $3, $4, 'PHONE')`, [`exwd${g}`, consent, `exsubj${String(g).padStart(10, "0")}`, day(-(g % 60))]);
    if (g % 4 === 0)
      await c.query(`INSERT INTO consent_events (id, kind, consent_id, subject_id, occurred_at, expires_at) VALUES ($1, 'RENEW', $2, $3, $4, $5)`, [
        `exrn${g}`,
        consent,
        `exsubj${String(g).padStart(10, "0")}`,
        day(-1),
        [day(200), day(20), day(-1)][g % 3],
      ]);
  }
  await c.end();
}

/** The consent list's filters, one by one and combined, on seedConsentRegister's register (each
 * keeps some consents and leaves out others). */
export const CONSENT_FILTER_CASES: Record<string, string>[] = [
  {},
  { state: "valid" },
  { state: "expiring" },
  { state: "expired" },
  { state: "withdrawn" },
  { withdrawnDays: "7" },
  { withdrawnDays: "30" },
  { state: "withdrawn", withdrawnDays: "30" },
  { channel: "WECHAT" },
  { channel: "PAPER" },
  { purpose: "MARKETING" },
  { subject: "客户1" },
  { subject: "_" },
  { subject: "%" },
  { identifier: CONSENT_REGISTER_PHONE },
  { collector: "李小雨" },
  { collector: "e-00" },
  { state: "expiring", channel: "WECOM" },
  { state: "valid", purpose: "MARKETING", subject: "客" },
];
