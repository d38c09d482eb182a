import { permissionsOf, type RoleCode } from "@/lib/auth/permissions";
import { newId } from "@/lib/ids";
import { protect } from "@/lib/pii";
import { externalIdFields } from "./contact-ids";
import type { Actor } from "@/lib/server/actor";
import { writeAuditEvent, type AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";

// Accounts for the demo organisation (prisma/seed.ts calls seedDemoAccounts at the end of its
// transaction): an account of every type and in every state, held by demo people, made through
// the same commands and approvals engine a person's clicks would use, identifiers encrypted with
// lib/pii (PII_ENCRYPTION_KEY, which npm start / db:seed / dev generate on the first run).
// 李小雨 (employee@) holds a WeCom member account with 30 customers; 吴已离 (departed@) left with
// an account still in handover.
//
// Without PII_ENCRYPTION_KEY (a test that seeds the directory only) the accounts are skipped and
// the log says so: an identifier cannot be stored unencrypted.

type Commands = typeof import("./commands");
type Engine = typeof import("@/lib/approvals/engine");

const DAY = 86_400_000;

type Person = { id: string; name: string; email: string; departmentId: string; departmentPath: string; roles: RoleCode[]; status: string; deptCode: string };

const CONTACTS: [string, string | null][] = [
  ["王建华", "上海华谊贸易有限公司"], ["陈美玲", "杭州西湖电子科技有限公司"], ["刘德明", "苏州工业园区精密机械有限公司"], ["张丽娟", "南京金陵医药股份有限公司"],
  ["赵国强", "宁波港联物流有限公司"], ["孙晓燕", null], ["周文斌", "无锡新能源汽车配件有限公司"], ["吴海峰", "上海浦江建设工程有限公司"],
  ["郑雅琴", "合肥科大讯达信息技术有限公司"], ["黄志伟", "常州天合光电有限公司"], ["徐静", "嘉兴纺织品进出口有限公司"], ["马俊杰", "上海陆家嘴金融服务有限公司"],
  ["朱红梅", null], ["胡建军", "温州正泰电气销售有限公司"], ["林小芳", "绍兴黄酒集团有限公司"], ["何永刚", "上海申通快递有限公司"],
  ["高玉兰", "扬州润扬食品有限公司"], ["罗斌", "南通中远船务有限公司"], ["梁晓东", "上海张江生物医药有限公司"], ["宋佳怡", "杭州阿里云计算有限公司"],
  ["谢宏伟", "苏州吴中酒店管理有限公司"], ["唐敏", null], ["韩雪", "上海虹桥会展中心有限公司"], ["冯志明", "台州吉利零部件有限公司"],
  ["曹丽华", "湖州安吉白茶有限公司"], ["彭涛", "上海宝钢物流有限公司"], ["曾淑芬", "金华义乌小商品贸易有限公司"], ["邓超", "镇江恒顺醋业有限公司"],
  ["许文静", "上海东方明珠文旅有限公司"], ["蒋国华", "泰州医药高新区开发有限公司"],
];

export async function seedDemoAccounts(tx: Tx, log: (line: string) => void = () => {}): Promise<{ accounts: number; contacts: number }> {
  if (!process.env.PII_ENCRYPTION_KEY) {
    log("Demo accounts skipped: PII_ENCRYPTION_KEY is not set (identifiers are stored only encrypted).");
    return { accounts: 0, contacts: 0 };
  }
  const commands: Commands = await import("./commands");
  const engine: Engine = await import("@/lib/approvals/engine");

  const rows = await tx.employee.findMany({
    select: { id: true, name: true, email: true, status: true, departmentId: true, department: { select: { path: true, code: true } }, roles: { select: { role: true } } },
    orderBy: { employeeNo: "asc" },
  });
  const people: Person[] = rows.map((r) => ({ id: r.id, name: r.name, email: r.email, status: r.status, departmentId: r.departmentId, departmentPath: r.department.path, deptCode: r.department.code, roles: r.roles.map((x) => x.role as RoleCode) }));
  const byEmail = new Map(people.map((p) => [p.email, p]));
  const person = (email: string) => {
    const p = byEmail.get(email);
    if (!p) throw new Error(`Demo person ${email} is missing`);
    return p;
  };
  const staffIn = (code: string, skip = 0) => {
    const p = people.filter((x) => x.deptCode === code && x.status === "ACTIVE" && x.email.startsWith("staff"))[skip];
    if (!p) throw new Error(`No demo staff in ${code}`);
    return p;
  };
  const actorOf = (p: Person): Actor => ({ id: p.id, name: p.name, email: p.email, roles: p.roles, permissions: permissionsOf(p.roles), departmentId: p.departmentId, departmentPath: p.departmentPath, ip: null });
  const auditFor = (actor: Actor) => (event: AuditInput) => writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: null }, event);
  const ctx = <I>(p: Person, input: I) => {
    const actor = actorOf(p);
    return { actor, input, tx, audit: auditFor(actor) };
  };
  const departments = new Map((await tx.department.findMany({ select: { id: true, code: true } })).map((d) => [d.code, d.id]));
  const deptId = (code: string) => departments.get(code)!;

  const decideNext = async (requestId: string, decision: "APPROVE" | "REJECT", comment?: string) => {
    const request = await tx.approvalRequest.findUniqueOrThrow({ where: { id: requestId }, include: { steps: { where: { status: "PENDING" } } } });
    const step = request.steps[0];
    if (!step) throw new Error(`Demo request ${requestId} has no pending step`);
    const decider = step.approverId
      ? people.find((p) => p.id === step.approverId)
      : people.find((p) => p.roles.includes(step.role as RoleCode) && p.id !== request.requesterId && p.status === "ACTIVE" && !p.email.startsWith("staff"));
    if (!decider) throw new Error(`Nobody to decide step ${step.position} of demo request ${requestId}`);
    const actor = actorOf(decider);
    await engine.decideApprovalStep({ tx, audit: auditFor(actor), actor }, { requestId, stepId: step.id, decision, comment });
  };
  const approveAll = async (requestId: string) => {
    for (let i = 0; i < 5; i++) {
      if (!(await tx.approvalRequestStep.count({ where: { requestId, status: "PENDING" } }))) return;
      await decideNext(requestId, "APPROVE");
    }
  };
  const form = (type: string, displayName: string, platformId: string, custodian: string, holder: Person, phone?: string, note?: string) => ({
    type: type as "WECOM_MEMBER",
    displayName,
    platformId,
    phone,
    custodianDepartmentId: deptId(custodian),
    holderId: holder.id,
    note,
  });

  const admin = person("admin@wegovern.demo");
  const hr = person("hr@wegovern.demo");
  const employee = person("employee@wegovern.demo");
  const manager = person("manager@wegovern.demo");
  const southManager = person("south.manager@wegovern.demo");
  const departed = person("departed@wegovern.demo");
  let made = 0;

  // 1. 李小雨's WeCom member account: requested, approved by her manager and an administrator.
  const main = await commands.requestAccount(ctx(employee, form("WECOM_MEMBER", "李小雨（上海销售一组）", "LiXiaoYu.SH1", "SALES-EAST-SH1", employee, "13817265432", "对接华东重点客户")));
  await approveAll(main.requestId);
  made++;
  const today = new Date(new Date().toLocaleDateString("en-CA", { timeZone: "Asia/Shanghai" }) + "T02:00:00.000Z");
  await tx.customerContact.createMany({
    data: CONTACTS.map(([name, company], i) => ({
      id: newId(),
      accountId: main.id,
      ...externalIdFields(`wmDemo${String(i + 1).padStart(3, "0")}xQ${(i * 7919).toString(36)}`),
      name,
      company,
      addedAt: new Date(today.getTime() - (400 - i * 12) * DAY),
    })),
  });
  await writeAuditEvent(tx, { id: null, label: "system", ip: null }, { action: "account.contactsSeeded", entityType: "Account", entityId: main.id, after: { contacts: CONTACTS.length } });

  // 2. The official account of East Sales, registered as already in use; held by its manager.
  await commands.registerAccount(ctx(admin, form("OFFICIAL_ACCOUNT", "华东销售服务号", "gh_3f9a1c7e52d8", "SALES-EAST", manager, undefined, "2023 年开通，认证主体为公司")));
  made++;

  // 3. A video channel asked for by a salesperson of Hangzhou: waiting for the manager.
  const hz = staffIn("SALES-EAST-HZ");
  await commands.requestAccount(ctx(hz, form("VIDEO_CHANNEL", "杭州销售组视频号", "sphz8Kq2WmT7", "SALES-EAST-HZ", hz, "15968871234")));
  made++;

  // 4. The mini-program administrator account of IT: suspended (phone being replaced).
  const mini = await commands.registerAccount(ctx(admin, form("MINI_PROGRAM", "客户服务小程序管理员", "wx7d2c9e4b1a0f3e68", "IT", admin, "18621550987")));
  await commands.suspendAccount(ctx(admin, { id: mini.id, version: 1, reason: "管理员手机更换中，暂停登录" }));
  made++;

  // 5. A company WeChat for South Sales, held by its manager.
  await commands.registerAccount(ctx(admin, form("WECHAT_PERSONAL", "华南销售客服微信", "wxid_hn_sales_2024", "SALES-SOUTH", southManager, "13926001122")));
  made++;

  // 6. Rejected and 7. withdrawn requests.
  const sh1b = staffIn("SALES-EAST-SH1");
  const rejected = await commands.requestAccount(ctx(sh1b, form("WECHAT_PERSONAL", "个人副号（申请）", "wxid_sh1_second", "SALES-EAST-SH1", sh1b)));
  await decideNext(rejected.requestId, "REJECT", "个人副号不属于公司资产，请使用企业微信。");
  const withdrawn = await commands.requestAccount(ctx(sh1b, form("WECOM_MEMBER", "临时活动账号", "sh1.event.temp", "SALES-EAST-SH1", sh1b)));
  await engine.withdrawApprovalRequest({ tx, audit: auditFor(actorOf(sh1b)), actor: actorOf(sh1b) }, { requestId: withdrawn.requestId });
  made += 2;

  // 8. Marketing's video channel with a dissolution pending (its holder asked; HR decides first);
  // 9. an old subscription account dissolved.
  const mktHolder = staffIn("MKT");
  const channel = await commands.registerAccount(ctx(admin, form("VIDEO_CHANNEL", "品牌活动视频号（2025）", "sphMkt2025Brand", "MKT", mktHolder)));
  await commands.requestAccountDissolution({ actor: actorOf(mktHolder), tx, audit: auditFor(actorOf(mktHolder)) }, { accountId: channel.id, reason: "2025 年活动结束，内容已归档" });
  const old = await commands.registerAccount(ctx(admin, form("OFFICIAL_ACCOUNT", "旧版订阅号", "gh_old0a17b9c2e4", "MKT", mktHolder)));
  const dissolution = await commands.requestAccountDissolution({ actor: actorOf(mktHolder), tx, audit: auditFor(actorOf(mktHolder)) }, { accountId: old.id, reason: "已迁移到服务号" });
  await approveAll(dissolution.requestId);
  made += 2;

  // 10. Customer service: a member account handed over and reassigned to a colleague.
  const cs1 = staffIn("CS-ONLINE");
  const cs2 = staffIn("CS-ONLINE", 1);
  const cs = await commands.registerAccount(ctx(admin, form("WECOM_MEMBER", "在线客服 03 号", "kefu03.online", "CS-ONLINE", cs1, "17721345566")));
  const handover = await commands.markAccountInHandover({ actor: actorOf(hr), tx, audit: auditFor(actorOf(hr)) }, { accountId: cs.id });
  await commands.reassignAccount({ actor: actorOf(hr), tx, audit: auditFor(actorOf(hr)) }, { accountId: cs.id, newHolderId: cs2.id, expectedVersion: handover.version });
  made++;

  // 11. 吴已离 left on 2026-10-31 with his WeCom account still to hand over. He cannot be named a
  // holder any more (only ACTIVE employees can), so his account is written as it stood.
  const platformId = protect("identifier", "WuYiLi.South");
  const phone = protect("phone", "13500223344");
  const left = await tx.account.create({
    data: {
      id: newId(),
      type: "WECOM_MEMBER",
      displayName: "吴已离（华南销售部）",
      platformIdCipher: platformId.cipher,
      platformIdHash: platformId.hash,
      platformIdMask: platformId.mask,
      phoneCipher: phone.cipher,
      phoneHash: phone.hash,
      phoneMask: phone.mask,
      holderId: departed.id,
      custodianDepartmentId: departed.departmentId,
      status: "HANDOVER",
      requestedById: departed.id,
    },
  });
  await writeAuditEvent(tx, { id: null, label: "system", ip: null }, { action: "account.register", entityType: "Account", entityId: left.id, after: { status: "HANDOVER", holderId: departed.id, platformId: platformId.mask, phone: phone.mask } });
  await tx.customerContact.createMany({
    data: CONTACTS.slice(0, 6).map(([name, company], i) => ({ id: newId(), accountId: left.id, ...externalIdFields(`wmSouth${String(i + 1).padStart(3, "0")}`), name: `${name.slice(0, 1)}先生`, company, addedAt: new Date(today.getTime() - (200 + i) * DAY) })),
  });
  made++;

  // 12. A Guangzhou salesperson's WeCom account with a dozen customers: a second person whose
  // handover of customers can be tried (the end-to-end tests use it, so 李小雨 stays active).
  const gz = staffIn("SALES-SOUTH-GZ");
  const gzAccount = await commands.registerAccount(ctx(admin, form("WECOM_MEMBER", `${gz.name}（广州销售组）`, "gz.sales.03", "SALES-SOUTH-GZ", gz, "13622887766")));
  const GZ_CONTACTS = 12;
  await tx.customerContact.createMany({
    data: CONTACTS.slice(6, 6 + GZ_CONTACTS).map(([name, company], i) => ({ id: newId(), accountId: gzAccount.id, ...externalIdFields(`wmGz${String(i + 1).padStart(3, "0")}`), name, company, addedAt: new Date(today.getTime() - (300 - i * 9) * DAY) })),
  });
  await writeAuditEvent(tx, { id: null, label: "system", ip: null }, { action: "account.contactsSeeded", entityType: "Account", entityId: gzAccount.id, after: { contacts: GZ_CONTACTS } });
  made++;

  log(`Seeded ${made} demo accounts (every type and state) and ${CONTACTS.length + 6 + GZ_CONTACTS} customer contacts.`);
  return { accounts: made, contacts: CONTACTS.length + 6 + GZ_CONTACTS };
}
