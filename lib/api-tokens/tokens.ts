import { createHash, randomBytes } from "node:crypto";
import { permissionsOf, type RoleCode } from "@/lib/auth/permissions";
import type { ActionContext } from "@/lib/server/action";
import type { Actor } from "@/lib/server/actor";
import { clientIp } from "@/lib/server/client-ip";
import { DomainError, forbidden, notFound } from "@/lib/server/errors";
import type { DbClient } from "@/lib/server/prisma-client";
import type { IssueTokenInput, RevokeTokenInput } from "./schemas";
import { narrowPermissions, type ApiScope } from "./scopes";

// Personal access tokens for /api/v1 (SPEC §13). ADMIN issues one for a person (it acts as that
// person, with their permissions, while they are not DEPARTED); the token is shown once and only
// its SHA-256 is stored (256 random bits: a plain hash is enough, no salt or slow hash needed).
// Revoked, expired or unknown tokens get 401.

export const TOKEN_ENTITY = "ApiToken";
export const TOKEN_PREFIX = "wgp_";

export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export function newToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

function requireAdmin(actor: Pick<Actor, "permissions">) {
  if (!actor.permissions.has("apiTokens.manage")) throw forbidden();
}

/** Issues a token; the clear token is returned once (the page shows it, nothing stores it). */
export async function issueToken({ actor, input, tx, audit }: ActionContext<IssueTokenInput>, now = new Date()): Promise<{ id: string; token: string }> {
  requireAdmin(actor);
  const ownerId = input.ownerId ?? actor.id;
  const owner = await tx.employee.findUnique({ where: { id: ownerId }, select: { id: true, status: true, email: true } });
  if (!owner || owner.status === "DEPARTED") throw new DomainError("VALIDATION", "privacy.apiTokens.errors.ownerNotActive", { field: "ownerId" });
  // End of that day in China time.
  const expiresAt = input.expiresOn ? new Date(input.expiresOn.getTime() + 16 * 3_600_000 - 1) : null;
  if (expiresAt && expiresAt <= now) throw new DomainError("VALIDATION", "privacy.apiTokens.errors.expiryPast", { field: "expiresOn" });
  let department: { id: string; path: string } | null = null;
  if (input.departmentId) {
    department = await tx.department.findUnique({ where: { id: input.departmentId }, select: { id: true, path: true } });
    if (!department) throw new DomainError("VALIDATION", "privacy.apiTokens.errors.departmentNotFound", { field: "departmentId" });
  }
  const token = newToken();
  const row = await tx.apiToken.create({
    data: { name: input.name, tokenHash: hashToken(token), prefix: token.slice(0, 12), ownerId: owner.id, createdById: actor.id, expiresAt, scopes: input.scopes, departmentId: department?.id ?? null, note: input.note ?? null },
  });
  await audit({
    action: "apiToken.issue",
    entityType: TOKEN_ENTITY,
    entityId: row.id,
    before: null,
    after: { name: row.name, prefix: row.prefix, owner: owner.email, expiresAt, scopes: row.scopes, departmentId: row.departmentId, note: row.note },
  });
  return { id: row.id, token };
}

export async function revokeToken({ actor, input, tx, audit }: ActionContext<RevokeTokenInput>, now = new Date()): Promise<{ id: string }> {
  requireAdmin(actor);
  const row = await tx.apiToken.findUnique({ where: { id: input.id } });
  if (!row) throw notFound();
  if (row.revokedAt) throw new DomainError("INVALID_STATE", "privacy.apiTokens.errors.alreadyRevoked");
  await tx.apiToken.update({ where: { id: row.id }, data: { revokedAt: now, revokedById: actor.id } });
  await audit({ action: "apiToken.revoke", entityType: TOKEN_ENTITY, entityId: row.id, before: { revokedAt: null }, after: { name: row.name, prefix: row.prefix, revokedAt: now } });
  return { id: row.id };
}

export async function listTokens(client: DbClient) {
  const rows = await client.apiToken.findMany({ orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }], take: 200 });
  const owners = await client.employee.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.ownerId))] } }, select: { id: true, name: true, email: true } });
  const departments = await client.department.findMany({ where: { id: { in: [...new Set(rows.flatMap((r) => (r.departmentId ? [r.departmentId] : [])))] } }, select: { id: true, name: true } });
  const byId = new Map(owners.map((o) => [o.id, o]));
  const deptById = new Map(departments.map((d) => [d.id, d]));
  return rows.map((r) => ({ ...r, owner: byId.get(r.ownerId) ?? null, department: r.departmentId ? (deptById.get(r.departmentId) ?? null) : null }));
}

/**
 * The actor a request's `Authorization: Bearer <token>` stands for, or null (missing, malformed,
 * unknown, revoked, expired, or its owner departed). Records the time of use.
 */
export async function authenticateBearer(client: DbClient, request: Request, now = new Date()): Promise<Actor | null> {
  return (await authenticateToken(client, request, now))?.actor ?? null;
}

export type ApiCaller = {
  /** The owner, with permissions narrowed to the token's department when it has one. */
  actor: Actor;
  token: { id: string; prefix: string; scopes: readonly ApiScope[]; departmentId: string | null; departmentPath: string | null; rateLimit: number };
};

/** The token and the actor a request's bearer token stands for, or null (see authenticateBearer). */
export async function authenticateToken(client: DbClient, request: Request, now = new Date()): Promise<ApiCaller | null> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match || !match[1].startsWith(TOKEN_PREFIX) || match[1].length > 200) return null;
  const row = await client.apiToken.findUnique({ where: { tokenHash: hashToken(match[1]) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  const e = await client.employee.findUnique({
    where: { id: row.ownerId },
    select: { id: true, name: true, email: true, status: true, departmentId: true, department: { select: { path: true } }, roles: { select: { role: true } } },
  });
  if (!e || e.status === "DEPARTED") return null;
  // The department scope narrows the owner's reach; one the owner cannot see themselves refuses the token.
  let scoped: { id: string; path: string } | null = null;
  if (row.departmentId) {
    scoped = await client.department.findUnique({ where: { id: row.departmentId }, select: { id: true, path: true } });
    if (!scoped) return null;
  }
  await client.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  const roles = e.roles.map((r) => r.role as RoleCode);
  const ip = clientIp(request.headers);
  const permissions = permissionsOf(roles);
  const actor: Actor = scoped
    ? { id: e.id, name: e.name, email: `${e.email} (token ${row.prefix}…)`, roles, permissions: narrowPermissions(permissions), departmentId: scoped.id, departmentPath: scoped.path, ip }
    : { id: e.id, name: e.name, email: `${e.email} (token ${row.prefix}…)`, roles, permissions, departmentId: e.departmentId, departmentPath: e.department.path, ip };
  if (scoped && !permissions.has("directory.read:all") && !scoped.path.startsWith(e.department.path)) return null;
  return {
    actor,
    token: { id: row.id, prefix: row.prefix, scopes: row.scopes as ApiScope[], departmentId: scoped?.id ?? null, departmentPath: scoped?.path ?? null, rateLimit: row.rateLimit },
  };
}
