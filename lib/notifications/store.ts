import type { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/server/prisma-client";

export type NewNotification = {
  recipientId: string;
  kind: string;
  messageKey: string;
  params?: Record<string, string | number>;
  href?: string;
  /** Same key, same notification: a job that runs twice sends once. */
  dedupeKey: string;
};

/** Records notifications; returns how many were new. */
export async function sendNotifications(tx: Tx, notes: readonly NewNotification[]): Promise<number> {
  if (notes.length === 0) return 0;
  const { count } = await tx.notification.createMany({
    data: notes.map((n) => ({ ...n, params: (n.params ?? undefined) as Prisma.InputJsonValue | undefined })),
    skipDuplicates: true,
  });
  return count;
}
