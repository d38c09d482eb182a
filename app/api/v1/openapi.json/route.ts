import { openApiDocument } from "@/lib/api/openapi";

// GET /api/v1/openapi.json: the OpenAPI 3.1 document, made from the endpoints' own zod schemas
// (lib/api/openapi.ts). Public, like any API's description; every operation in it needs a token.

export const dynamic = "force-dynamic";

let cached: string | null = null;

export function GET(): Response {
  cached ??= JSON.stringify(openApiDocument());
  return new Response(cached, { headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" } });
}
