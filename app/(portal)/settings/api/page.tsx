import type { Metadata } from "next";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Link } from "@/components/ui/link";
import { curlExample } from "@/lib/api/examples";
import { openApiDocument } from "@/lib/api/openapi";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.apiReference.title") };
}

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; anyOf?: Schema[]; description?: string; format?: string; pattern?: string; maxLength?: number; minimum?: number; maximum?: number; default?: unknown };
type Param = { name: string; in: string; required: boolean; schema: Schema; description?: string };
type Operation = { operationId: string; summary: string; tags: string[]; "x-scope": string; parameters: Param[]; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }> };

function typeLabel(s: Schema): string {
  if (s.anyOf) return s.anyOf.map(typeLabel).join(" | ");
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.type === "array" && s.items) return `${typeLabel(s.items)}[]`;
  const t = Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "any");
  return s.format ? `${t} (${s.format})` : t;
}

/** A schema's fields as nested lists: name, type, required, description. */
function Fields({ schema, depth = 0 }: { schema: Schema; depth?: number }) {
  const item = schema.type === "array" && schema.items ? schema.items : schema;
  if (!item.properties || depth > 4) return null;
  const required = new Set(item.required ?? []);
  return (
    <ul className={depth ? "ml-4 border-l border-slate-200 pl-3" : ""}>
      {Object.entries(item.properties).map(([name, s]) => (
        <li key={name} className="py-0.5 text-sm">
          <code className="font-mono">{name}</code> <span className="text-slate-600">{typeLabel(s)}</span>
          {required.has(name) ? <span className="ml-1 text-xs text-red-700">*</span> : null}
          {s.description ? <span className="block text-xs text-slate-600">{s.description}</span> : null}
          <Fields schema={s} depth={depth + 1} />
        </li>
      ))}
    </ul>
  );
}

// The API reference for ADMIN, rendered from the OpenAPI document itself (lib/api/openapi.ts):
// no third-party viewer, nothing loaded from elsewhere.
export default async function ApiReferencePage() {
  await requirePagePermission("apiTokens.manage");
  const { t } = await getI18n();
  const doc = openApiDocument();
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op: op as Operation })));
  const tags = [...new Set(ops.flatMap((o) => o.op.tags))];
  // The section names and the operations' summaries in the reader's language; the document's own
  // words when a newer operation has no translation yet.
  const said = (key: string, fallback: string) => {
    const text = t(key);
    return text === key ? fallback : text;
  };
  const tagName = (tag: string) => said(`privacy.apiReference.tags.${tag}`, tag);
  return (
    <div className="min-w-0 space-y-4">
      <PageHeader title={t("privacy.apiReference.title")} description={t("privacy.apiReference.description")} />
      <p className="text-sm">
        <a className="text-blue-700 underline" href="/api/v1/openapi.json">
          /api/v1/openapi.json
        </a>
        {" · "}
        <Link className="text-blue-700 underline" href="/settings/api-tokens">
          {t("privacy.apiTokens.title")}
        </Link>
      </p>
      <p className="text-sm text-slate-600">{t("privacy.apiReference.note")}</p>
      <nav aria-label={t("privacy.apiReference.contents")}>
        <ul className="flex flex-wrap gap-2 text-sm">
          {tags.map((tag) => (
            <li key={tag}>
              <a className="text-blue-700 underline" href={`#tag-${tag.replace(/\W+/g, "-")}`}>
                {tagName(tag)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tags.map((tag) => (
        <section key={tag} id={`tag-${tag.replace(/\W+/g, "-")}`} className="space-y-3">
          <h2 className="text-lg font-semibold">{tagName(tag)}</h2>
          {ops
            .filter((o) => o.op.tags.includes(tag))
            .map(({ path, method, op }) => {
              const body = op.requestBody?.content["application/json"]?.schema;
              const success = Object.entries(op.responses).find(([s]) => s.startsWith("2"));
              return (
                <Card key={op.operationId} title={`${method} /api/v1${path}`}>
                  <div id={op.operationId} className="min-w-0 space-y-2">
                    <p className="text-sm">{said(`privacy.apiReference.ops.${op.operationId}`, op.summary)}</p>
                    <p className="text-sm">
                      {t("privacy.apiReference.scope")} <Badge tone="slate">{op["x-scope"]}</Badge>
                    </p>
                    {op.parameters.length > 0 ? (
                      <div>
                        <h3 className="text-sm font-medium">{t("privacy.apiReference.parameters")}</h3>
                        <ul>
                          {op.parameters.map((p) => (
                            <li key={`${p.in}-${p.name}`} className="text-sm">
                              <code className="font-mono">{p.name}</code> <span className="text-slate-600">({p.in}) {typeLabel(p.schema)}</span>
                              {p.required ? <span className="ml-1 text-xs text-red-700">*</span> : null}
                              {p.description ? <span className="block text-xs text-slate-600">{p.description}</span> : null}
                            </li>
                          ))}
                        </ul>
                      </div>
                    ) : null}
                    {body ? (
                      <div>
                        <h3 className="text-sm font-medium">{t("privacy.apiReference.body")}</h3>
                        <Fields schema={body} />
                      </div>
                    ) : null}
                    {success?.[1].content ? (
                      <details>
                        <summary className="cursor-pointer text-sm font-medium">
                          {t("privacy.apiReference.answer")} {success[0]}
                        </summary>
                        <Fields schema={success[1].content["application/json"].schema} />
                      </details>
                    ) : null}
                    <p className="text-xs text-slate-600">
                      {t("privacy.apiReference.errors")} {Object.keys(op.responses).filter((s) => !s.startsWith("2")).join(t("common.listSeparator"))}
                    </p>
                    <pre tabIndex={0} className="overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600">
                      <code>{curlExample(method, path, op.operationId)}</code>
                    </pre>
                  </div>
                </Card>
              );
            })}
        </section>
      ))}
    </div>
  );
}
