import type { Prisma } from "@/lib/generated/prisma/client";
import { encrypt } from "@/lib/pii";
import { DomainError, notFound, stale } from "@/lib/server/errors";
import type { ActionContext } from "@/lib/server/action";
import type { Tx } from "@/lib/server/prisma-client";
import { CATEGORIES, DEFAULT_CHANNELS, type ChannelChoice, type PersonChannel } from "./kinds";
import { randomUUID } from "node:crypto";
import { emailMessageId, loadSmtp, sendEmail } from "./email";
import type { PreferencesInput, RobotInput, SmtpInput } from "./schemas";

// Preferences (a person's own, never someone else's: the employee is the actor) and group robots
// (ADMIN). Both audited.

export type PreferencesView = { locale: "zh-CN" | "en"; quietHours: boolean; digest: boolean; channels: Record<(typeof CATEGORIES)[number], PersonChannel[]> };

export async function loadPreferences(client: Tx, employeeId: string): Promise<PreferencesView> {
  const p = await client.notificationPreference.findUnique({ where: { employeeId } });
  const choice = (p?.channels ?? {}) as ChannelChoice;
  return {
    locale: p?.locale === "en" ? "en" : "zh-CN",
    quietHours: p?.quietHours ?? true,
    digest: p?.digest ?? false,
    channels: Object.fromEntries(CATEGORIES.map((c) => [c, choice[c] ?? [...DEFAULT_CHANNELS]])) as PreferencesView["channels"],
  };
}

export async function savePreferences({ actor, input, tx, audit }: ActionContext<PreferencesInput>): Promise<{ saved: true }> {
  const before = await loadPreferences(tx, actor.id);
  const channels = Object.fromEntries(CATEGORIES.map((c) => [c, [...new Set(input[`ch_${c}`])]])) as ChannelChoice;
  const data = { locale: input.locale, quietHours: input.quietHours, digest: input.digest, channels: channels as Prisma.InputJsonValue };
  await tx.notificationPreference.upsert({ where: { employeeId: actor.id }, create: { employeeId: actor.id, ...data }, update: data });
  await audit({ action: "notification.preferences.update", entityType: "Employee", entityId: actor.id, before, after: { ...data } });
  return { saved: true };
}

export async function saveRobot({ input, tx, audit }: ActionContext<RobotInput>): Promise<{ id: string }> {
  const dept = await tx.department.findUnique({ where: { id: input.scopeId }, select: { id: true } });
  if (!dept) throw new DomainError("VALIDATION", "notifications.errors.robotScopeNotFound", { field: "scopeId" });
  const data = { name: input.name, keyCipher: encrypt(input.key), keyLast4: input.key.slice(-4), kinds: input.kinds, active: true };
  const robot = await tx.notificationRobot.upsert({
    where: { scopeType_scopeId: { scopeType: "DEPARTMENT", scopeId: input.scopeId } },
    create: { scopeType: "DEPARTMENT", scopeId: input.scopeId, ...data },
    update: data,
  });
  // The key is a secret: the audit keeps only its last four characters.
  await audit({ action: "notification.robot.save", entityType: "NotificationRobot", entityId: robot.id, after: { scopeId: input.scopeId, name: input.name, keyLast4: data.keyLast4, kinds: input.kinds } });
  return { id: robot.id };
}

export async function removeRobot({ input, tx, audit }: ActionContext<{ robotId: string }>): Promise<{ removed: true }> {
  const robot = await tx.notificationRobot.findUnique({ where: { id: input.robotId } });
  if (!robot) throw notFound();
  await tx.notificationRobot.delete({ where: { id: robot.id } });
  await audit({ action: "notification.robot.remove", entityType: "NotificationRobot", entityId: robot.id, before: { scopeId: robot.scopeId, name: robot.name, keyLast4: robot.keyLast4 } });
  return { removed: true };
}

// ---------------------------------------------------------------------------------------------
// SMTP (ADMIN, 设置 → 通知发送). The password is a lib/pii token, never shown back nor audited;
// without a saved server the environment's SMTP_URL/SMTP_FROM apply (./email.ts).

export type SmtpView = { host: string; port: number; tlsMode: string; username: string; passwordSet: boolean; fromAddress: string; version: number } | null;

export async function loadSmtpView(client: Tx): Promise<SmtpView> {
  const r = await client.smtpSettings.findUnique({ where: { id: "default" } });
  return r ? { host: r.host, port: r.port, tlsMode: r.tlsMode, username: r.username, passwordSet: Boolean(r.passwordCipher), fromAddress: r.fromAddress, version: r.version } : null;
}

export async function saveSmtp({ actor, input, tx, audit }: ActionContext<SmtpInput>): Promise<{ version: number }> {
  await tx.$queryRaw`SELECT id FROM smtp_settings WHERE id = 'default' FOR UPDATE`;
  const before = await tx.smtpSettings.findUnique({ where: { id: "default" } });
  if ((before?.version ?? 0) !== input.expectedVersion) throw stale();
  const passwordCipher = input.password ? encrypt(input.password) : input.clearPassword ? null : (before?.passwordCipher ?? null);
  const data = { host: input.host, port: input.port, tlsMode: input.tlsMode, username: input.username, passwordCipher, fromAddress: input.fromAddress, updatedById: actor.id };
  const row = await tx.smtpSettings.upsert({ where: { id: "default" }, create: { id: "default", ...data }, update: { ...data, version: { increment: 1 } } });
  const shown = (r: typeof before) => (r ? { host: r.host, port: r.port, tlsMode: r.tlsMode, username: r.username, passwordSet: Boolean(r.passwordCipher), fromAddress: r.fromAddress } : null);
  await audit({ action: "notification.smtp.save", entityType: "SmtpSettings", entityId: "default", before: shown(before), after: { ...shown(row), passwordChanged: Boolean(input.password) || (input.clearPassword && Boolean(before?.passwordCipher)) } });
  return { version: row.version };
}

export async function removeSmtp({ tx, audit }: ActionContext<Record<string, never>>): Promise<{ removed: boolean }> {
  const before = await tx.smtpSettings.findUnique({ where: { id: "default" } });
  if (!before) return { removed: false };
  await tx.smtpSettings.delete({ where: { id: "default" } });
  await audit({ action: "notification.smtp.remove", entityType: "SmtpSettings", entityId: "default", before: { host: before.host, port: before.port, tlsMode: before.tlsMode, fromAddress: before.fromAddress } });
  return { removed: true };
}

/** Sends a test e-mail through the SMTP server in force (saved, else the environment's) to the
 * address given; a refusal shows the server's reply. Audited with the outcome. */
export async function testSmtp({ input, tx, audit }: ActionContext<{ to: string }>): Promise<{ messageId: string; source: "portal" | "env" }> {
  const config = await loadSmtp(tx);
  if (!config) throw new DomainError("INVALID_STATE", "notifications.errors.smtpNotConfigured");
  const messageId = emailMessageId(`smtp-test-${randomUUID()}`, config.from);
  const out = await sendEmail(config, { to: input.to, subject: "WeGovern 测试邮件 / test e-mail", text: "这是一封来自 WeGovern 的测试邮件：邮件通知可以送达。\nThis is a test e-mail from WeGovern: e-mail notifications can be delivered.", messageId });
  if (!out.ok) throw new DomainError("VALIDATION", "notifications.errors.smtpTestFailed", { field: "to", params: { detail: out.detail } });
  await audit({ action: "notification.smtp.test", entityType: "SmtpSettings", entityId: "default", after: { to: input.to, source: config.source, messageId } });
  return { messageId, source: config.source };
}
