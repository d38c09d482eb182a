import { createHash } from "node:crypto";
import { z } from "zod";
import { authenticateToken, type ApiCaller } from "@/lib/api-tokens/tokens";
import type { ApiScope } from "@/lib/api-tokens/scopes";
import { fieldErrorsFrom } from "@/lib/forms";
import type { Locale } from "@/lib/i18n/config";
import { createTranslator, messagesFor, type Translate } from "@/lib/i18n/translate";
import type { Actor } from "@/lib/server/actor";
import { writeAuditEvent, type AuditInput } from "@/lib/server/audit-write";
import { db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import { transactionLimits } from "@/lib/server/transaction-limits";
import { zodLocaleError } from "@/lib/server/zod-locale";
import { DEFAULT_BODY_LIMIT, readJsonBody } from "./body";
import { decodeCursor, encodeCursor, listingOf, loadCursorKey, type KeysetPosition } from "./cursor";
import { ApiProblem, pointer, problemResponse, type FieldError } from "./problem";
import { rateHeaders, takeRequest, type RateState } from "./rate-limit";

// The one path of every /api/v1 endpoint (docs/api.md): bearer token → rate limit → scope →
// path, query and body through strict zod schemas (unknown fields refused) → If-Match →
// Idempotency-Key → the domain's own queries and commands (their permissions, scope rules and
// audit events) → JSON, or problem+json for every refusal. The same definition feeds the OpenAPI
// document (lib/api/openapi.ts), so the document cannot describe another schema than the one
// the endpoint validates with.

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export type ApiContext<P, Q, B> = {
  actor: Actor;
  caller: ApiCaller;
  params: P;
  query: Q;
  body: B;
  /** The transaction of a write (its audit events commit with it), or the pool for a read. */
  tx: Tx;
  audit: (event: AuditInput) => Promise<void>;
  /** The version an If-Match header names (operations with `ifMatch`). */
  ifMatch: number | null;
  t: Translate;
  request: Request;
  /** This listing's cursor position (null: first page), and the cursor of the next page. */
  after: () => KeysetPosition | null;
  page: <T>(rows: T[], limit: number, key: (row: T) => KeysetPosition) => { data: T[]; next_cursor: string | null };
};

export type ApiResult = {
  status?: number;
  body: unknown;
  /** The record's version, sent as ETag: W/"<version>". */
  version?: number;
  location?: string;
  /** Rows handed out, for the audit summary of a read. */
  count?: number;
  headers?: Record<string, string>;
};

type AnyObject = z.ZodType<Record<string, unknown>>;

export type ApiOperationDef<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> = {
  method: HttpMethod;
  /** OpenAPI path template under /api/v1, e.g. "/employees/{id}". */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  scope: ApiScope;
  params?: P;
  query?: Q;
  body?: B;
  bodyLimit?: number;
  /** The success answer's schema (documented; the contract test checks answers against it). */
  response: z.ZodType;
  status?: 200 | 201;
  /** The operation answers with an ETag (reads) or needs If-Match (updates). */
  etag?: "returns" | "requires";
  /** A list with `limit`, `cursor`, `next_cursor`. */
  paginated?: boolean;
  run: (ctx: ApiContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<ApiResult>;
};

export type ApiOperation = ApiOperationDef<AnyObject, AnyObject, z.ZodType> & {
  handler: (request: Request, context?: { params?: Promise<Record<string, string | string[]>> }) => Promise<Response>;
};

function localeOf(request: Request): Locale {
  return /^\s*zh/i.test(request.headers.get("accept-language") ?? "") ? "zh-CN" : "en";
}

export function fieldErrors(error: z.ZodError, t: Translate, prefix = ""): FieldError[] {
  return error.issues.map((issue) => {
    const single = fieldErrorsFrom(new z.ZodError([issue]), t);
    const detail = Object.values(single)[0]?.[0] ?? issue.message;
    return { pointer: `${prefix}${pointer(issue.path)}`, code: issue.code, detail };
  });
}

export function domainProblem(error: DomainError, t: Translate, staleAsPrecondition: boolean): ApiProblem {
  const detail = t(error.messageKey, error.options.params);
  const errors = error.options.field ? [{ pointer: `/${error.options.field}`, code: error.code.toLowerCase(), detail }] : undefined;
  switch (error.code) {
    case "UNAUTHENTICATED":
      return new ApiProblem("unauthenticated", detail);
    case "FORBIDDEN":
      return new ApiProblem("forbidden", detail, errors);
    case "NOT_FOUND":
      return new ApiProblem("not_found", detail);
    case "STALE":
      return new ApiProblem(staleAsPrecondition ? "precondition_failed" : "conflict", detail);
    case "CONFLICT":
      return new ApiProblem("conflict", detail, errors);
    case "INVALID_STATE":
      return new ApiProblem("invalid_state", detail, errors);
    case "VALIDATION":
      return new ApiProblem("validation_failed", detail, errors);
  }
}

/** W/"3" or "3" → 3; anything else → 412 (it cannot match any version). */
function parseIfMatch(header: string | null): number | null {
  if (header === null) return null;
  const m = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  if (!m) throw new ApiProblem("precondition_failed", "If-Match must be the ETag this API sent, e.g. W/\"3\".");
  return Number(m[1]);
}

export const etagOf = (version: number) => `W/"${version}"`;

const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,200}$/;

type Stored = { status: number; headers: Record<string, string>; body: string };

function jsonResponse(stored: Stored, extra: Record<string, string>): Response {
  return new Response(stored.body, { status: stored.status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...stored.headers, ...extra } });
}

