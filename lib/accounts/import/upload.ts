import "server-only";
import { getI18n } from "@/lib/i18n/server";
import type { Actor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { readRequestWithLimit } from "@/lib/http-body";
import { assembleChunks, refuseIncomplete, stageImport, startUpload, storeChunk, type StageProgress, type StageResult } from "./commands";
import { LIMITS } from "./parse";

// The upload route's body: the file arrives in parts of at most 8 MB (below the proxy's 10 MB
// body limit), each read with a hard size limit (never an unbounded body) and kept in
// contact_import_chunks; the last part assembles the file, which is staged while progress lines
// are streamed back as NDJSON:
//   {"type":"progress","phase":"parsing","rows":12000,"percent":12}
//   {"type":"done","importId":"...","status":"READY"} | {"type":"error","message":"..."}

export type UploadEvent =
  | ({ type: "progress" } & StageProgress)
  | { type: "done"; importId: string; status: "READY" | "FAILED" }
  | { type: "error"; message: string };

/** The request body, or null when it exceeds the limit (reading stops there). */
export function readBodyWithLimit(request: Request, limit = LIMITS.maxBytes): Promise<Uint8Array | null> {
  return readRequestWithLimit(request, limit);
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

export type UploadQuery = { fileName: string; part: number; parts: number; size: number; importId?: string };

/**
 * One part of an upload. Every part is checked against its Content-Length (a body cut short on
 * the way is refused, never staged); parts before the last are kept and answered with the
 * import's id as JSON; the last part (or a file sent whole) is staged with progress streamed.
 */
export async function uploadResponse(request: Request, actor: Actor, query: UploadQuery): Promise<Response> {
  const { t } = await getI18n();
  if (!sameOrigin(request)) return Response.json({ error: t("errors.forbidden") }, { status: 403 });
  if (query.part >= query.parts || (query.part > 0 && !query.importId)) return Response.json({ error: t("errors.formInvalid") }, { status: 400 });
  const bytes = await readBodyWithLimit(request, LIMITS.chunkBytes);
  if (!bytes) return Response.json({ error: t("contactImport.errors.tooLarge") }, { status: 413 });
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) !== bytes.byteLength) return Response.json({ error: t("contactImport.errors.uploadIncomplete") }, { status: 400 });

  const client = db();
  let importId = query.importId;
  let file: Uint8Array | null = bytes;
  if (query.parts > 1) {
    importId ??= await startUpload(client, actor, query.fileName);
    await storeChunk(client, actor, importId, query.part, bytes);
    if (query.part < query.parts - 1) return Response.json({ importId });
    file = await assembleChunks(client, importId, query.parts, query.size);
  } else if (bytes.byteLength !== query.size) file = null;

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
        let result: StageResult;
        if (file) result = await stageImport(client, actor, { name: query.fileName || "contacts.csv", bytes: file, importId }, (p) => send({ type: "progress", ...p }));
        else result = await refuseIncomplete(client, actor, importId ?? (await startUpload(client, actor, query.fileName)));
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
