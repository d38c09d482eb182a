import type { Tx } from "@/lib/server/prisma-client";
import { notify, type NotificationEvent } from "./service";

// The entry every capability already calls: the home-page notification and, through the
// notification service (./service.ts), its deliveries on the person's other channels.

export type NewNotification = NotificationEvent;

/** Records notifications and plans their deliveries; returns how many were new. */
export async function sendNotifications(tx: Tx, notes: readonly NewNotification[], now = new Date()): Promise<number> {
  return (await notify(tx, notes, now)).recorded;
}