async function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, locale: Locale, t: Translate, code: "validation_failed" | "invalid_query" | "not_found", prefix = ""): Promise<z.output<S>> {
  const parsed = await schema.safeParseAsync(value, { error: zodLocaleError(locale) });
  if (parsed.success) return parsed.data;
  if (code === "not_found") throw new ApiProblem("not_found");
  throw new ApiProblem(code, t("errors.formInvalid"), fieldErrors(parsed.error, t, prefix));
}

/** Runs a write in one transaction with its audit events and, given an Idempotency-Key, the
 * stored answer: a concurrent retry waits on the key's row and then replays the answer. */
async function inWriteTransaction(
  client: DbClient,
  actor: Actor,
  idempotency: { tokenId: string; key: string; method: string; path: string; hash: string } | null,
  work: (uow: { tx: Tx; audit: (e: AuditInput) => Promise<void> }) => Promise<Stored>,
): Promise<{ stored: Stored; replayed: boolean }> {
  return client.$transaction(async (tx) => {
    if (idempotency) {
      const inserted = await tx.$executeRaw`
        INSERT INTO api_idempotency_keys (token_id, key, method, path, request_hash, status, headers, body)
        VALUES (${idempotency.tokenId}, ${idempotency.key}, ${idempotency.method}, ${idempotency.path}, ${idempotency.hash}, 0, '{}'::jsonb, '')
        ON CONFLICT (token_id, key) DO NOTHING`;
      if (inserted === 0) {
        const row = await tx.apiIdempotencyKey.findUniqueOrThrow({ where: { tokenId_key: { tokenId: idempotency.tokenId, key: idempotency.key } } });
        if (row.requestHash !== idempotency.hash) throw new ApiProblem("idempotency_key_reused");
        if (row.status === 0) throw new ApiProblem("idempotency_in_progress", undefined, undefined, { "Retry-After": "1" });
        return { stored: { status: row.status, headers: row.headers as Record<string, string>, body: row.body }, replayed: true };
      }
    }
    let audited = 0;
    const audit = async (event: AuditInput) => {
      await writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: actor.ip }, event);
      audited++;
    };
    const stored = await work({ tx, audit });
    if (audited === 0) throw new Error("A mutation committed no audit event; every change must be audited (SPEC §12).");
    if (idempotency) {
      await tx.apiIdempotencyKey.update({
        where: { tokenId_key: { tokenId: idempotency.tokenId, key: idempotency.key } },
        data: { status: stored.status, headers: stored.headers, body: stored.body },
      });
    }
    return { stored, replayed: false };
  }, { ...transactionLimits(), timeout: Math.max(transactionLimits().timeout, 120_000) });
}

