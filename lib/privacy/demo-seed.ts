import { permissionsOf, type RoleCode } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/server/actor";
import { writeAuditEvent, type AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";

// Personal information for the demo organisation (prisma/seed.ts calls seedDemoPrivacy at the end
// of its transaction), made through the same commands a person's clicks use: a published customer
// notice, customers whose consents are valid, withdrawn, expiring and expired (a minor's with the
// guardian's consent), an access request in progress, an overdue correction request, and a serious
// incident reported in time. Without PII_ENCRYPTION_KEY nothing is seeded (identifiers are stored
// only encrypted).

const DAY = 86_400_000;

export async function seedDemoPrivacy(tx: Tx, log: (line: string) => void = () => {}): Promise<{ subjects: number; consents: number }> {
  if (!process.env.PII_ENCRYPTION_KEY) {
    log("Demo consents skipped: PII_ENCRYPTION_KEY is not set (identifiers are stored only encrypted).");
    return { subjects: 0, consents: 0 };
  }
  const notices = await import("./notices");
  const subjects = await import("./subjects");
  const consents = await import("./consents");
  const requests = await import("./requests");
  const incidents = await import("./incidents");
  const schemas = await import("./schemas");

  const load = async (email: string): Promise<Actor> => {
    const e = await tx.employee.findUniqueOrThrow({ where: { email }, select: { id: true, name: true, email: true, departmentId: true, department: { select: { path: true } }, roles: { select: { role: true } } } });
    const roles = e.roles.map((r) => r.role as RoleCode);
    return { id: e.id, name: e.name, email: e.email, roles, permissions: permissionsOf(roles), departmentId: e.departmentId, departmentPath: e.department.path, ip: null };
  };
  const officer = await load("privacy@wegovern.demo");
  const employee = await load("employee@wegovern.demo");
  const ctx = <I>(actor: Actor, input: I) => ({ actor, input, tx, audit: (event: AuditInput) => writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: null }, event) });
  const now = new Date();

  const draft = await notices.draftNotice(
    ctx(
      officer,
      schemas.noticeDraftSchema.parse({
        noticeKey: "customer-service",
        title: "客户服务个人信息处理规则",
        processorName: "上海未来贸易有限公司",
        processorContact: "个人信息保护负责人 陈静怡 privacy@wegovern.demo，400-820-0000",
        purposes: "SERVICE: 提供咨询与售后服务\nMARKETING: 推送产品和活动信息\nPARTNER: 提供给物流合作方完成配送",
        methods: "通过企业微信收集、存储、使用；配送时向物流合作方提供",
        categories: "CONTACT: 姓名与联系方式\nORDER: 订单与收货地址\nHEALTH: 健康状况（定制保健品）",
        sensitiveCategories: "HEALTH",
        retentionDays: "365",
        rightsText: "在企业微信中回复“个人信息”或发送邮件至 privacy@wegovern.demo，可查阅、复制、更正、删除您的个人信息或撤回同意，我们在 15 个工作日内答复。",
        separateConsents: ["SENSITIVE", "THIRD_PARTY"],
      }),
    ),
  );
  const v = await tx.privacyNotice.findUniqueOrThrow({ where: { id: draft.id } });
  // Published well before the oldest consent below: a consent cannot predate its notice version.
  await notices.publishNotice(ctx(officer, { id: v.id, version: v.version }), new Date(now.getTime() - 500 * DAY));

  const people: [string, string, number, Record<string, unknown>][] = [
    ["王建华", "13761234501", 20, {}],
    ["陈美玲", "13761234502", 60, { purposes: ["SERVICE", "MARKETING"] }],
    ["刘德明", "13761234503", 350, {}],
    ["张丽娟", "13761234504", 400, {}],
    ["孙晓燕", "13761234505", 10, { purposes: ["SERVICE", "PARTNER"], categories: ["CONTACT", "ORDER", "HEALTH"], separateConsents: ["SENSITIVE", "THIRD_PARTY"] }],
    ["周小宝", "13761234506", 5, { subjectMinor: "on", guardianName: "周文斌", guardianRelation: "父亲", guardianConsent: "on" }],
  ];
  const ids: string[] = [];
  const grants: string[] = [];
  for (const [name, phone, daysAgo, extra] of people) {
    const s = await subjects.createSubject(ctx(employee, null), schemas.subjectSchema.parse({ name, phone, wecomId: `wm${phone.slice(-6)}demoCustomer` }));
    ids.push(s.id);
    const input = schemas.consentSchema.parse({
      subjectId: s.id,
      noticeId: v.id,
      purposes: ["SERVICE"],
      categories: ["CONTACT"],
      separateConsents: [],
      channel: "WECOM",
      method: "企业微信欢迎语中点击同意",
      evidenceRef: `WECOM-MSG-${phone.slice(-4)}`,
      occurredAt: new Date(now.getTime() - daysAgo * DAY).toISOString(),
      ...extra,
    });
    // Recorded when it was given (an expired one cannot be recorded as given today).
    grants.push((await consents.recordConsent(ctx(employee, null), input, input.occurredAt)).id);
  }
  // 陈美玲 withdrew by phone; 张丽娟's consent expired (the sweep records it).
  await consents.withdrawConsent(ctx(employee, null), { consentId: grants[1], channel: "PHONE", note: "客户来电要求停止推送" }, new Date(now.getTime() - 2 * DAY));
  await consents.recordExpiries(tx, now);

  const access = await requests.createRequest(ctx(officer, schemas.requestSchema.parse({ subjectId: ids[0], type: "ACCESS", channel: "WECOM", receivedAt: new Date(now.getTime() - 3 * DAY).toISOString(), details: "客户要求查看我们保存的其个人信息" })), now);
  const a = await tx.privacyRequest.findUniqueOrThrow({ where: { id: access.id } });
  await requests.verifyIdentity(ctx(officer, { id: a.id, version: a.version, identityMethod: "向绑定手机号发送验证码核对" }));
  await requests.createRequest(ctx(officer, schemas.requestSchema.parse({ subjectId: ids[2], type: "CORRECTION", channel: "PHONE", receivedAt: new Date(now.getTime() - 35 * DAY).toISOString(), details: "收货地址有误，要求更正" })), now);

  const inc = await incidents.createIncident(
    ctx(officer, schemas.incidentSchema.parse({ title: "销售导出的客户表被发到外部群", description: "员工误将含客户姓名和手机号的表格转发到外部客户群，10 分钟后撤回。", detectedAt: new Date(now.getTime() - 6 * DAY).toISOString(), severity: "SERIOUS", dataCategories: "姓名、手机号", affectedSubjects: "86", cause: "导出文件未脱敏", remedialActions: "撤回消息；联系群成员删除；导出改为脱敏" })),
    now,
  );
  const i = await tx.privacyIncident.findUniqueOrThrow({ where: { id: inc.id } });
  await incidents.updateIncident(ctx(officer, schemas.incidentUpdateSchema.parse({ id: i.id, version: i.version, regulatorNotifiedAt: new Date(i.detectedAt.getTime() + 2 * 3_600_000).toISOString() })), now);

  log(`Seeded personal information: 1 notice, ${ids.length} subjects with consents, 2 requests, 1 incident.`);
  return { subjects: ids.length, consents: grants.length };
}
