import { bulkAssign, openCase, startTransfers } from "@/lib/offboarding/commands";
import { makeWorkGroup } from "@/lib/offboarding/fixtures";
import { bulkAssignSchema, openCaseSchema, startTransfersSchema } from "@/lib/offboarding/schemas";
import { isoDay, shanghaiToday } from "@/lib/offboarding/time";
import type { DbClient } from "@/lib/server/prisma-client";
import type { WeComSim } from "@/scripts/wecom-sim/server";
import { expectOk, run } from "../helpers/run-command";
import { seedOffboardingOrg } from "./helpers";

// Shared by the WeCom transfer tests (their simulator and database: tests/helpers/wecom-handover-env.ts):
// a leaver with `contacts` customers and WeCom userids on the leaver and the successors.

export async function wecomCase(prisma: DbClient, contacts: number, opts: { tag: string; leaverStatus?: number }) {
  const org = await seedOffboardingOrg(prisma, contacts);
  const userid = (k: string) => `${opts.tag}-${k}`;
  await prisma.employee.update({ where: { id: org.people.leaver.id }, data: { wecomUserid: userid("leaver"), wecomStatus: opts.leaverStatus ?? 1 } });
  await prisma.employee.update({ where: { id: org.people.s1.id }, data: { wecomUserid: userid("s1"), wecomStatus: 1 } });
  await prisma.employee.update({ where: { id: org.people.s2.id }, data: { wecomUserid: userid("s2"), wecomStatus: 1 } });
  const today = isoDay(shanghaiToday(new Date()));
  const { id: caseId } = expectOk(await run(prisma, org.actors.hr, openCaseSchema, { employeeId: org.people.leaver.id, lastWorkingDay: today }, (ctx) => openCase(ctx)));
  expectOk(await run(prisma, org.actors.hr, bulkAssignSchema, { caseId, successorId: org.people.s1.id, kind: "CONTACT", mode: "replace" }, (ctx) => bulkAssign(ctx)));
  const start = (actor = org.actors.hr) => run(prisma, actor, startTransfersSchema, { caseId, kind: "CONTACT" }, (ctx) => startTransfers(ctx));
  return { org, caseId, userid, start };
}

/** A WeCom case whose leaver owns `groups` customer groups with chat ids (`chatId(i)`), all
 * assigned to s1; `start` starts the group items. (A leaver with one customer, WeCom status given.) */
export async function wecomGroupCase(prisma: DbClient, tag: string, groups: number, leaverStatus = 1, chatId = (i: number) => `wr${tag}${String(i).padStart(4, "0")}`) {
  const k = await wecomCase(prisma, 1, { tag, leaverStatus });
  const dept = k.org.dept;
  for (let i = 0; i < groups; i++) {
    const g = await makeWorkGroup(prisma, { ownerId: k.org.people.leaver.id, departmentId: dept.id, name: `${tag}-群${i}` });
    await prisma.workGroup.update({ where: { id: g.id }, data: { externalId: chatId(i) } });
  }
  // The groups were made after the case opened: a second case would pick them up; here the items are added as openCase does.
  await prisma.$executeRaw`
    INSERT INTO "handover_items" ("id", "case_id", "kind", "group_id", "label", "created_at", "updated_at")
    SELECT replace(gen_random_uuid()::text, '-', ''), ${k.caseId}, 'GROUP', g."id", g."name", now(), now()
    FROM "work_groups" g WHERE g."owner_id" = ${k.org.people.leaver.id} AND g."external_id" IS NOT NULL`;
  expectOk(await run(prisma, k.org.actors.hr, bulkAssignSchema, { caseId: k.caseId, successorId: k.org.people.s1.id, kind: "GROUP", mode: "replace" }, (ctx) => bulkAssign(ctx)));
  const start = () => run(prisma, k.org.actors.hr, startTransfersSchema, { caseId: k.caseId, kind: "GROUP" }, (ctx) => startTransfers(ctx));
  return { ...k, start };
}

export async function simJson(sim: WeComSim, path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.url}/__sim/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  return (await res.json()) as Record<string, unknown>;
}

/** How many times the simulator was asked to transfer each customer. */
export async function sends(sim: WeComSim): Promise<Record<string, number>> {
  return (await simJson(sim, "transfers/stats")).sends as Record<string, number>;
}
