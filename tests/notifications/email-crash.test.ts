import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverOne, dueDeliveries, LEASE_MS } from "@/lib/notifications/deliver";
import { sendNotifications } from "@/lib/notifications/store";
import { seedOrganisation, type Organisation } from "../directory/helpers";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { usePiiKey } from "../wecom/helpers";
import { startTestSmtp, type TestSmtp } from "./helpers";

// An e-mail is never sent twice (docs/notifications.md "A worker that dies mid-send"). A delivering
// worker PROCESS (scripts/notifications-deliver.ts, the job's own code) is killed with SIGKILL after
// the real SMTP server has received the message's data but before it answered: the row stays
// SENDING with the Message-ID recorded before sending. After the lease, the next worker does not
// resend it: it becomes UNCERTAIN (at most once), and the server still holds exactly one copy.

const ROOT = path.resolve(import.meta.dirname, "../..");
let db: TestDb;
let smtp: TestSmtp;
let org: Organisation;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  smtp = await startTestSmtp({ holdData: true });
  process.env.SMTP_URL = smtp.url;
  process.env.SMTP_FROM = "WeGovern <noreply@portal.example.test>";
  org = await seedOrganisation(db.prisma);
  await db.prisma.signInSettings.create({ data: { id: "default", portalUrl: "https://portal.example.test" } });
}, 120_000);
afterAll(async () => {
  delete process.env.SMTP_URL;
  await smtp?.stop();
  await db?.close();
});

function worker(): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(ROOT, "scripts/notifications-deliver.ts")], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.appUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await check()) return;
    if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}) before ${what}\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}\n${output()}`);
}

describe("a worker killed while the SMTP server holds its e-mail", () => {
  it("leaves the e-mail UNCERTAIN with its Message-ID, and no later worker sends it again", async () => {
    const person = org.people.plain;
    await db.prisma.notificationPreference.create({ data: { employeeId: person.id, channels: { service: ["EMAIL"] } } });
    await db.prisma.$transaction((tx) =>
      sendNotifications(tx, [{ recipientId: person.id, kind: "service.escalation", messageKey: "notifications.categories.service", href: "/service/c1", dedupeKey: "crash-1", urgent: true }], new Date()),
    );
    const row = await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { dedupeKey: "crash-1:EMAIL" } });

    const child = worker();
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    await until("the SMTP server has the message", () => smtp.received.length === 1, child, () => output);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const stuck = await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { id: row.id } });
    expect(stuck).toMatchObject({ status: "SENDING", attempts: 1, providerId: `<notification-${row.id}@portal.example.test>` });
    // The Message-ID recorded before sending is the one the server received.
    expect(smtp.received[0].raw).toContain(`Message-ID: ${stuck.providerId}`);

    // Within the lease nobody touches it; after it, the next worker finds it and settles it.
    expect(await deliverOne(db.prisma, row.id, new Date())).toEqual({ state: "done" });
    const later = new Date(Date.now() + LEASE_MS + 1000);
    expect(await dueDeliveries(db.prisma, later)).toContain(row.id);
    expect(await deliverOne(db.prisma, row.id, later)).toEqual({ state: "uncertain", messageId: stuck.providerId });
    expect(await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "UNCERTAIN", detail: "worker-stopped-mid-send", attempts: 1 });
    expect(await dueDeliveries(db.prisma, later)).not.toContain(row.id);
    expect(await deliverOne(db.prisma, row.id, later)).toEqual({ state: "done" });
    expect(smtp.received).toHaveLength(1);
  }, 120_000);
});
