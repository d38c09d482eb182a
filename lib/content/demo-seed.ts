import { permissionsOf, type RoleCode } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/server/actor";
import { writeAuditEvent, type AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";

// Content compliance for the demo organisation (prisma/seed.ts calls seedDemoContent at the end of
// its transaction), made through the same commands and approvals engine a person's clicks use:
// a media library with licences (one ending within 30 days and used in published content, one
// without a licence), and content by 李小雨 (employee@) in every state: published with an
// accepted finding, waiting for her manager, sent back, and a draft. The rule lists themselves
// come from the migration.

type Commands = typeof import("./commands");
type MediaCommands = typeof import("./media-commands");
type Engine = typeof import("@/lib/approvals/engine");

const DAY = 86_400_000;

export async function seedDemoContent(tx: Tx, log: (line: string) => void = () => {}): Promise<{ media: number; submissions: number }> {
  const commands: Commands = await import("./commands");
  const mediaCommands: MediaCommands = await import("./media-commands");
  const engine: Engine = await import("@/lib/approvals/engine");

  const person = async (email: string) => {
    const p = await tx.employee.findUnique({ where: { email }, select: { id: true, name: true, email: true, departmentId: true, department: { select: { path: true } }, roles: { select: { role: true } } } });
    if (!p) throw new Error(`Demo person ${email} is missing`);
    const roles = p.roles.map((r) => r.role as RoleCode);
    return { id: p.id, name: p.name, email: p.email, roles, permissions: permissionsOf(roles), departmentId: p.departmentId, departmentPath: p.department.path, ip: null } satisfies Actor;
  };
  const ctx = <I>(actor: Actor, input: I) => ({ actor, input, tx, audit: (event: AuditInput) => writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: null }, event) });
  const employee = await person("employee@wegovern.demo");
  const manager = await person("manager@wegovern.demo");
  const admin = await person("admin@wegovern.demo");

  const now = new Date();
  const day = (offset: number) => new Date(`${new Date(now.getTime() + offset * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`);
  const at = (offset: number, hour = 10) => new Date(day(offset).getTime() + (hour - 8) * 3600_000);

  const media = async (input: Parameters<MediaCommands["registerMedia"]>[0]["input"], by: Actor = employee) => (await mediaCommands.registerMedia(ctx(by, input))).id;
  const base = { licensee: "上海维治信息科技有限公司", scope: "公司自有公众号、视频号、朋友圈", note: undefined };
  const font = await media({ ...base, kind: "FONT", name: "思源黑体 Source Han Sans", source: "Adobe / Google 开源字体", licenceType: "CREATIVE_COMMONS", licensee: undefined, scope: "SIL Open Font License 1.1，可商用", licenceExpiresOn: undefined }, admin);
  const photo = await media({ ...base, kind: "IMAGE", name: "秋季新品主图（摄影师 陈晨）", source: "摄影服务合同 SH-2026-018", licenceType: "PURCHASED", licenceExpiresOn: day(20) });
  const music = await media({ ...base, kind: "MUSIC", name: "轻快背景音乐《晨光》", source: "音乐平台商用订阅", licenceType: "SUBSCRIPTION", licenceExpiresOn: day(365) });
  const video = await media({ ...base, kind: "VIDEO", name: "门店探店视频素材", source: "市场部自行拍摄", licenceType: "OWN_WORK", licenceExpiresOn: undefined });
  const web = await media({ ...base, kind: "IMAGE", name: "网络下载配图（来源不明）", source: "百度图片", licenceType: "NONE", licensee: undefined, scope: undefined, licenceExpiresOn: undefined });

  const submit = (title: string, kind: "OA_ARTICLE" | "MOMENTS_POST" | "MASS_MESSAGE" | "CHANNELS_SCRIPT", body: string, mediaIds: string[], plannedAt: Date, intent: "draft" | "submit") =>
    commands.createSubmission(ctx(employee, { kind, title, body, mediaIds, plannedAt, accountName: "华东销售服务号", accountId: undefined, intent }), { now });
  const pendingStep = async (submissionId: string) => {
    const s = await tx.contentSubmission.findUniqueOrThrow({ where: { id: submissionId } });
    const step = await tx.approvalRequestStep.findFirstOrThrow({ where: { requestId: s.requestId!, status: "PENDING" } });
    return { requestId: s.requestId!, stepId: step.id, revision: s.currentRevision };
  };
  const decide = async (actor: Actor, submissionId: string, decision: "APPROVE" | "REJECT", comment?: string) => {
    const { requestId, stepId } = await pendingStep(submissionId);
    await engine.decideApprovalStep(ctx(actor, null), { requestId, stepId, decision, comment }, { now });
  };

  // 1. Published, with one finding accepted by the compliance reviewer.
  const published = await submit(
    "秋季新品上市｜最生活毛巾系列",
    "OA_ARTICLE",
    "秋意渐浓，最生活毛巾秋季新品正式上市。\n\n精选新疆长绒棉，柔软亲肤，吸水性好。本品牌获评 2025 年度家纺行业协会“行业第一品牌”。\n\n即日起到店选购，会员享九折优惠。",
    [photo, font],
    at(-3),
    "submit",
  );
  await decide(manager, published.id, "APPROVE", "文案已核对");
  const finding = await tx.contentFinding.findFirstOrThrow({ where: { revision: { submissionId: published.id } } });
  await commands.acceptFinding(ctx(admin, { id: published.id, revision: 1, findingId: finding.id, reason: "协会官方评选结果（有证书），属总局指南豁免情形" }), { now });
  await decide(admin, published.id, "APPROVE");

  // 2. Waiting for the manager: flagged 全网第一.
  await submit("双十一预热朋友圈", "MOMENTS_POST", "双十一爆款预告！我们的智能电饭煲销量全网第一，11 月 11 日零点开抢～", [music], at(7, 20), "submit");

  // 3. Sent back by the manager: an investment promise.
  const sentBack = await submit("理财知识公开课招募", "MASS_MESSAGE", "本周六理财公开课：教你选择保本高收益的产品，名额有限，错过就没机会！", [], at(5, 19), "submit");
  await decide(manager, sentBack.id, "REJECT", "“保本”“错过就没机会”违反广告法第二十五条、第九条，请修改并补充风险提示");

  // 4. A draft using media without a licence.
  await submit("视频号脚本：门店探店", "CHANNELS_SCRIPT", "镜头一：门店外景。\n旁白：欢迎来到华东旗舰店，今天带大家看看秋季新品。", [video, web], at(10, 12), "draft");

  log("Seeded content compliance: 5 media assets, 4 submissions (published, in review, sent back, draft).");
  return { media: 5, submissions: 4 };
}
