import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runServiceBreachSweep, runServiceEscalation } from "@/lib/jobs/handlers";
import type { Actor } from "@/lib/server/actor";
import { assignCase, closeCase, type CaseResult, createCase, pauseCase, recordFirstResponse, resolveCase, resumeCase } from "@/lib/service/commands";
import { assignSchema, caseRefSchema, closeSchema, createCaseSchema, firstResponseSchema, pauseSchema, resolveSchema } from "@/lib/service/schemas";
import { buildDefaultChinaCalendar } from "@/lib/calendar";
import { clockMsBetween } from "@/lib/service/sla";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedServiceOrg, sh, type ServiceOrg } from "./helpers";

// Service cases against a migrated database with the default policy set, on a controlled clock
// (every command and job takes `now`).

let db: TestDb;
let org: ServiceOrg;
beforeAll(async () => {
  db = await createTestDb();
  org = await seedServiceOrg(db.prisma);
});
afterAll(async () => db?.close());

const cal = buildDefaultChinaCalendar();

async function create(actor: Actor, fields: Record<string, unknown>, now: Date) {
  return run(db.prisma, actor, createCaseSchema, { title: "退款未到账", customerName: "张先生", channel: "WECOM_CONTACT", caseType: "COMPLAINT", priority: "URGENT", ...fields }, (ctx) => createCase({ ...ctx, now }));
}
const caseRow = (id: string) => db.prisma.serviceCase.findUniqueOrThrow({ where: { id } });
const step = <S extends Parameters<typeof run>[2]>(schema: S, command: (ctx: never) => Promise<CaseResult>) => (actor: Actor, raw: Record<string, unknown>, now: Date) =>
  run(db.prisma, actor, schema, raw, (ctx) => (command as (c: unknown) => Promise<CaseResult>)({ ...ctx, now }));
const respond = step(firstResponseSchema, recordFirstResponse);
const pause = step(pauseSchema, pauseCase);
const resume = step(caseRefSchema, resumeCase);
const resolve = step(resolveSchema, resolveCase);
const close = step(closeSchema, closeCase);
const assign = step(assignSchema, assignCase);

describe("policy matching (first match wins)", () => {
  it("an urgent complaint gets 10 working minutes to a first response, a normal inquiry 30, a low suggestion the default", async () => {
    const now = sh("2026-03-10T12:00:00");
    const urgent = expectOk(await create(org.actors.a1, { receivedAt: "2026-03-10T11:55" }, now));
    const c = await caseRow(urgent.id);
    expect(c.policyName).toBe("紧急投诉");
    // 11:55 + 10 working minutes crosses the lunch break.
    expect(c.firstResponseDueAt.toISOString()).toBe(sh("2026-03-10T13:05:00").toISOString());
    expect(c.resolutionDueAt.toISOString()).toBe(sh("2026-03-10T16:55:00").toISOString());
    expect(c.teamId).toBe(org.team.id);

    const inquiry = await caseRow(expectOk(await create(org.actors.a1, { caseType: "INQUIRY", priority: "NORMAL", receivedAt: "2026-03-13T17:45" }, sh("2026-03-13T18:00:00"))).id);
    expect(inquiry.policyName).toBe("普通咨询");
    expect(inquiry.firstResponseDueAt.toISOString()).toBe(sh("2026-03-16T09:15:00").toISOString()); // Friday → Monday

    const suggestion = await caseRow(expectOk(await create(org.actors.a1, { caseType: "SUGGESTION", priority: "LOW", receivedAt: "2026-09-30T17:30" }, sh("2026-10-12T09:00:00"))).id);
    expect(suggestion.policyName).toBe("默认");
    // 60 working minutes: 30 before the National Day holiday, 30 on Thursday 8 October.
    expect(suggestion.firstResponseDueAt.toISOString()).toBe(sh("2026-10-08T09:30:00").toISOString());
  });

  it("a policy placed first wins over the defaults; an inactive one is skipped", async () => {
    await db.prisma.slaPolicy.create({ data: { name: "电话投诉", nameEn: "Phone complaint", position: 1, channel: "PHONE", caseType: "COMPLAINT", firstResponseMinutes: 5, resolutionMinutes: 60, clock: "CALENDAR" } });
    await db.prisma.slaPolicy.create({ data: { name: "停用", nameEn: "Off", position: 0, channel: "PHONE", firstResponseMinutes: 1, resolutionMinutes: 1, active: false } });
    const c = await caseRow(expectOk(await create(org.actors.a1, { channel: "PHONE", receivedAt: "2026-03-14T23:58" }, sh("2026-03-15T00:00:00"))).id);
    expect(c.policyName).toBe("电话投诉");
    expect(c.firstResponseDueAt.toISOString()).toBe(sh("2026-03-15T00:03:00").toISOString()); // calendar time, Sunday night
  });
});

