// Reading a body (a request's or a response's) with a hard size limit: reading stops, and the
// stream is cancelled, as soon as the limit is passed, so no body is ever held unbounded.

/** The bytes of `body`, or null once more than `limit` bytes have arrived. */
export async function readStreamWithLimit(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
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

/** A request's body, or null when its declared length or what actually arrives exceeds `limit`. */
export async function readRequestWithLimit(request: Request, limit: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  return readStreamWithLimit(request.body, limit);
}
