import { encrypt } from "@/lib/pii";
import { readRequestWithLimit } from "@/lib/http-body";
import type { DbClient } from "@/lib/server/prisma-client";
import { openMessage, WeComCryptoError } from "./crypto";
import { loadConnection } from "./settings";
import { parseWeComXml, XmlError, XML_MAX_BYTES } from "./xml";

// /api/wecom/callback (doc 90930): GET answers WeCom's URL verification with the decrypted echostr;
// POST takes an encrypted event. In order: configured? → query parameters well formed → timestamp
// within the window → body within the size limit → envelope XML (no DTD/entities) → msg_signature
// over token/timestamp/nonce/ciphertext → AES decrypt with receiver id = our corp id → event XML →
// nonce not seen before (PostgreSQL, unique (nonce, timestamp)) → the event recorded (its fields
// encrypted) and the nonce kept in one transaction → a job queued. A request that fails any step
// changes nothing and is logged with the step's reason (never the body, the key or the token).
// WeCom wants an answer within 5 s and retries otherwise, so the work itself runs on the queue.

export const TIMESTAMP_WINDOW_SECONDS = 300;
export const CALLBACK_MAX_BYTES = XML_MAX_BYTES;

export type CallbackDeps = {
  prisma: DbClient;
  enqueue: (eventId: string) => Promise<string | null>;
  now?: () => Date;
  log?: (line: string) => void;
};

export type CallbackReason = "NOT_CONFIGURED" | "BAD_QUERY" | "STALE_TIMESTAMP" | "TOO_LARGE" | "BAD_XML" | "BAD_SIGNATURE" | "BAD_CIPHERTEXT" | "WRONG_RECEIVER" | "REPLAY";

const text = (body: string, status: number) => new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

function refuse(deps: CallbackDeps, reason: CallbackReason, status: number, detail = ""): Response {
  (deps.log ?? ((l: string) => console.warn(l)))(`[wecom callback] refused (${reason})${detail ? `: ${detail}` : ""}; nothing was changed`);
  return text(reason === "NOT_CONFIGURED" ? "not configured" : "refused", status);
}

function queryOf(url: URL) {
  const msgSignature = url.searchParams.get("msg_signature") ?? "";
  const timestamp = url.searchParams.get("timestamp") ?? "";
  const nonce = url.searchParams.get("nonce") ?? "";
  const ok = /^[0-9a-fA-F]{40}$/.test(msgSignature) && /^\d{1,12}$/.test(timestamp) && /^[A-Za-z0-9_-]{1,64}$/.test(nonce);
  return ok ? { msgSignature, timestamp, nonce } : null;
}

function inWindow(timestamp: string, now: Date): boolean {
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) <= TIMESTAMP_WINDOW_SECONDS;
}

async function keys(deps: CallbackDeps) {
  const c = await loadConnection(deps.prisma);
  return c.corpId && c.callbackToken && c.encodingAesKey ? { corpId: c.corpId, token: c.callbackToken, aesKey: c.encodingAesKey } : null;
}

function cryptoReason(e: WeComCryptoError): CallbackReason {
  return e.reason === "BAD_SIGNATURE" ? "BAD_SIGNATURE" : e.reason === "WRONG_RECEIVER" ? "WRONG_RECEIVER" : "BAD_CIPHERTEXT";
}

/** GET: URL verification. Answers the decrypted echostr as plain text. */
export async function handleVerification(request: Request, deps: CallbackDeps): Promise<Response> {
  // A malformed query is the caller's error (400) whether or not the connection is configured.
  const url = new URL(request.url);
  const q = queryOf(url);
  const echostr = url.searchParams.get("echostr") ?? "";
  if (!q || !echostr || echostr.length > 4096) return refuse(deps, "BAD_QUERY", 400);
  const k = await keys(deps);
  if (!k) return refuse(deps, "NOT_CONFIGURED", 503);
  // WeCom's own verification carries its timestamp too; an old one is a replayed URL.
  if (!inWindow(q.timestamp, (deps.now ?? (() => new Date()))())) return refuse(deps, "STALE_TIMESTAMP", 403);
  try {
    return text(openMessage({ token: k.token, encodingAesKey: k.aesKey, receiverId: k.corpId, msgSignature: q.msgSignature, timestamp: q.timestamp, nonce: q.nonce, encrypted: echostr }), 200);
  } catch (e) {
    if (e instanceof WeComCryptoError) return refuse(deps, cryptoReason(e), 403);
    throw e;
  }
}