describe("bad input: a clear message, nothing changed", () => {
  it("refuses a first response or a resolution before the case was received, and a case received in the future", async () => {
    const now = sh("2026-03-11T10:00:00");
    const { id, version } = expectOk(await create(org.actors.a1, { caseType: "INQUIRY", priority: "NORMAL", assigneeId: org.people.a1.id, receivedAt: "2026-03-11T09:30" }, now));
    const audits = await db.prisma.auditEvent.count();
    expect(await respond(org.actors.a1, { id, version, at: "2026-03-11T09:00" }, now)).toMatchObject({ ok: false, code: "VALIDATION", field: "at", messageKey: "service.errors.beforeReceived" });
    expect(await resolve(org.actors.a1, { id, version, resolution: "已处理", at: "2026-03-11T09:29" }, now)).toMatchObject({ ok: false, code: "VALIDATION", field: "at", messageKey: "service.errors.beforeReceived" });
    expect(await create(org.actors.a1, { receivedAt: "2026-03-11T12:00" }, now)).toMatchObject({ ok: false, field: "receivedAt", messageKey: "service.errors.inFuture" });
    expect(await create(org.actors.a1, { receivedAt: "2026-02-30T12:00" }, now)).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { receivedAt: ["service.v.dateTime"] } });
    expect(await create(org.actors.a1, { channel: "FAX" }, now)).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { channel: ["errors.v.invalidChoice"] } });
    const c = await caseRow(id);
    expect(c).toMatchObject({ version, firstResponseAt: null, resolvedAt: null, status: "OPEN" });
    expect(await db.prisma.auditEvent.count()).toBe(audits);
  });
});

