import { loadCalendar } from "@/lib/calendar/store";
import { writeAuditEvent, type AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";
import { caseData, loadPolicies } from "./commands";
import { escalateIfBreached } from "./escalation";
import { addClockMs, type CaseType, type Priority, type ServiceChannel, type SlaClock } from "./sla";

// Service cases for the demo organisation (prisma/seed.ts calls seedDemoService at the end of
// its transaction): 48 cases over the last eight weeks in every state — closed with the
// customer's confirmation or a documented follow-up, resolved, waiting on the customer, open on
// track, and open past their due time (complaints among them escalated to 王海涛, the manager
// of 华东销售部) — so the queue and the reports are not empty. Due times come from the default
// policies and calendar (lib/service/commands.caseData), exactly as for a case typed in.

const SYSTEM = { id: null, label: "system:seed", ip: null };
const DAY = 86_400_000;

const AGENTS = ["staff04", "staff14", "staff24", "staff10", "staff20", "staff30", "staff01", "staff11", "staff03", "staff23"];
const CUSTOMERS = ["王建华", "陈美玲", "刘德明", "张丽娟", "赵国强", "孙晓燕", "周文斌", "吴海峰", "郑雅琴", "黄志伟", "徐静", "马俊杰"];
const SUBJECTS: Record<CaseType, string[]> = {
  INQUIRY: ["询问发票开具进度", "咨询产品保修政策", "询问订单发货时间", "咨询企业采购优惠", "询问合同续签流程"],
  COMPLAINT: ["退款迟迟未到账", "配送延误三天", "客服回复态度差", "收到的商品有破损", "重复扣费"],
  SUGGESTION: ["建议增加夜间客服", "希望小程序支持开票", "建议优化退货流程"],
};
const CHANNELS: ServiceChannel[] = ["WECOM_CONTACT", "WECHAT_OA", "WECHAT_GROUP", "MINI_PROGRAM", "PHONE"];
const PRIORITIES: Priority[] = ["LOW", "NORMAL", "NORMAL", "HIGH", "URGENT"];

/** A small deterministic generator, so every fresh demo database looks the same. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

type Outcome = "closed" | "resolved" | "waiting" | "open" | "breached";

export async function seedDemoService(tx: Tx, log: (line: string) => void = () => {}, now = new Date()): Promise<{ cases: number; escalated: number }> {
  const people = await tx.employee.findMany({ where: { email: { in: AGENTS.map((a) => `${a}@wegovern.demo`) }, status: "ACTIVE" }, select: { id: true, email: true, departmentId: true } });
  if (people.length === 0) {
    log("Demo service cases skipped: the demo agents are missing.");
    return { cases: 0, escalated: 0 };
  }
  const agents = AGENTS.flatMap((a) => people.filter((p) => p.email === `${a}@wegovern.demo`));
  const policies = await loadPolicies(tx);
  const calendars = new Map();
  const calendar = (await loadCalendar(tx)).definition;
  const random = rng(20_261_126);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const audit = (event: AuditInput) => writeAuditEvent(tx, SYSTEM, event);
  const outcomes: Outcome[] = [...Array(28).fill("closed"), ...Array(6).fill("resolved"), ...Array(3).fill("waiting"), ...Array(6).fill("open"), ...Array(5).fill("breached")];
  const created: { id: string; caseType: CaseType; status: string }[] = [];

  for (const [i, outcome] of outcomes.entries()) {
    const agent = agents[i % agents.length];
    const caseType: CaseType = i % 4 === 1 || outcome === "breached" ? "COMPLAINT" : i % 7 === 3 ? "SUGGESTION" : "INQUIRY";
    const priority = pick(PRIORITIES);
    const channel = pick(CHANNELS);
    // Received: closed ones spread over eight weeks, open ones in the last hours, breached ones
    // a few days ago. Always a working instant of the default calendar.
    const back = outcome === "open" ? 20 + Math.floor(random() * 60) : outcome === "breached" ? 3 * 480 + Math.floor(random() * 600) : 480 * (2 + Math.floor(random() * 38));
    const receivedAt = addClockMs(calendar, "BUSINESS", now, -back * 60_000);
    const base = { title: pick(SUBJECTS[caseType]), customerName: pick(CUSTOMERS), customerRef: `DD${2026_0000 + i * 37}`, channel, caseType, priority, teamId: agent.departmentId, assigneeId: agent.id, receivedAt };
    const data = await caseData(tx, policies, calendars, base, agent.id);
    const clock = data.clock as SlaClock;
    // Met most of the time; about one in five late.
    const factor = () => (random() < 0.8 ? 0.2 + random() * 0.7 : 1.05 + random() * 0.8);
    let firstResponseAt: Date | null = null;
    let resolvedAt: Date | null = null;
    if (outcome !== "breached" && outcome !== "open") firstResponseAt = addClockMs(calendar, clock, receivedAt, data.firstResponseMinutes * 60_000 * factor());
    if (outcome === "closed" || outcome === "resolved") resolvedAt = addClockMs(calendar, clock, receivedAt, data.resolutionMinutes * 60_000 * factor());
    // Most open cases were answered on time and await their resolution (on track or at risk).
    if (outcome === "open" && i % 3 !== 0) firstResponseAt = addClockMs(calendar, clock, receivedAt, data.firstResponseMinutes * 60_000 * 0.5);
    if (outcome === "breached" && i % 2 === 0) firstResponseAt = addClockMs(calendar, clock, receivedAt, data.firstResponseMinutes * 60_000 * 0.5);
    if ((firstResponseAt && firstResponseAt > now) || (resolvedAt && resolvedAt > now)) {
      firstResponseAt = firstResponseAt && firstResponseAt <= now ? firstResponseAt : null;
      resolvedAt = null;
    }
    if (resolvedAt && firstResponseAt && resolvedAt < firstResponseAt) resolvedAt = firstResponseAt;
    const row = await caseData(tx, policies, calendars, { ...base, firstResponseAt, resolvedAt, resolution: resolvedAt ? "已与客户沟通并处理完毕" : null }, agent.id);
    const closing = outcome === "closed" && row.status === "RESOLVED";
    const waiting = outcome === "waiting" && row.firstResponseAt && !row.resolvedAt;
    const pausedAt = waiting ? new Date(Math.max(row.firstResponseAt!.getTime() + 60_000, now.getTime() - 2 * 3_600_000)) : null;
    const c = await tx.serviceCase.create({
      data: {
        ...row,
        ...(closing
          ? caseType === "COMPLAINT" && i % 3 === 0
            ? { status: "CLOSED" as const, closedAt: new Date(resolvedAt!.getTime() + DAY), closure: "NO_ANSWER" as const, followUpAt: new Date(resolvedAt!.getTime() + DAY), followUpNote: "次日两次致电未接通，已发送企业微信消息说明处理结果" }
            : { status: "CLOSED" as const, closedAt: new Date(resolvedAt!.getTime() + 3_600_000), closure: "CONFIRMED" as const, confirmedAt: new Date(resolvedAt!.getTime() + 3_600_000), confirmationNote: "客户确认问题已解决" }
          : {}),
        ...(waiting ? { status: "WAITING_CUSTOMER" as const, pausedAt } : {}),
      },
    });
    if (waiting) await tx.serviceCasePause.create({ data: { caseId: c.id, pausedAt: pausedAt! } });
    created.push({ id: c.id, caseType, status: c.status });
  }

  let escalated = 0;
  for (const c of created) if (c.caseType === "COMPLAINT" && c.status === "OPEN" && (await escalateIfBreached(tx, audit, c.id, now, "sweep"))) escalated++;
  await audit({ action: "seed.demoService", entityType: "ServiceCase", entityId: "*", after: { cases: created.length, escalated } });
  log(`Seeded ${created.length} demo service cases (${escalated} complaints escalated).`);
  return { cases: created.length, escalated };
}
