import "server-only";
import { getI18n } from "@/lib/i18n/server";
import type { Actor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { stageImport, type StageProgress } from "./commands";
import { LIMITS } from "./parse";

// The upload route's body: the file is read with a hard size limit (never an unbounded body),
// then staged while progress lines are streamed back as NDJSON:
//   {"type":"progress","phase":"parsing","rows":12000,"percent":12}
//   {"type":"done","importId":"...","status":"READY"} | {"type":"error","message":"..."}

export type UploadEvent =
  | ({ type: "progress" } & StageProgress)
  | { type: "done"; importId: string; status: "READY" | "FAILED" }
  | { type: "error"; message: string };

/** The request body, or null when it exceeds the limit (reading stops there). */
export async function readBodyWithLimit(request: Request, limit = LIMITS.maxBytes): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  const reader = request.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A browser post from another site carries its Origin; only this site's own page may upload. */
export function sameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return true;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export async function uploadResponse(request: Request, actor: Actor, fileName: string): Promise<Response> {
  const { t } = await getI18n();
  if (!sameOrigin(request)) return Response.json({ error: t("errors.forbidden") }, { status: 403 });
  const bytes = await readBodyWithLimit(request);
  if (!bytes) return Response.json({ error: t("contactImport.errors.tooLarge") }, { status: 413 });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: UploadEvent) => {
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        } catch {
          // The browser went away; staging goes on and the import appears under recent imports.
        }
      };
      try {
        const result = await stageImport(db(), actor, { name: fileName || "contacts.csv", bytes }, (p) => send({ type: "progress", ...p }));
        send({ type: "done", ...result });
      } catch (error) {
        const ref = crypto.randomUUID().slice(0, 8);
        console.error(`[contact import ${ref}]`, error);
        send({ type: "error", message: t("errors.unexpected", { ref }) });
      }
      try {
        controller.close();
      } catch {
        // already closed by a cancelled request
      }
    },
  });
  return new Response(stream, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" } });
}