describe("pause and resume", () => {
  it("pausing waits on the customer (after a first response); resuming gives back exactly the working time left", async () => {
    const received = sh("2026-03-16T09:00:00");
    let c = expectOk(await create(org.actors.a1, { caseType: "INQUIRY", priority: "HIGH", assigneeId: org.people.a1.id, receivedAt: "2026-03-16T09:00" }, received));
    expect(await pause(org.actors.a1, { id: c.id, version: c.version }, sh("2026-03-16T09:05:00"))).toMatchObject({ ok: false, messageKey: "service.errors.respondFirst" });
    c = expectOk(await respond(org.actors.a1, { id: c.id, version: c.version }, sh("2026-03-16T09:10:00")));
    const before = await caseRow(c.id);
    // Paused Monday 11:00; resumed Wednesday 15:00.
    c = expectOk(await pause(org.actors.a1, { id: c.id, version: c.version, note: "等客户提供订单号" }, sh("2026-03-16T11:00:00")));
    const paused = await caseRow(c.id);
    expect(paused).toMatchObject({ status: "WAITING_CUSTOMER", resolutionDueAt: before.resolutionDueAt });
    expect(await resolve(org.actors.a1, { id: c.id, version: c.version, resolution: "x" }, sh("2026-03-17T10:00:00"))).toMatchObject({ ok: false, messageKey: "service.errors.resumeFirst" });
    c = expectOk(await resume(org.actors.a1, { id: c.id, version: c.version }, sh("2026-03-18T15:00:00")));
    const resumed = await caseRow(c.id);
    const leftAtPause = clockMsBetween(cal, "BUSINESS", sh("2026-03-16T11:00:00"), before.resolutionDueAt);
    const leftAtResume = clockMsBetween(cal, "BUSINESS", sh("2026-03-18T15:00:00"), resumed.resolutionDueAt);
    expect(leftAtResume).toBe(leftAtPause);
    expect(resumed.resolutionDueAt.getTime()).toBeGreaterThan(before.resolutionDueAt.getTime());
    expect(resumed).toMatchObject({ status: "OPEN", pausedAt: null, nextTarget: "RESOLUTION" });
    const pauses = await db.prisma.serviceCasePause.findMany({ where: { caseId: c.id } });
    expect(pauses).toHaveLength(1);
    expect(pauses[0].resumedAt?.toISOString()).toBe(sh("2026-03-18T15:00:00").toISOString());
    // The time used excludes the wait: 2 working hours before the pause + 1 after the resume.
    expectOk(await resolve(org.actors.a1, { id: c.id, version: c.version, resolution: "已补充订单号并处理" }, sh("2026-03-18T16:00:00")));
    expect((await caseRow(c.id)).resolutionSeconds).toBe(3 * 3600);
  });
});

