import { db } from "@/lib/server/db";
import { handleEvent, handleVerification } from "@/lib/wecom/callback";
import { enqueueCallbackEvent } from "@/lib/wecom/queue";

// WeCom's change callbacks (lib/wecom/callback.ts). Public: WeCom authenticates with the
// msg_signature and the encryption, not a session.
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handleVerification(request, { prisma: db(), enqueue: enqueueCallbackEvent });
}

export function POST(request: Request): Promise<Response> {
  return handleEvent(request, { prisma: db(), enqueue: enqueueCallbackEvent });
}