export function defineApi<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(def: ApiOperationDef<P, Q, B>): ApiOperation {
  const isWrite = def.method !== "GET";
  const handler = async (request: Request, context?: { params?: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    const locale = localeOf(request);
    const t = createTranslator(messagesFor(locale));
    const url = new URL(request.url);
    const instance = url.pathname;
    let rate: RateState | null = null;
    let known: ApiCaller | null = null;
    const refused = async (response: Response, code: string) => {
      // A refusal of a known token is audited too (one event; not a rate-limited flood).
      if (known && code !== "rate_limited") {
        const { actor, token } = known;
        await db()
          .$transaction((tx) => writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: actor.ip }, { action: "api.refused", entityType: "ApiCall", entityId: token.id, after: { operation: def.operationId, path: instance, status: response.status, code } }))
          .catch((e: unknown) => console.warn(`[api] audit of a refusal: ${(e as Error)?.message ?? String(e)}`));
      }
      return response;
    };
    try {
      const client = db();
      const caller = await authenticateToken(client, request);
      if (!caller) throw new ApiProblem("unauthenticated", undefined, undefined, { "WWW-Authenticate": 'Bearer realm="api/v1"' });
      known = caller;
      rate = await takeRequest(client, caller.token.id, caller.token.rateLimit);
      if (!caller.token.scopes.includes(def.scope)) throw new ApiProblem("insufficient_scope", `This endpoint needs the scope ${def.scope}.`, undefined, { "WWW-Authenticate": `Bearer error="insufficient_scope", scope="${def.scope}"` });
      const { actor } = caller;

      const rawParams = (await context?.params) ?? {};
      const params = (def.params ? await parseOrThrow(def.params, rawParams, locale, t, "not_found") : {}) as z.output<P>;
      const rawQuery: Record<string, string> = {};
      for (const [k, v] of url.searchParams) {
        if (k in rawQuery) throw new ApiProblem("invalid_query", `The parameter ${k} is given more than once.`, [{ pointer: `/${k}`, code: "duplicate", detail: "given more than once" }]);
        rawQuery[k] = v;
      }
      const query = (await parseOrThrow(def.query ?? z.strictObject({}), rawQuery, locale, t, "invalid_query")) as z.output<Q>;
      let body: unknown = undefined;
      let rawBody: Uint8Array = new Uint8Array();
      if (def.body) {
        const read = await readJsonBody(request, def.bodyLimit ?? DEFAULT_BODY_LIMIT);
        rawBody = read.raw;
        body = await parseOrThrow(def.body, read.value, locale, t, "validation_failed");
      }
      let ifMatch: number | null = null;
      if (def.etag === "requires") {
        ifMatch = parseIfMatch(request.headers.get("if-match"));
        if (ifMatch === null) throw new ApiProblem("precondition_required");
      }

      const listing = listingOf(def.operationId, { ...params, ...(query as Record<string, unknown>) });
      const cursor = typeof (query as { cursor?: unknown }).cursor === "string" ? (query as { cursor: string }).cursor : null;
      const cursorKey = def.paginated || cursor ? await loadCursorKey(client) : "";
      const after = () => (cursor ? decodeCursor(cursorKey, listing, cursor) : null);
      after(); // a tampered cursor is refused before any work
      const page = <T,>(rows: T[], limit: number, key: (row: T) => KeysetPosition) => {
        if (!cursorKey) throw new Error(`${def.operationId} pages its answer: it must be declared paginated.`);
        const data = rows.slice(0, limit);
        return { data, next_cursor: rows.length > limit && data.length > 0 ? encodeCursor(cursorKey, listing, key(data[data.length - 1])) : null };
      };

      const toStored = (result: ApiResult): Stored => {
        const headers: Record<string, string> = { ...(result.headers ?? {}) };
        if (result.version !== undefined) headers.ETag = etagOf(result.version);
        if (result.location) headers.Location = result.location;
        return { status: result.status ?? def.status ?? 200, headers, body: JSON.stringify(result.body) };
      };

      if (!isWrite) {
        const result = await def.run({ actor, caller, params, query, body: body as never, tx: client, audit: async () => { throw new Error("A read writes its one summary event itself."); }, ifMatch, t, request, after, page });
        // Reads are summarised: one event per call, naming the operation, its filters and the rows handed out.
        await client.$transaction((tx) =>
          writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: actor.ip }, {
            action: "api.read",
            entityType: "ApiCall",
            entityId: caller.token.id,
            after: { operation: def.operationId, path: instance, query: rawQuery, rows: result.count ?? (Array.isArray((result.body as { data?: unknown })?.data) ? (result.body as { data: unknown[] }).data.length : 1) },
          }),
        );
        return jsonResponse(toStored(result), rateHeaders(rate));
      }

      const key = request.headers.get("idempotency-key");
      if (key !== null && !IDEMPOTENCY_KEY.test(key)) throw new ApiProblem("invalid_idempotency_key");
      const idempotency =
        key !== null && def.method === "POST"
          ? { tokenId: caller.token.id, key, method: def.method, path: instance, hash: createHash("sha256").update(`${def.method} ${instance}?${url.search}\n`).update(rawBody).digest("hex") }
          : null;
      const { stored, replayed } = await inWriteTransaction(client, actor, idempotency, async ({ tx, audit }) =>
        toStored(await def.run({ actor, caller, params, query, body: body as never, tx, audit, ifMatch, t, request, after, page })),
      );
      return jsonResponse(stored, { ...rateHeaders(rate), ...(replayed ? { "Idempotent-Replayed": "true" } : {}) });
    } catch (error) {
      const extra = rate ? rateHeaders(rate) : {};
      let problem: ApiProblem;
      if (error instanceof ApiProblem) problem = error;
      else if (error instanceof DomainError) problem = domainProblem(error, t, def.etag === "requires");
      else if ((error as { code?: unknown })?.code === "P2002") problem = new ApiProblem("conflict");
      else if ((error as { code?: unknown })?.code === "P2034" || (error as { code?: unknown })?.code === "40001") problem = new ApiProblem("conflict", "Concurrent change; retry.");
      else {
        const ref = crypto.randomUUID().slice(0, 8);
        console.error(`[api ${ref}] ${def.operationId}`, error);
        problem = new ApiProblem("internal", t("errors.unexpected", { ref }));
      }
      return refused(problemResponse(problem, instance, extra), problem.code);
    }
  };
  return { ...(def as unknown as ApiOperationDef<AnyObject, AnyObject, z.ZodType>), handler };
}

// ------------------------------------------------------------------------------------------
// Shared pieces of the schemas.

export const limitParam = (max = 1000, fallback = 100) => z.coerce.number().int().min(1).max(max).default(fallback).describe(`Rows per page, 1–${max} (default ${fallback}).`);
export const cursorParam = z.string().min(1).max(2000).optional().describe("The next_cursor of the previous page.");
export const idParam = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9]{1,64}$/) });
export const isoDateTime = z.iso.datetime({ offset: true });

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}

/** Validates with a domain schema too (its refinements: leave date after hire date, …) and
 * answers 422 with its field errors. */
export async function domainParse<S extends z.ZodType>(schema: S, value: unknown, t: Translate, prefix = "", code: "validation_failed" | "invalid_query" = "validation_failed"): Promise<z.output<S>> {
  const parsed = await schema.safeParseAsync(value);
  if (parsed.success) return parsed.data;
  throw new ApiProblem(code, t("errors.formInvalid"), fieldErrors(parsed.error, t, prefix));
}

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
export const isoDay = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);
