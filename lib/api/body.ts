import { readRequestWithLimit } from "@/lib/http-body";
import { ApiProblem } from "./problem";

// The JSON body of a request: application/json only, bounded in size and in nesting depth,
// before any schema sees it.

export const DEFAULT_BODY_LIMIT = 1_000_000;
export const MAX_DEPTH = 32;

function depthOf(value: unknown, limit: number): number {
  // Iterative, so a hostile body cannot overflow the stack.
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > limit) return max;
    if (v && typeof v === "object") for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

export async function readJsonBody(request: Request, limit = DEFAULT_BODY_LIMIT): Promise<{ value: unknown; raw: Uint8Array }> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]*\+json$/.test(type)) throw new ApiProblem("unsupported_media_type");
  const charset = /charset\s*=\s*"?([^";]+)/i.exec(request.headers.get("content-type") ?? "")?.[1]?.toLowerCase();
  if (charset && charset !== "utf-8" && charset !== "utf8") throw new ApiProblem("unsupported_media_type", "Only UTF-8 is accepted.");
  const raw = await readRequestWithLimit(request, limit);
  if (raw === null) throw new ApiProblem("payload_too_large", `At most ${limit} bytes.`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw new ApiProblem("malformed_json", "The body is not UTF-8.");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ApiProblem("malformed_json", (e as Error).message.slice(0, 200));
  }
  if (depthOf(value, MAX_DEPTH) > MAX_DEPTH) throw new ApiProblem("too_deep", `At most ${MAX_DEPTH} levels.`);
  return { value, raw };
}
