"use server";
import { z } from "zod";
import { defineAction } from "@/lib/server/action";
import { removeRobot, removeSmtp, savePreferences, saveRobot, saveSmtp, testSmtp } from "./commands";
import { preferencesSchema, robotRemoveSchema, robotSchema, smtpRemoveSchema, smtpSchema, smtpTestSchema } from "./schemas";

// Marks the signed-in person's unread notifications as read. Only their own: the recipient is the
// actor, never a value from the form.
export const markNotificationsReadAction = defineAction({
  schema: z.object({}),
  permission: "signed-in",
  revalidate: () => "/",
  run: async ({ actor, tx, audit }) => {
    const { count } = await tx.notification.updateMany({ where: { recipientId: actor.id, readAt: null }, data: { readAt: new Date() } });
    await audit({ action: "notification.read", entityType: "Employee", entityId: actor.id, after: { marked: count } });
    return { marked: count };
  },
});

/** A person's own channels, quiet hours, digest and language. */
export const savePreferencesAction = defineAction({ schema: preferencesSchema, permission: "signed-in", run: savePreferences, revalidate: () => "/notifications/settings" });

/** ADMIN: a department's group robot (the WeCom connection's owner configures it). */
export const saveRobotAction = defineAction({ schema: robotSchema, permission: "wecom.configure", run: saveRobot, revalidate: () => "/settings/notifications" });
export const removeRobotAction = defineAction({ schema: robotRemoveSchema, permission: "wecom.configure", run: removeRobot, revalidate: () => "/settings/notifications" });

/** ADMIN: the SMTP server for e-mail notifications, a test e-mail, and back to the environment's. */
export const saveSmtpAction = defineAction({ schema: smtpSchema, permission: "wecom.configure", run: saveSmtp, revalidate: () => "/settings/notifications" });
export const testSmtpAction = defineAction({ schema: smtpTestSchema, permission: "wecom.configure", run: testSmtp });
export const removeSmtpAction = defineAction({ schema: smtpRemoveSchema, permission: "wecom.configure", run: removeSmtp, revalidate: () => "/settings/notifications" });
