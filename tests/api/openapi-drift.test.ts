import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { curlExample } from "@/lib/api/examples";
import { jsonSchemaOf, openApiDocument } from "@/lib/api/openapi";
import { API_OPERATIONS } from "@/lib/api/registry";

// The drift test (docs/api.md): the OpenAPI document, the route files and the zod schemas the
// endpoints validate with must agree.
// - every app/api/v1 route file exports, per method, exactly the handler of the registered
//   operation with that path and method, and every registered operation is routed;
// - each operation's documented parameters, body and answer are the JSON Schema of its zod schemas;
// - the committed docs/openapi.json is the document the server serves (regenerate it with
//   UPDATE_OPENAPI=1 npx vitest run tests/api/openapi-drift.test.ts and review the diff).

const ROOT = path.join(import.meta.dirname, "../../app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : []));
}

const apiPathOf = (file: string) => `/${path.relative(ROOT, path.dirname(file)).split(path.sep).join("/")}`.replace(/\[([^\]]+)\]/g, "{$1}");

describe("OpenAPI drift", () => {
  it("every route file exports the registered operations' handlers, and every operation is routed", async () => {
    const routed = new Set<string>();
    for (const file of routeFiles(ROOT)) {
      const apiPath = apiPathOf(file);
      if (apiPath === "/openapi.json") continue;
      const mod = (await import(file)) as Record<string, unknown>;
      if (apiPath === "/{...path}") {
        // The catch-all: problem+json 404 for paths no operation answers.
        const res = await (mod.GET as (r: Request) => Promise<Response>)(new Request("http://localhost/api/v1/nope"));
        expect(res.status).toBe(404);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        continue;
      }
      for (const method of METHODS) {
        if (!(method in mod)) continue;
        const op = API_OPERATIONS.find((o) => o.handler === mod[method]);
        expect(op, `${method} ${apiPath} is not a registered operation`).toBeDefined();
        expect(`${op!.method} ${op!.path}`).toBe(`${method} ${apiPath}`);
        routed.add(`${method} ${apiPath}`);
      }
    }
    expect([...routed].sort()).toEqual(API_OPERATIONS.map((o) => `${o.method} ${o.path}`).sort());
  });

  it("documents each operation with the JSON Schema of its own zod schemas", () => {
    const doc = openApiDocument();
    for (const op of API_OPERATIONS) {
      const documented = (doc.paths[op.path] as Record<string, Record<string, unknown>>)[op.method.toLowerCase()] as {
        parameters: { name: string; in: string; schema: unknown }[];
        requestBody?: { content: { "application/json": { schema: unknown } } };
        responses: Record<string, { content: Record<string, { schema: unknown }> }>;
      };
      expect(documented, op.operationId).toBeDefined();
      if (op.body) expect(documented.requestBody!.content["application/json"].schema).toEqual(jsonSchemaOf(op.body, "input"));
      else expect(documented.requestBody).toBeUndefined();
      expect(documented.responses[String(op.status ?? 200)].content["application/json"].schema).toEqual(jsonSchemaOf(op.response, "output"));
      const queryNames = op.query ? Object.keys((jsonSchemaOf(op.query, "input").properties as object) ?? {}) : [];
      expect(documented.parameters.filter((p) => p.in === "query").map((p) => p.name)).toEqual(queryNames);
      // Unknown fields are refused, so the document says so.
      if (op.body) expect((jsonSchemaOf(op.body, "input") as { additionalProperties?: unknown }).additionalProperties).toBe(false);
    }
  });

  it("docs/openapi.json is the served document", async () => {
    const { GET } = await import("@/app/api/v1/openapi.json/route");
    const served = await (await GET()).json();
    expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    const file = path.join(import.meta.dirname, "../../docs/openapi.json");
    const text = `${JSON.stringify(served, null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === "1") writeFileSync(file, text);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(served);
  });

  it("docs/api.md shows the curl example of every operation", () => {
    const docs = readFileSync(path.join(import.meta.dirname, "../../docs/api.md"), "utf8");
    for (const op of API_OPERATIONS) expect(docs, op.operationId).toContain(curlExample(op.method, op.path, op.operationId));
  });
});
