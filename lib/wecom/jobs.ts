import { decrypt } from "@/lib/pii";
import type { DbClient } from "@/lib/server/prisma-client";
import { clientsFor } from "./connection";
import { isTransient } from "./errors";
import { loadConnection } from "./settings";
import { applyExternalChatEvent } from "./sync/groups";
import { applyContactEvent } from "./sync/directory";
import { applyExternalContactEvent } from "./sync/contacts";
import { loadSyncSettings } from "./sync/runner";
import type { EventHandler } from "./sync/types";

// The callback event's job (queued by /api/wecom/callback once the event is verified and
// recorded): applies a member, department, customer-contact or customer-group change at once, with
// the same upserts the sync makes (lib/wecom/sync/*), then marks the event processed. Idempotent:
// an event already processed is skipped, and each handler's upserts may run twice. A transient
// WeCom failure (network, WeCom busy) is thrown so the queue retries; any other failure (the
// member no longer exists in WeCom, say) is logged and the event marked processed — the next sync
// reconciles whatever it would have changed.

const HANDLERS: Record<string, EventHandler> = {
  change_contact: applyContactEvent,
  change_external_contact: applyExternalContactEvent,
  change_external_chat: applyExternalChatEvent,
};

export async function runWeComCallbackEvent(prisma: DbClient, eventId: string, log: (line: string) => void = console.log): Promise<{ found: boolean; applied: boolean }> {
  const event = await prisma.weComCallbackEvent.findUnique({ where: { id: eventId }, select: { event: true, changeType: true, processedAt: true, payloadCipher: true } });
  if (!event) return { found: false, applied: false };
  if (event.processedAt) return { found: true, applied: false };
  const label = `${event.event}${event.changeType ? `/${event.changeType}` : ""}`;
  const handler = HANDLERS[event.event];
  let applied = false;
  if (!handler) {
    log(`[wecom] callback event ${eventId} (${label}) is not one the portal applies; recorded only`);
  } else {
    const fields = JSON.parse(decrypt(event.payloadCipher)) as Record<string, string>;
    const clients = clientsFor(prisma, await loadConnection(prisma));
    try {
      ({ applied } = await handler({ prisma, ...clients, settings: await loadSyncSettings(prisma), now: () => new Date(), log }, fields));
    } catch (e) {
      if (isTransient(e)) throw e;
      log(`[wecom] callback event ${eventId} (${label}) not applied: ${(e as Error)?.message ?? String(e)}; the next sync reconciles it`);
    }
  }
  await prisma.weComCallbackEvent.updateMany({ where: { id: eventId, processedAt: null }, data: { processedAt: new Date() } });
  if (applied) log(`[wecom] callback event ${eventId} (${label}) applied`);
  return { found: true, applied };
}
