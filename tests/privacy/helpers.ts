import { randomBytes } from "node:crypto";
import { recordConsent } from "@/lib/privacy/consents";
import { draftNotice, publishNotice } from "@/lib/privacy/notices";
import { consentSchema, noticeDraftSchema, subjectSchema } from "@/lib/privacy/schemas";
import { createSubjectCommand } from "@/lib/privacy/subjects";
import type { Actor } from "@/lib/server/actor";
import type { DbClient } from "@/lib/server/prisma-client";
import { expectOk, run } from "../helpers/run-command";

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
