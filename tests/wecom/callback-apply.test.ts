import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encrypt } from "@/lib/pii";
import { runWeComCallbackEvent } from "@/lib/wecom/jobs";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { seedOrganisation } from "../directory/helpers";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { injectFaults, saveSimConnection, simAdmin, usePiiKey } from "./helpers";

// The callback job as the queue runs it (lib/wecom/jobs.ts): a recorded event is dispatched to its
// handler with the saved connection's clients, applied at once, and marked processed; an event
// already processed is skipped; one the portal does not apply is recorded only; a transient WeCom
// failure is thrown for the queue to retry and leaves the event unprocessed.

let db: TestDb;
let sim: WeComSim;
const lines: string[] = [];
const log = (line: string) => void lines.push(line);

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  sim = await startWeComSim({ size: "tiny" });
  await seedOrganisation(db.prisma);
  await saveSimConnection(db.prisma, sim);
});
afterAll(async () => {
  await sim?.stop();
  await db?.close();
});

async function record(fields: Record<string, string>): Promise<string> {
  const row = await db.prisma.weComCallbackEvent.create({ data: { event: fields.Event, changeType: fields.ChangeType ?? null, payloadCipher: encrypt(JSON.stringify(fields)) }, select: { id: true } });
  return row.id;
}

describe("the callback job", () => {
  it("applies a member's change at once and marks the event processed; the same event again is skipped", async () => {
    await simAdmin(sim, "directory", { members: { u000003: { name: "回调改名" } } });
    const id = await record({ Event: "change_contact", ChangeType: "update_user", UserID: "u000003" });
    expect(await runWeComCallbackEvent(db.prisma, id, log)).toEqual({ found: true, applied: true });
    expect(await db.prisma.employee.findUniqueOrThrow({ where: { wecomUserid: "u000003" } })).toMatchObject({ name: "回调改名" });
    expect((await db.prisma.weComCallbackEvent.findUniqueOrThrow({ where: { id } })).processedAt).not.toBeNull();
    expect(await runWeComCallbackEvent(db.prisma, id, log)).toEqual({ found: true, applied: false });
  });

  it("dispatches customer-group events to the groups' handler", async () => {
    const chatId = sim.company.chatId(1);
    const id = await record({ Event: "change_external_chat", ChangeType: "create", ChatId: chatId });
    expect(await runWeComCallbackEvent(db.prisma, id, log)).toEqual({ found: true, applied: true });
    expect(await db.prisma.workGroup.count({ where: { externalId: chatId } })).toBe(1);
  });

  it("records an event the portal does not apply, and marks it processed", async () => {
    const id = await record({ Event: "change_type_nobody_handles" });
    expect(await runWeComCallbackEvent(db.prisma, id, log)).toEqual({ found: true, applied: false });
    expect((await db.prisma.weComCallbackEvent.findUniqueOrThrow({ where: { id } })).processedAt).not.toBeNull();
    expect(lines.some((l) => l.includes(id) && l.includes("recorded only"))).toBe(true);
  });

  it("throws on a transient WeCom failure (the queue retries) and leaves the event unprocessed", async () => {
    const id = await record({ Event: "change_contact", ChangeType: "update_user", UserID: "u000004" });
    await injectFaults(sim, { path: "/user/get", kind: "http", status: 502, times: 10 });
    await expect(runWeComCallbackEvent(db.prisma, id, log)).rejects.toMatchObject({ kind: "HTTP" });
    expect((await db.prisma.weComCallbackEvent.findUniqueOrThrow({ where: { id } })).processedAt).toBeNull();
    await simAdmin(sim, "faults", { clear: true });
    expect(await runWeComCallbackEvent(db.prisma, id, log)).toEqual({ found: true, applied: true });
  });
});
