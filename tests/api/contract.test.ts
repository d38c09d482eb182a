import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SCOPES } from "@/lib/api-tokens/scopes";
import { openApiDocument } from "@/lib/api/openapi";
import { API_OPERATIONS } from "@/lib/api/registry";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { usePiiKey } from "../privacy/helpers";
import { call, seedApiOrganisation, tokenFor } from "./helpers";

// The contract test (docs/api.md): walks every operation of the OpenAPI document with inputs
// generated from the document's own schemas — valid ones, and invalid ones (an unknown field, a
// wrong type, a missing required field, a value outside an enum) — and checks every answer
// against the document: a documented status, and a body that validates against the documented
// schema (the success schema, or the Problem schema for problem+json). Never a 500.

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
};

const doc = openApiDocument();
const components = doc.components.schemas as Record<string, Schema>;
const resolve = (s: Schema): Schema => (s.$ref ? components[s.$ref.split("/").pop()!] : s);

/** The errors of `value` against `schema` (the subset of JSON Schema the document uses). */
function validate(schema: Schema, value: unknown, at = ""): string[] {
  const s = resolve(schema);
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf)!.some((alt) => validate(alt, value, at).length === 0) ? [] : [`${at}: no alternative matches`];
  if (s.const !== undefined && value !== s.const) return [`${at}: not ${JSON.stringify(s.const)}`];
  if (s.enum && !s.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in enum`];
  const types = s.type === undefined ? [] : ([] as string[]).concat(s.type);
  const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);
  if (types.length && !types.some((t) => t === typeOf(value) || (t === "number" && typeof value === "number"))) return [`${at}: ${typeOf(value)} is not ${types.join("|")}`];
  const errors: string[] = [];
  if (typeof value === "string") {
    if (s.pattern && !new RegExp(s.pattern, "u").test(value)) errors.push(`${at}: does not match ${s.pattern}`);
    if (s.maxLength !== undefined && [...value].length > s.maxLength) errors.push(`${at}: too long`);
  }
  if (Array.isArray(value) && s.items) value.forEach((v, i) => errors.push(...validate(s.items!, v, `${at}/${i}`)));
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in obj)) errors.push(`${at}/${r}: required`);
    for (const [k, v] of Object.entries(obj)) {
      if (s.properties?.[k]) errors.push(...validate(s.properties[k], v, `${at}/${k}`));
      else if (s.additionalProperties === false) errors.push(`${at}/${k}: not allowed`);
    }
  }
  return errors;
}

/** Values that satisfy a schema (as far as its JSON Schema says; the domain may still refuse them). */
function arbitraryOf(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.anyOf || s.oneOf) return fc.oneof(...(s.anyOf ?? s.oneOf)!.map((alt) => arbitraryOf(alt, depth)));
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const type = ([] as string[]).concat(s.type ?? "string")[0];
  switch (type) {
    case "string":
      if (s.format === "date-time") return fc.date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
      if (s.format === "email") return fc.emailAddress().filter((e) => e.length <= (s.maxLength ?? 254));
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? 1000));
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 20, 20) });
    case "integer":
      return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 100000 });
    case "number":
      return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(depth > 3 ? fc.constant(null) : arbitraryOf(s.items ?? {}, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
    case "object": {
      const props = Object.entries(s.properties ?? {});
      const required = new Set(s.required ?? []);
      return fc.record(Object.fromEntries(props.map(([k, v]) => [k, arbitraryOf(v, depth + 1)])), { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)) });
    }
    default:
      return fc.constant(null);
  }
}

/** An invalid body: an unknown field, a wrong type, a required field missing, or not an object. */
function invalidOf(schema: Schema): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const valid = arbitraryOf(s) as fc.Arbitrary<Record<string, unknown>>;
  const props = Object.keys(s.properties ?? {});
  const options: fc.Arbitrary<unknown>[] = [
    valid.map((v) => ({ ...v, zzUnknownField: 1 })),
    fc.constantFrom(null, [], "text", 42, true),
  ];
  if (props.length) options.push(fc.tuple(valid, fc.constantFrom(...props), fc.constantFrom({ nested: true }, [1, 2], 123456789, "x".repeat(3000))).map(([v, k, bad]) => ({ ...v, [k]: bad })));
  if (s.required?.length) options.push(fc.tuple(valid, fc.constantFrom(...s.required)).map(([v, k]) => Object.fromEntries(Object.entries(v).filter(([key]) => key !== k))));
  return fc.oneof(...options);
}

type DocOperation = {
  parameters: { name: string; in: string; required: boolean; schema: Schema }[];
  requestBody?: { content: { "application/json": { schema: Schema } } };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};

let db: TestDb;
let token: string;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  const org = await seedApiOrganisation(db.prisma);
  token = await tokenFor(db.prisma, org.admin, org.people.admin.id, [...API_SCOPES], { rateLimit: 1_000_000 });
});
afterAll(async () => db?.close());

const RUNS = Number(process.env.CONTRACT_RUNS ?? 6);

describe("every operation answers as the document says", () => {
  for (const op of API_OPERATIONS) {
    it(`${op.method} ${op.path}`, async () => {
      const documented = (doc.paths[op.path] as Record<string, DocOperation>)[op.method.toLowerCase()];
      const querySchema: Schema = {
        type: "object",
        properties: Object.fromEntries(documented.parameters.filter((p) => p.in === "query").map((p) => [p.name, p.schema])),
        required: documented.parameters.filter((p) => p.in === "query" && p.required).map((p) => p.name),
      };
      const bodySchema = documented.requestBody?.content["application/json"].schema;
      const input = fc.record({
        id: fc.oneof(fc.stringMatching(/^[a-z0-9]{20,32}$/), fc.constantFrom("x", "%00", "../etc")),
        query: fc.oneof(arbitraryOf(querySchema), arbitraryOf(querySchema).map((q) => ({ ...(q as object), unknownParam: "1" }))),
        body: bodySchema ? fc.oneof(arbitraryOf(bodySchema), invalidOf(bodySchema)) : fc.constant(undefined),
        ifMatch: fc.constantFrom('W/"1"', '"2"', "junk"),
      });
      await fc.assert(
        fc.asyncProperty(input, async ({ id, query, body, ifMatch }) => {
          const q = Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
          const res = await call(op, {
            token,
            params: op.params ? { id } : undefined,
            query: q,
            body,
            headers: { ...(op.etag === "requires" ? { "If-Match": ifMatch } : {}), ...(op.method === "POST" ? { "Idempotency-Key": `k-${Math.random().toString(36).slice(2)}` } : {}) },
          });
          const status = String(res.status);
          expect(res.status, JSON.stringify(res.json)).not.toBe(500);
          expect(Object.keys(documented.responses), `undocumented status ${status}: ${JSON.stringify(res.json)}`).toContain(status);
          const contentType = res.headers.get("content-type") ?? "";
          const content = documented.responses[status].content ?? {};
          const documentedType = Object.keys(content).find((t) => contentType.startsWith(t));
          expect(documentedType, `content type ${contentType} for ${status}`).toBeDefined();
          expect(validate(content[documentedType!].schema, res.json), JSON.stringify(res.json).slice(0, 500)).toEqual([]);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    }, 120_000);
  }
});
