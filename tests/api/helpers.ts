import { issueTokenSchema } from "@/lib/api-tokens/schemas";
import type { ApiScope } from "@/lib/api-tokens/scopes";
import { issueToken } from "@/lib/api-tokens/tokens";
import type { ApiOperation } from "@/lib/api/define";
import type { Actor } from "@/lib/server/actor";
import type { DbClient } from "@/lib/server/prisma-client";
import { makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { expectOk, run } from "../helpers/run-command";
import { seedGroupsOrganisation } from "../groups/helpers";

// The /api/v1 tests call the real handlers (lib/api/define.ts) with real Requests against a real
// database; tokens are issued through the token command, as the ADMIN page does.

export async function seedApiOrganisation(prisma: DbClient) {
  const org = await seedGroupsOrganisation(prisma);
  const hr = await prisma.$transaction((tx) => makeEmployee(tx, { departmentId: org.dept.hq.id, name: "人事专员", employeeNo: "H-001", email: "h-001@example.test", roles: ["HR", "EMPLOYEE"], status: "ACTIVE" }));
  const admin = await actorFor(prisma, org.people.admin.id);
  return { ...org, hr, admin };
}
export type ApiOrganisation = Awaited<ReturnType<typeof seedApiOrganisation>>;

export async function tokenFor(prisma: DbClient, admin: Actor, ownerId: string, scopes: ApiScope[], extra: { departmentId?: string; rateLimit?: number } = {}): Promise<string> {
  const { id, token } = expectOk(await run(prisma, admin, issueTokenSchema, { name: `t-${Math.random().toString(36).slice(2, 8)}`, ownerId, scopes, departmentId: extra.departmentId }, (ctx) => issueToken(ctx)));
  if (extra.rateLimit) await prisma.apiToken.update({ where: { id }, data: { rateLimit: extra.rateLimit } });
  return token;
}

type CallOptions = { token?: string; query?: Record<string, string>; body?: unknown; rawBody?: string; headers?: Record<string, string>; params?: Record<string, string> };

/** Calls an operation's handler the way Next does: a Request and the path's params. */
export async function call(op: ApiOperation, options: CallOptions = {}) {
  let path = op.path;
  for (const [k, v] of Object.entries(options.params ?? {})) path = path.replace(`{${k}}`, encodeURIComponent(v));
  const url = new URL(`http://localhost/api/v1${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) };
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["Content-Type"] = "application/json";
  } else if (op.method !== "GET") {
    body = "{}";
    headers["Content-Type"] = "application/json";
  }
  Object.assign(headers, options.headers ?? {});
  const res = await op.handler(new Request(url, { method: op.method, headers, body }), { params: Promise.resolve(options.params ?? {}) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, headers: res.headers, json: json as any };
}
