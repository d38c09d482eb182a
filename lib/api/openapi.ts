import { z } from "zod";
import { API_SCOPES } from "@/lib/api-tokens/scopes";
import type { ApiOperation } from "./define";
import { PROBLEM_CODES, PROBLEM_TYPE_BASE, type ProblemCode } from "./problem";
import { API_OPERATIONS } from "./registry";

// The OpenAPI 3.1 document of /api/v1, made from the very zod schemas the endpoints validate
// with (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses): one source of truth. Served at
// /api/v1/openapi.json, rendered for ADMIN at /settings/api, committed as docs/openapi.json (the
// drift test compares the three).

type JsonSchema = Record<string, unknown>;

export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  delete out.$schema;
  return out;
}

const problemSchema: JsonSchema = {
  type: "object",
  description: "RFC 9457 problem details.",
  properties: {
    type: { type: "string", format: "uri" },
    title: { type: "string" },
    status: { type: "integer" },
    code: { type: "string", enum: Object.keys(PROBLEM_CODES) },
    detail: { type: "string" },
    instance: { type: "string" },
    errors: {
      type: "array",
      items: {
        type: "object",
        properties: { pointer: { type: "string", description: "JSON Pointer into the body (or the query)." }, code: { type: "string" }, detail: { type: "string" } },
        required: ["pointer", "code", "detail"],
        additionalProperties: false,
      },
    },
  },
  required: ["type", "title", "status", "code"],
  additionalProperties: false,
};

const rateHeaders = {
  "RateLimit-Limit": { schema: { type: "integer" }, description: "Requests allowed in the window." },
  "RateLimit-Remaining": { schema: { type: "integer" } },
  "RateLimit-Reset": { schema: { type: "integer" }, description: "Seconds until the window ends." },
};

/** The problem codes an operation may answer with, by status. */
export function problemStatuses(op: ApiOperation): number[] {
  // not_found: the path's record, or a record a filter or the body names.
  const codes: ProblemCode[] = ["unauthenticated", "insufficient_scope", "forbidden", "rate_limited", "internal", "invalid_query", "not_found"];
  if (op.paginated) codes.push("invalid_cursor");
  if (op.body) codes.push("unsupported_media_type", "payload_too_large", "malformed_json", "too_deep", "validation_failed", "conflict", "invalid_state", "outside_department");
  if (op.method === "POST") codes.push("idempotency_key_reused", "idempotency_in_progress", "invalid_idempotency_key");
  if (op.etag === "requires") codes.push("precondition_required", "precondition_failed");
  return [...new Set(codes.map((c) => PROBLEM_CODES[c]))].sort();
}

function parameters(op: ApiOperation) {
  const out: Record<string, unknown>[] = [];
  for (const [where, schema] of [["path", op.params], ["query", op.query]] as const) {
    if (!schema) continue;
    const js = jsonSchemaOf(schema, "input");
    const required = new Set((js.required as string[] | undefined) ?? []);
    for (const [name, s] of Object.entries((js.properties as Record<string, JsonSchema>) ?? {})) {
      const { description, ...rest } = s;
      out.push({ name, in: where, required: where === "path" || required.has(name), schema: rest, ...(description ? { description } : {}) });
    }
  }
  if (op.method === "POST") out.push({ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", pattern: "^[\\x21-\\x7E]{1,200}$" }, description: "A retry with the same key and body returns the first answer; another body with the same key is 422." });
  if (op.etag === "requires") out.push({ name: "If-Match", in: "header", required: true, schema: { type: "string" }, description: "The ETag of the record's last read, e.g. W/\"3\"." });
  return out;
}

export function operationObject(op: ApiOperation) {
  const success: Record<string, unknown> = {
    description: "Success",
    headers: { ...rateHeaders, ...(op.etag ? { ETag: { schema: { type: "string" }, description: "The record's version, for If-Match." } } : {}) },
    content: { "application/json": { schema: jsonSchemaOf(op.response, "output") } },
  };
  const responses: Record<string, unknown> = { [String(op.status ?? 200)]: success };
  for (const status of problemStatuses(op)) {
    responses[String(status)] = {
      description: Object.entries(PROBLEM_CODES).filter(([code, s]) => s === status && problemStatuses(op).includes(s) && code).map(([code]) => code).join(", "),
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
      ...(status === 429 ? { headers: { "Retry-After": { schema: { type: "integer" } } } } : {}),
    };
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    tags: [op.tag],
    security: [{ bearerToken: [op.scope] }],
    "x-scope": op.scope,
    ...(op.paginated ? { "x-paginated": true } : {}),
    parameters: parameters(op),
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchemaOf(op.body, "input") } } } } : {}),
    responses,
  };
}

export function openApiDocument(operations: readonly ApiOperation[] = API_OPERATIONS) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(op);
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "WeGovern API",
      version: "1.0.0",
      description:
        "Resource-oriented JSON over HTTPS. Authenticate with `Authorization: Bearer <token>` (tokens: 设置 › API 令牌). Lists page with `limit`, `cursor` and `next_cursor`; times are ISO 8601 with an offset; errors are RFC 9457 problem+json with a stable `code`. See docs/api.md.",
    },
    servers: [{ url: "/api/v1" }],
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    components: {
      securitySchemes: { bearerToken: { type: "http", scheme: "bearer", description: `Personal access token (wgp_…). Scopes: ${API_SCOPES.join(", ")}.` } },
      schemas: { Problem: { ...problemSchema, properties: { ...(problemSchema.properties as object), type: { type: "string", format: "uri", description: `${PROBLEM_TYPE_BASE}<code>` } } } },
    },
    paths,
  };
}
export type OpenApiDocument = ReturnType<typeof openApiDocument>;
