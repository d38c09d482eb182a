import { permissionsOf, type RoleCode } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/server/actor";
import { writeAuditEvent, type AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";

// Work groups for the demo organisation (prisma/seed.ts calls seedDemoGroups at the end of its
// transaction): a group in every state, with real approval requests made by the approvals engine
// and decided by the demo people, archive records, reviews overdue and due soon, and one ownerless
// group (its owner, 吴已离, has left). Everything goes through the same commands and engine calls
// a person's clicks would, so the audit trail, the inbox and the registry agree.
//
// The commands and the engine import "server-only"; the scripts that seed (npm start, db:seed,
// dev) run under `tsx --conditions=react-server`, which resolves it to its empty server build
// exactly as Next.js's server build does (docs/decisions/0005-scripts-server-condition.md).

type Engine = {
  submit: typeof import("@/lib/approvals/engine").submitApprovalRequest;
  decide: typeof import("@/lib/approvals/engine").decideApprovalStep;
  withdraw: typeof import("@/lib/approvals/engine").withdrawApprovalRequest;
  commands: typeof import("./commands");
};

async function loadEngine(): Promise<Engine> {
  const engine = await import("@/lib/approvals/engine");
  const commands = await import("./commands");
  return { submit: engine.submitApprovalRequest, decide: engine.decideApprovalStep, withdraw: engine.withdrawApprovalRequest, commands };
}

const DAY = 86_400_000;

type Person = { id: string; name: string; email: string; departmentId: string; departmentPath: string; roles: RoleCode[] };

async function people(tx: Tx): Promise<Map<string, Person>> {
  const rows = await tx.employee.findMany({
    select: { id: true, name: true, email: true, departmentId: true, department: { select: { path: true } }, roles: { select: { role: true } } },
  });
  return new Map(rows.map((r) => [r.email, { id: r.id, name: r.name, email: r.email, departmentId: r.departmentId, departmentPath: r.department.path, roles: r.roles.map((x) => x.role as RoleCode) }]));
}

function actorOf(p: Person): Actor {
  return { id: p.id, name: p.name, email: p.email, roles: p.roles, permissions: permissionsOf(p.roles), departmentId: p.departmentId, departmentPath: p.departmentPath, ip: null };
}

export async function seedDemoGroups(tx: Tx, log: (line: string) => void = () => {}): Promise<{ groups: number; requests: number }> {
  const engine = await loadEngine();
  const { commands } = engine;
  const byEmail = await people(tx);
  const person = (email: string) => {
    const p = byEmail.get(email);
    if (!p) throw new Error(`Demo person ${email} is missing`);
    return p;
  };
  const as = (email: string) => actorOf(person(email));
  const auditFor = (actor: Actor) => (event: AuditInput) => writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: null }, event);
  const ctx = <I>(actor: Actor, input: I) => ({ actor, input, tx, audit: auditFor(actor) });
  const departments = new Map((await tx.department.findMany({ select: { id: true, code: true } })).map((d) => [d.code, d.id]));
  const dept = (code: string) => departments.get(code)!;
  const policy = await tx.workGroupPolicy.findFirstOrThrow({ orderBy: { version: "desc" }, select: { version: true } });
  const today = new Date(new Date().toLocaleDateString("en-CA", { timeZone: "Asia/Shanghai" }) + "T00:00:00.000Z");
  const daysAgo = (n: number) => new Date(today.getTime() - n * DAY);

  /** Decides the request's current step as whoever it asks (its approver, or a role holder). */
  const decideNext = async (requestId: string, decision: "APPROVE" | "REJECT", comment?: string) => {
    const request = await tx.approvalRequest.findUniqueOrThrow({ where: { id: requestId }, include: { steps: { orderBy: { position: "asc" } } } });
    const step = request.steps.find((s) => s.status === "PENDING");
    // Nobody decides two steps of one request.
    const decided = new Set(request.steps.flatMap((s) => (s.decidedById ? [s.decidedById] : [])));
    if (!step) throw new Error(`Demo request ${requestId} has no pending step`);
    let deciderEmail: string | undefined;
    if (step.approverId) deciderEmail = [...byEmail.values()].find((p) => p.id === step.approverId)?.email;
    else deciderEmail = [...byEmail.values()].find((p) => p.roles.includes(step.role as RoleCode) && p.id !== request.requesterId && !decided.has(p.id) && p.email !== "departed@wegovern.demo")?.email;
    if (!deciderEmail) throw new Error(`Nobody to decide step ${step.position} of demo request ${requestId}`);
    const decider = as(deciderEmail);
    await engine.decide({ tx, audit: auditFor(decider), actor: decider }, { requestId, stepId: step.id, decision, comment });
  };
  const approveAll = async (requestId: string) => {
    for (let i = 0; i < 5; i++) {
      const pending = await tx.approvalRequestStep.count({ where: { requestId, status: "PENDING" } });
      if (!pending) return;
      await decideNext(requestId, "APPROVE");
    }
  };

  let made = 0;
  let requests = 0;
  type Spec = {
    by: string;
    parts: [string, string];
    dept: string;
    owner?: string;
    admins?: string[];
    platform?: "WECOM" | "WECHAT";
    kind?: "INTERNAL" | "EXTERNAL";
    classification?: "PUBLIC" | "INTERNAL" | "CONFIDENTIAL" | "SECRET";
    size?: number;
    purpose: string;
  };
  const request = async (s: Spec) => {
    const actor = as(s.by);
    const result = await commands.requestGroup(
      ctx(actor, {
        parts: s.parts,
        policyVersion: policy.version,
        purpose: s.purpose,
        platform: s.platform ?? "WECOM",
        kind: s.kind ?? "INTERNAL",
        departmentId: dept(s.dept),
        ownerId: person(s.owner ?? s.by).id,
        administratorIds: (s.admins ?? []).map((e) => person(e).id),
        classification: s.classification ?? "INTERNAL",
        expectedSize: s.size ?? 30,
      }),
    );
    made++;
    requests++;
    return result;
  };
  /** Dates as if the group had been in use for a while (the audit trail keeps the seed's time). */
  const backdate = (id: string, activatedDaysAgo: number, reviewDueInDays: number) =>
    tx.workGroup.update({
      where: { id },
      data: {
        createdAt: new Date(today.getTime() - (activatedDaysAgo + 2) * DAY),
        activatedAt: new Date(today.getTime() - activatedDaysAgo * DAY + 10 * 3_600_000),
        reviewDueAt: new Date(today.getTime() + reviewDueInDays * DAY + 10 * 3_600_000),
      },
    });
  const archive = async (groupId: string, by: string, exportedOn: Date, content: string, location: string, note?: string) =>
    commands.recordArchive(ctx(as(by), { id: groupId, content, location, exportedOn, note }));
  const version = async (id: string) => (await tx.workGroup.findUniqueOrThrow({ where: { id }, select: { version: true } })).version;

  // ACTIVE, reviewed on time, two archive records; the employee's everyday customer group.
  const customers = await request({
    by: "employee@wegovern.demo",
    parts: ["双十一", "客户答疑"],
    dept: "SALES-EAST-SH1",
    admins: ["staff01@wegovern.demo"],
    kind: "EXTERNAL",
    size: 300,
    purpose: "双十一活动期间解答客户关于订单、发货和退换货的问题。成员：上海销售一组和报名参加活动的客户。",
  });
  await approveAll(customers.requestId);
  await backdate(customers.id, 60, 120);
  await archive(customers.id, "employee@wegovern.demo", daysAgo(30), "聊天记录、群文件", "企业知识库/销售中心/上海销售一组/客户群归档/2026-10", "月度导出");
  await archive(customers.id, "staff01@wegovern.demo", daysAgo(2), "聊天记录、群公告、成员名单", "企业知识库/销售中心/上海销售一组/客户群归档/2026-11");

  // PENDING_APPROVAL at the manager: in 王海涛's inbox.
  await request({ by: "employee@wegovern.demo", parts: ["新品试用", "内部协同"], dept: "SALES-EAST-SH1", classification: "PUBLIC", purpose: "新品试用期间组内收集反馈、分工跟进。" });

  // CONFIDENTIAL, the manager approved: waiting for the privacy officer.
  const confidential = await request({
    by: "employee@wegovern.demo",
    parts: ["大客户", "报价沟通"],
    dept: "SALES-EAST-SH1",
    kind: "EXTERNAL",
    classification: "CONFIDENTIAL",
    size: 12,
    purpose: "与重点客户沟通年度框架协议报价，含价格信息。",
  });
  await decideNext(confidential.requestId, "APPROVE");

  // REJECTED by the manager, with the reason.
  const rejected = await request({ by: "employee@wegovern.demo", parts: ["周末", "聚餐"], dept: "SALES-EAST-SH1", platform: "WECHAT", classification: "PUBLIC", purpose: "组内周末聚餐安排。" });
  await decideNext(rejected.requestId, "REJECT", "聚餐不是工作事项，请使用个人群。");

  // WITHDRAWN by the requester.
  const withdrawn = await request({ by: "staff02@wegovern.demo", parts: ["展会", "物料准备"], dept: "SALES-EAST-HZ", purpose: "杭州展会物料准备。" });
  await engine.withdraw({ tx, audit: auditFor(as("staff02@wegovern.demo")), actor: as("staff02@wegovern.demo") }, { requestId: withdrawn.requestId });

  // ACTIVE, overdue for review: the manager's own regular meeting group.
  const meeting = await request({ by: "manager@wegovern.demo", parts: ["月度", "经理例会"], dept: "SALES-EAST", admins: ["employee@wegovern.demo"], purpose: "华东销售部月度经营例会的通知和材料。" });
  await approveAll(meeting.requestId);
  await backdate(meeting.id, 200, -20);
  await archive(meeting.id, "manager@wegovern.demo", daysAgo(45), "会议纪要、群文件", "OA 档案系统 编号 HD-2026-031");

  // ACTIVE, review due soon.
  const expo = await request({ by: "staff02@wegovern.demo", parts: ["杭州展会", "客户接待"], dept: "SALES-EAST-HZ", kind: "EXTERNAL", size: 120, purpose: "杭州展会期间接待来访客户。" });
  await approveAll(expo.requestId);
  await backdate(expo.id, 170, 10);

  // SECRET, overdue: legal's incident channel, reviewed every 30 days.
  // Asked for by a colleague: nobody approves their own request, and the privacy officer is the
  // only one who decides this step.
  const legal = await request({ by: "staff09@wegovern.demo", owner: "privacy@wegovern.demo", parts: ["个人信息", "事件响应"], dept: "LEGAL", classification: "SECRET", size: 8, admins: ["auditor@wegovern.demo"], purpose: "个人信息安全事件的应急响应协调（PIPL 第 57 条）。" });
  await approveAll(legal.requestId);
  await backdate(legal.id, 40, -10);
  await archive(legal.id, "privacy@wegovern.demo", daysAgo(12), "事件处置记录", "法务合规部加密档案柜 LG-07");

  // WeChat group of the online service team, on time.
  const service = await request({ by: "staff04@wegovern.demo", parts: ["在线客服", "值班协调"], dept: "CS-ONLINE", platform: "WECHAT", size: 25, purpose: "在线客服组排班与交接。" });
  await approveAll(service.requestId);
  await backdate(service.id, 20, 160);
  await archive(service.id, "staff04@wegovern.demo", daysAgo(5), "排班表、交接记录", "企业知识库/客户服务部/在线客服组");

  // DISSOLUTION_PENDING: the south manager backed it up and asked to dissolve it.
  const channel = await request({ by: "south.manager@wegovern.demo", parts: ["渠道", "伙伴沟通"], dept: "SALES-SOUTH", kind: "EXTERNAL", size: 60, purpose: "与华南渠道伙伴沟通政策和库存。" });
  await approveAll(channel.requestId);
  await backdate(channel.id, 150, 30);
  await archive(channel.id, "south.manager@wegovern.demo", daysAgo(1), "聊天记录、群文件、成员名单", "企业知识库/销售中心/华南销售部/渠道群归档");
  await commands.requestDissolution(ctx(as("south.manager@wegovern.demo"), { id: channel.id, version: await version(channel.id) }));
  requests++;

  // DISSOLVED: a finished promotion, backed up, dissolution approved.
  const promo = await request({ by: "employee@wegovern.demo", parts: ["春节", "促销活动"], dept: "SALES-EAST-SH1", kind: "EXTERNAL", size: 450, purpose: "春节促销活动客户群。" });
  await approveAll(promo.requestId);
  await backdate(promo.id, 280, -100);
  await archive(promo.id, "employee@wegovern.demo", daysAgo(3), "聊天记录、活动订单汇总", "企业知识库/销售中心/上海销售一组/活动归档/2026-春节");
  const promoDissolution = await commands.requestDissolution(ctx(as("employee@wegovern.demo"), { id: promo.id, version: await version(promo.id) }));
  requests++;
  await approveAll(promoDissolution.requestId);

  // Dissolution rejected: back to ACTIVE.
  const brand = await request({ by: "staff06@wegovern.demo", parts: ["品牌", "内容共创"], dept: "MKT", classification: "PUBLIC", purpose: "市场部与设计供应商的内容共创。" });
  await approveAll(brand.requestId);
  await backdate(brand.id, 90, 90);
  await archive(brand.id, "staff06@wegovern.demo", daysAgo(0), "设计稿、聊天记录", "企业知识库/市场部/共创");
  const brandDissolution = await commands.requestDissolution(ctx(as("staff06@wegovern.demo"), { id: brand.id, version: await version(brand.id) }));
  requests++;
  await decideNext(brandDissolution.requestId, "REJECT", "下季度还要继续合作，暂不解散。");

  // Ownerless: 吴已离 asked for and owned this group before leaving; nobody has taken it over.
  const departedEmail = "departed@wegovern.demo";
  const departed = person(departedEmail);
  const departedRow = await tx.employee.findUniqueOrThrow({ where: { id: departed.id }, select: { status: true } });
  await tx.employee.update({ where: { id: departed.id }, data: { status: "ACTIVE" } });
  const orphan = await request({ by: departedEmail, parts: ["广州", "客户回访"], dept: "SALES-SOUTH-GZ", kind: "EXTERNAL", size: 200, purpose: "广州客户的售后回访。" });
  await approveAll(orphan.requestId);
  await tx.employee.update({ where: { id: departed.id }, data: { status: departedRow.status } });
  await backdate(orphan.id, 100, -5);

  // The administrator's group, asked for by a colleague in IT (the only ADMIN cannot approve a
  // request of his own).
  const it = await request({ by: "staff08@wegovern.demo", owner: "admin@wegovern.demo", admins: ["staff08@wegovern.demo"], parts: ["系统", "变更通知"], dept: "IT", size: 48, purpose: "门户和企业微信配置变更的通知。" });
  await approveAll(it.requestId);
  await backdate(it.id, 10, 170);

  log(`Seeded ${made} work groups with ${requests} approval requests.`);
  return { groups: made, requests };
}
