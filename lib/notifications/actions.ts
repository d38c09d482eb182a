"use server";
import { z } from "zod";
import { defineAction } from "@/lib/server/action";

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