describe("complaint escalation (controlled clock)", () => {
  it("the job at the moment of breach tells the team's manager once; earlier runs and repeats do nothing", async () => {
    const received = sh("2026-03-19T10:00:00");
    const created = expectOk(await create(org.actors.a1, { assigneeId: org.people.a1.id, receivedAt: "2026-03-19T10:00" }, received));
    const due = (await caseRow(created.id)).firstResponseDueAt;
    expect(due.toISOString()).toBe(sh("2026-03-19T10:10:00").toISOString());
    expect(created.escalateAt?.toISOString()).toBe(due.toISOString());

    expect(await runServiceEscalation(db.prisma, created.id, sh("2026-03-19T10:09:59"))).toEqual({ escalated: false });
    expect(await runServiceEscalation(db.prisma, created.id, due)).toEqual({ escalated: false });
    expect(await runServiceEscalation(db.prisma, created.id, new Date(due.getTime() + 1))).toEqual({ escalated: true });
    expect(await runServiceEscalation(db.prisma, created.id, sh("2026-03-19T11:00:00"))).toEqual({ escalated: false });
    await runServiceBreachSweep(db.prisma, sh("2026-03-19T11:00:00"));

    const notes = await db.prisma.notification.findMany({ where: { href: `/service/${created.id}` } });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ recipientId: org.people.manager.id, kind: "service.escalation", messageKey: "service.attention.escalatedFirstResponse" });
    const escalations = await db.prisma.serviceEscalation.findMany({ where: { caseId: created.id } });
    expect(escalations).toMatchObject([{ target: "FIRST_RESPONSE", source: "job" }]);

    // Answered late; the resolution target is escalated by the sweep when it breaches in turn.
    const c = expectOk(await respond(org.actors.a1, { id: created.id, version: created.version }, sh("2026-03-19T10:30:00")));
    const resolutionDue = (await caseRow(c.id)).resolutionDueAt;
    expect(c.escalateAt?.toISOString()).toBe(resolutionDue.toISOString());
    const targets = async () => (await db.prisma.serviceEscalation.findMany({ where: { caseId: c.id }, orderBy: { escalatedAt: "asc" } })).map((e) => `${e.target}:${e.source}`);
    await runServiceBreachSweep(db.prisma, resolutionDue);
    expect(await targets()).toEqual(["FIRST_RESPONSE:job"]);
    expect((await runServiceBreachSweep(db.prisma, new Date(resolutionDue.getTime() + 60_000))).escalated).toBeGreaterThanOrEqual(1);
    expect(await targets()).toEqual(["FIRST_RESPONSE:job", "RESOLUTION:sweep"]);
    expect(await db.prisma.notification.count({ where: { href: `/service/${created.id}` } })).toBe(2);
  });

  it("a complaint waiting on the customer is not escalated; after the resume it is, at its new due time", async () => {
    let c = expectOk(await create(org.actors.a1, { priority: "NORMAL", assigneeId: org.people.a1.id, receivedAt: "2026-03-23T09:00" }, sh("2026-03-23T09:00:00")));
    c = expectOk(await respond(org.actors.a1, { id: c.id, version: c.version }, sh("2026-03-23T09:05:00")));
    const due = (await caseRow(c.id)).resolutionDueAt; // 16 working hours: Tuesday 18:00
    c = expectOk(await pause(org.actors.a1, { id: c.id, version: c.version }, sh("2026-03-23T10:00:00")));
    expect(c.escalateAt).toBeNull();
    expect(await runServiceEscalation(db.prisma, c.id, new Date(due.getTime() + 3_600_000))).toEqual({ escalated: false });
    await runServiceBreachSweep(db.prisma, new Date(due.getTime() + 3_600_000));
    expect(await db.prisma.serviceEscalation.count({ where: { caseId: c.id } })).toBe(0);
    c = expectOk(await resume(org.actors.a1, { id: c.id, version: c.version }, sh("2026-03-25T10:00:00")));
    const newDue = (await caseRow(c.id)).resolutionDueAt;
    expect(c.escalateAt?.toISOString()).toBe(newDue.toISOString());
    expect(await runServiceEscalation(db.prisma, c.id, newDue)).toEqual({ escalated: false });
    expect(await runServiceEscalation(db.prisma, c.id, new Date(newDue.getTime() + 1))).toEqual({ escalated: true });
  });

  it("a complaint recorded already breached is escalated at once; an inquiry never is", async () => {
    const c = expectOk(await create(org.actors.a1, { receivedAt: "2026-03-24T09:00" }, sh("2026-03-24T15:00:00")));
    expect(c.escalateAt).toBeNull();
    expect(await db.prisma.serviceEscalation.findMany({ where: { caseId: c.id } })).toMatchObject([{ target: "FIRST_RESPONSE", source: "command" }]);
    const i = expectOk(await create(org.actors.a1, { caseType: "INQUIRY", receivedAt: "2026-03-24T09:00" }, sh("2026-03-24T15:00:00")));
    expect(i.escalateAt).toBeNull();
    expect(await runServiceEscalation(db.prisma, i.id, sh("2026-03-30T15:00:00"))).toEqual({ escalated: false });
  });
});

