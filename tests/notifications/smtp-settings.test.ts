import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decrypt } from "@/lib/pii";
import { loadSmtpView, removeSmtp, saveSmtp, testSmtp } from "@/lib/notifications/commands";
import { deliverOne } from "@/lib/notifications/deliver";
import { smtpRemoveSchema, smtpSchema, smtpTestSchema } from "@/lib/notifications/schemas";
import { sendNotifications } from "@/lib/notifications/store";
import { seedOrganisation, type Organisation } from "../directory/helpers";
import { actorFor } from "../helpers/actors";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { usePiiKey } from "../wecom/helpers";
import { decodeMail, startTestSmtp, type TestSmtp } from "./helpers";

// SMTP set by ADMIN in the portal (设置 → 通知发送; docs/notifications.md "E-mail settings"): the
// password encrypted with lib/pii and never shown back or audited, a test e-mail through a real
// SMTP server that requires a login, deliveries through the saved server, and the environment's
// SMTP_URL as the fallback once the saved server is removed.

let db: TestDb;
let authed: TestSmtp & { logins: string[] };
let fallback: TestSmtp;
let org: Organisation;
const PASSWORD = "s3cret-Pa55";

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  authed = await startTestSmtp({ auth: { user: "mailer", pass: PASSWORD } });
  fallback = await startTestSmtp();
  process.env.SMTP_URL = fallback.url;
  process.env.SMTP_FROM = "Env <env@fallback.example.test>";
  org = await seedOrganisation(db.prisma);
  await db.prisma.signInSettings.create({ data: { id: "default", portalUrl: "https://portal.example.test" } });
}, 120_000);
afterAll(async () => {
  delete process.env.SMTP_URL;
  await authed?.stop();
  await fallback?.stop();
  await db?.close();
});

const form = (over: Record<string, unknown> = {}) => ({ host: "127.0.0.1", port: String(authed.port), tlsMode: "NONE", username: "mailer", password: PASSWORD, fromAddress: "WeGovern 通知 <noreply@portal.example.test>", expectedVersion: "0", ...over });

describe("SMTP settings in the portal", () => {
  it("ADMIN saves the server with its password encrypted (never shown back nor audited) and sends a test e-mail through it", async () => {
    const admin = await actorFor(db.prisma, org.people.admin.id);
    expect(expectOk(await run(db.prisma, admin, smtpSchema, form(), saveSmtp))).toEqual({ version: 1 });
    const row = await db.prisma.smtpSettings.findUniqueOrThrow({ where: { id: "default" } });
    expect(row.passwordCipher).not.toContain(PASSWORD);
    expect(decrypt(row.passwordCipher!)).toBe(PASSWORD);
    const view = await db.prisma.$transaction((tx) => loadSmtpView(tx));
    expect(view).toEqual({ host: "127.0.0.1", port: authed.port, tlsMode: "NONE", username: "mailer", passwordSet: true, fromAddress: "WeGovern 通知 <noreply@portal.example.test>", version: 1 });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "notification.smtp.save" } });
    expect(JSON.stringify([audit.before, audit.after])).not.toContain(PASSWORD);
    expect(audit.after).toMatchObject({ passwordSet: true, passwordChanged: true });

    const sent = expectOk(await run(db.prisma, admin, smtpTestSchema, { to: "admin@example.test" }, testSmtp));
    expect(sent.source).toBe("portal");
    expect(authed.logins).toEqual(["mailer"]);
    expect(authed.received).toHaveLength(1);
    expect(authed.received[0]).toMatchObject({ from: "noreply@portal.example.test", to: ["admin@example.test"] });
    expect(decodeMail(authed.received[0].raw).subject).toContain("WeGovern 测试邮件");
    expect(fallback.received).toHaveLength(0);
    expect(await db.prisma.auditEvent.count({ where: { action: "notification.smtp.test" } })).toBe(1);
  });

  it("a blank password keeps the saved one; a wrong one makes the test fail with the server's reply; a stale form is refused", async () => {
    const admin = await actorFor(db.prisma, org.people.admin.id);
    expectOk(await run(db.prisma, admin, smtpSchema, form({ password: "", expectedVersion: "1" }), saveSmtp));
    expect(decrypt((await db.prisma.smtpSettings.findUniqueOrThrow({ where: { id: "default" } })).passwordCipher!)).toBe(PASSWORD);
    expect(await run(db.prisma, admin, smtpSchema, form({ expectedVersion: "1" }), saveSmtp)).toMatchObject({ ok: false, code: "STALE" });
    expect(await run(db.prisma, admin, smtpSchema, form({ port: "70000", fromAddress: "not an address", expectedVersion: "2" }), saveSmtp)).toMatchObject({
      ok: false,
      fieldErrors: { port: ["notifications.errors.smtpPort"], fromAddress: ["notifications.errors.smtpFrom"] },
    });

    expectOk(await run(db.prisma, admin, smtpSchema, form({ password: "wrong", expectedVersion: "2" }), saveSmtp));
    const failed = await run(db.prisma, admin, smtpTestSchema, { to: "admin@example.test" }, testSmtp);
    expect(failed).toMatchObject({ ok: false, field: "to", messageKey: "notifications.errors.smtpTestFailed" });
    expect(String((failed as { params?: { detail?: string } }).params?.detail)).toContain("535");
    expectOk(await run(db.prisma, admin, smtpSchema, form({ expectedVersion: "3" }), saveSmtp));
  });

  it("deliveries go through the saved server; once it is removed (audited), through SMTP_URL", async () => {
    const admin = await actorFor(db.prisma, org.people.admin.id);
    const person = org.people.plain;
    await db.prisma.notificationPreference.create({ data: { employeeId: person.id, channels: { service: ["EMAIL"] } } });
    const notify = (key: string) =>
      db.prisma.$transaction((tx) => sendNotifications(tx, [{ recipientId: person.id, kind: "service.escalation", messageKey: "notifications.categories.service", dedupeKey: key, urgent: true }], new Date()));
    authed.received.length = 0;
    await notify("smtp-a");
    const a = await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { dedupeKey: "smtp-a:EMAIL" } });
    expect(await deliverOne(db.prisma, a.id)).toMatchObject({ state: "sent" });
    expect(authed.received.map((m) => m.to)).toEqual([[person.email]]);
    expect(authed.received[0].raw).toContain(`Message-ID: <notification-${a.id}@portal.example.test>`);

    expect(expectOk(await run(db.prisma, admin, smtpRemoveSchema, {}, removeSmtp))).toEqual({ removed: true });
    expect(await db.prisma.auditEvent.count({ where: { action: "notification.smtp.remove" } })).toBe(1);
    await notify("smtp-b");
    const b = await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { dedupeKey: "smtp-b:EMAIL" } });
    expect(await deliverOne(db.prisma, b.id)).toMatchObject({ state: "sent" });
    expect(fallback.received.map((m) => m.to)).toEqual([[person.email]]);
    expect(fallback.received[0].raw).toContain(`Message-ID: <notification-${b.id}@fallback.example.test>`);
  });
});
