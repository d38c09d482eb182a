import type { Prisma } from "@/lib/generated/prisma/client";
import { encrypt } from "@/lib/pii";
import { DomainError, notFound } from "@/lib/server/errors";
import type { ActionContext } from "@/lib/server/action";
import type { Tx } from "@/lib/server/prisma-client";
import { CATEGORIES, DEFAULT_CHANNELS, type ChannelChoice, type PersonChannel } from "./kinds";
import type { PreferencesInput, RobotInput } from "./schemas";

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
