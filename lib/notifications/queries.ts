import "server-only";
import type { DbClient, Tx } from "@/lib/server/prisma-client";

export const DELIVERY_STATUSES = ["PENDING", "SENDING", "SENT", "FAILED", "SKIPPED", "UNCERTAIN"] as const;

/** The delivery log for ADMIN: newest first, with the recipient's name (the address itself is not
 * shown for e-mail: the name is enough to find the person). */
export async function deliveryLog(client: DbClient | Tx, o: { status: (typeof DELIVERY_STATUSES)[number] | null; take: number }) {
  const rows = await client.notificationDelivery.findMany({
    where: o.status ? { status: o.status } : {},
    orderBy: { createdAt: "desc" },
    take: o.take,
    select: { id: true, channel: true, kind: true, status: true, attempts: true, detail: true, target: true, recipientId: true, sentAt: true, createdAt: true, providerId: true },
  });
  const ids = [...new Set(rows.map((r) => r.recipientId).filter((x): x is string => Boolean(x)))];
  const people = ids.length ? await client.employee.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  const name = new Map(people.map((p) => [p.id, p.name]));
  return rows.map((r) => ({ ...r, target: r.channel === "EMAIL" ? null : r.target, recipientName: r.recipientId ? (name.get(r.recipientId) ?? null) : null }));
}