async function readLimited(request: Request, max: number): Promise<string | null> {
  const bytes = await readRequestWithLimit(request, max);
  return bytes === null ? null : Buffer.from(bytes).toString("utf8");
}

/** POST: an encrypted event. Answers "success" once it is recorded and queued. */
export async function handleEvent(request: Request, deps: CallbackDeps): Promise<Response> {
  const now = (deps.now ?? (() => new Date()))();
  const q = queryOf(new URL(request.url));
  if (!q) return refuse(deps, "BAD_QUERY", 400);
  const k = await keys(deps);
  if (!k) return refuse(deps, "NOT_CONFIGURED", 503);
  if (!inWindow(q.timestamp, now)) return refuse(deps, "STALE_TIMESTAMP", 403, `timestamp ${q.timestamp}`);
  const body = await readLimited(request, CALLBACK_MAX_BYTES);
  if (body === null) return refuse(deps, "TOO_LARGE", 413);
  let envelope: Record<string, string>;
  try {
    envelope = parseWeComXml(body);
  } catch (e) {
    if (e instanceof XmlError) return refuse(deps, "BAD_XML", 400, e.message);
    throw e;
  }
  const encrypted = envelope.Encrypt ?? "";
  let plain: string;
  try {
    plain = openMessage({ token: k.token, encodingAesKey: k.aesKey, receiverId: k.corpId, msgSignature: q.msgSignature, timestamp: q.timestamp, nonce: q.nonce, encrypted });
  } catch (e) {
    if (e instanceof WeComCryptoError) return refuse(deps, cryptoReason(e), 403);
    throw e;
  }
  let fields: Record<string, string>;
  try {
    fields = parseWeComXml(plain);
  } catch (e) {
    if (e instanceof XmlError) return refuse(deps, "BAD_XML", 400, `event: ${e.message}`);
    throw e;
  }
  const event = (fields.Event ?? fields.MsgType ?? "").slice(0, 64);
  const changeType = fields.ChangeType ? fields.ChangeType.slice(0, 64) : null;

  const recorded = await deps.prisma.$transaction(async (tx) => {
    // Nonces older than twice the window can no longer pass the timestamp check: forget them.
    await tx.weComCallbackNonce.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - 2 * TIMESTAMP_WINDOW_SECONDS * 1000) } } });
    const inserted = await tx.$executeRaw`INSERT INTO wecom_callback_nonces (nonce, timestamp, received_at) VALUES (${q.nonce}, ${q.timestamp}, ${now}) ON CONFLICT DO NOTHING`;
    if (inserted === 0) return null;
    return tx.weComCallbackEvent.create({ data: { event: event || "unknown", changeType, payloadCipher: encrypt(JSON.stringify(fields)), receivedAt: now }, select: { id: true } });
  });
  if (!recorded) {
    // The same nonce and timestamp again: a replay (or WeCom resending what was already taken).
    // Nothing is recorded twice; WeCom is told it was received so its retries stop.
    (deps.log ?? ((l: string) => console.warn(l)))(`[wecom callback] refused (REPLAY): nonce already used; nothing was changed`);
    return text("success", 200);
  }
  try {
    const jobId = await deps.enqueue(recorded.id);
    if (jobId) await deps.prisma.weComCallbackEvent.update({ where: { id: recorded.id }, data: { jobId } });
  } catch (e) {
    // Recorded but not queued: the event stays with no job id for the sync's sweep to pick up.
    (deps.log ?? ((l: string) => console.warn(l)))(`[wecom callback] event ${recorded.id} recorded but not queued: ${(e as Error)?.message ?? String(e)}`);
  }
  return text("success", 200);
}