describe("closing the loop (闭环)", () => {
  it("a complaint closes only with the customer's confirmation or a documented follow-up attempt", async () => {
    const now = sh("2026-03-26T09:00:00");
    let c = expectOk(await create(org.actors.a1, { assigneeId: org.people.a1.id, receivedAt: "2026-03-26T09:00" }, now));
    expect(await close(org.actors.a1, { id: c.id, version: c.version, closure: "CONFIRMED" }, now)).toMatchObject({ ok: false, messageKey: "service.errors.closeNeedsResolved" });
    c = expectOk(await resolve(org.actors.a1, { id: c.id, version: c.version, resolution: "已补发退款" }, sh("2026-03-26T09:08:00")));
    const resolved = await caseRow(c.id);
    expect(resolved).toMatchObject({ status: "RESOLVED", nextDueAt: null });
    expect(resolved.firstResponseAt?.toISOString()).toBe(sh("2026-03-26T09:08:00").toISOString());
    expect(await close(org.actors.a1, { id: c.id, version: c.version }, now)).toMatchObject({ ok: false, field: "closure", messageKey: "service.errors.closureRequired" });
    expect(await close(org.actors.a1, { id: c.id, version: c.version, closure: "NO_ANSWER" }, now)).toMatchObject({ ok: false, field: "note", messageKey: "service.errors.followUpNoteRequired" });
    expectOk(await close(org.actors.a1, { id: c.id, version: c.version, closure: "CONFIRMED", note: "客户电话确认已收到" }, sh("2026-03-26T10:00:00")));
    expect(await caseRow(c.id)).toMatchObject({ status: "CLOSED", closure: "CONFIRMED", confirmationNote: "客户电话确认已收到", firstResponseSeconds: 8 * 60, resolutionSeconds: 8 * 60 });

    let d = expectOk(await create(org.actors.a1, { assigneeId: org.people.a1.id, receivedAt: "2026-03-26T09:00" }, now));
    d = expectOk(await resolve(org.actors.a1, { id: d.id, version: d.version, resolution: "已道歉并补偿" }, sh("2026-03-26T09:05:00")));
    expectOk(await close(org.actors.a1, { id: d.id, version: d.version, closure: "NO_ANSWER", note: "3月27日致电两次未接，已发企业微信消息" }, sh("2026-03-27T16:00:00")));
    expect(await caseRow(d.id)).toMatchObject({ status: "CLOSED", closure: "NO_ANSWER" });

    // The database refuses a closed complaint without either, whatever the code does.
    await expect(db.prisma.serviceCase.update({ where: { id: d.id }, data: { followUpAt: null } })).rejects.toThrow();
  });

  it("an inquiry may close without a confirmation", async () => {
    let c = expectOk(await create(org.actors.a1, { caseType: "INQUIRY", assigneeId: org.people.a1.id, receivedAt: "2026-03-26T09:00" }, sh("2026-03-26T09:00:00")));
    c = expectOk(await resolve(org.actors.a1, { id: c.id, version: c.version, resolution: "已答复" }, sh("2026-03-26T09:20:00")));
    expectOk(await close(org.actors.a1, { id: c.id, version: c.version }, sh("2026-03-26T09:30:00")));
  });
});

describe("who works which case", () => {
  it("agents take unassigned cases of their team; others' cases are not theirs to work; managers assign", async () => {
    const now = sh("2026-03-27T09:00:00");
    let c = expectOk(await create(org.actors.a1, { caseType: "INQUIRY", receivedAt: "2026-03-27T09:00" }, now));
    // Outside the team the case does not exist.
    expect(await assign(org.actors.outsider, { id: c.id, version: c.version, assigneeId: org.people.outsider.id }, now)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    // Unassigned: an agent of the team may not answer before taking it.
    expect(await respond(org.actors.a2, { id: c.id, version: c.version }, now)).toMatchObject({ ok: false, code: "FORBIDDEN", messageKey: "service.errors.notAssignee" });
    c = expectOk(await assign(org.actors.a2, { id: c.id, version: c.version, assigneeId: org.people.a2.id }, now));
    // a1 may not hand it to themselves now it is a2's, nor answer it.
    expect(await assign(org.actors.a1, { id: c.id, version: c.version, assigneeId: org.people.a1.id }, now)).toMatchObject({ ok: false });
    expect(await respond(org.actors.a1, { id: c.id, version: c.version }, now)).toMatchObject({ ok: false });
    // The manager of the centre reassigns it.
    c = expectOk(await assign(org.actors.manager, { id: c.id, version: c.version, assigneeId: org.people.a1.id }, now));
    expect((await caseRow(c.id)).assigneeId).toBe(org.people.a1.id);
    // A stale form is told so.
    expect(await respond(org.actors.a1, { id: c.id, version: c.version - 1 }, now)).toMatchObject({ ok: false, code: "STALE" });
    // The auditor reads everything and changes nothing.
    expect(await assign(org.actors.auditor, { id: c.id, version: c.version, assigneeId: org.people.a2.id }, now)).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });
});
