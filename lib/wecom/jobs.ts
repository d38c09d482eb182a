import type { DbClient } from "@/lib/server/prisma-client";

// The callback event's job. The upserts that apply member, department, customer-contact and
// customer-group changes come with the sync (issue 14, item 3); until then the job confirms the
// event is recorded and leaves it unprocessed (processed_at null), so the sync's first run picks
// up every event received before it existed.
export async function runWeComCallbackEvent(prisma: DbClient, eventId: string, log: (line: string) => void = console.log): Promise<{ found: boolean }> {
  const event = await prisma.weComCallbackEvent.findUnique({ where: { id: eventId }, select: { event: true, changeType: true, processedAt: true } });
  if (!event) return { found: false };
  if (!event.processedAt) log(`[wecom] callback event ${eventId} (${event.event}${event.changeType ? `/${event.changeType}` : ""}) recorded; applied by the sync when it lands`);
  return { found: true };
}
