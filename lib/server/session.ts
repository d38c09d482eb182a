import "server-only";
import { randomBytes } from "node:crypto";
import { permissionsOf, type RoleCode } from "@/lib/auth/permissions";
import type { Actor } from "./actor";
import { writeAuditEvent } from "./audit-write";
import { db, type Tx } from "./db";
import { serverEnv } from "./env";

// Revocable sessions (docs/decisions/0003-sign-in-and-sessions.md, 0009-sign-in-methods-and-sessions.md).
// The session cookie is an Auth.js JWT that carries the employee id, the employee's
// `session_version` at sign-in and the id of the session's row in `auth_sessions`. Each request
// re-reads the employee anyway (for roles and status); the session row comes back in that same
// query. A cookie is treated as signed out when its row is missing, ended (sign-out, an ADMIN ending
// it) or expired, or when the person's version is no longer the one of the cookie and the row:
// raising the version (a password change, a revoked role, departure — triggers in the database —
// and an ADMIN's "end all their sessions") ends every session the person holds, on every device.

export const SIGN_IN_METHODS = ["PASSWORD", "WECOM_OAUTH", "WECOM_QR", "OIDC"] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/** What the session cookie claims. */
export type SessionClaims = { id: string; sessionVersion: number; sessionId: string };

/** The JWT fields this app keeps: `sub` (employee id), `sv` (session version), `sid` (session row). */
export type SessionToken = { sub?: string; sv?: number; sid?: string; [key: string]: unknown };

/** What a provider's authorize() hands Auth.js: the person and the session row just opened. */
export type SignedInUser = { id: string; name: string; email: string; sessionVersion: number; sessionId: string };

/** Auth.js `jwt` callback: at sign-in (`user` present) the version and the session row go in. */
export function sessionJwt<T extends SessionToken>(token: T, user?: { id?: string; sessionVersion?: number; sessionId?: string } | null): T {
  if (user?.id) {
    token.sub = user.id;
    token.sv = user.sessionVersion ?? 0;
    token.sid = user.sessionId;
  }
  return token;
}

/** The claims of a decoded token; null for a token without all three (a cookie from before
 * session rows existed counts as signed out). */
export function sessionClaims(token: SessionToken | null | undefined): SessionClaims | null {
  if (!token?.sub || typeof token.sv !== "number" || !Number.isInteger(token.sv) || typeof token.sid !== "string" || !token.sid) return null;
  return { id: token.sub, sessionVersion: token.sv, sessionId: token.sid };
}

const maxAgeMs = () => serverEnv().SESSION_MAX_AGE_HOURS * 3_600_000;
/** How stale last_seen_at may get before a request refreshes it (and pushes the expiry on). */
const TOUCH_AFTER_MS = 5 * 60_000;

/** Opens the session row a new sign-in gets (inside the sign-in's transaction). */
export async function openSession(tx: Tx, input: { employeeId: string; method: SignInMethod; sessionVersion: number; ip: string | null; userAgent: string | null }): Promise<string> {
  const id = randomBytes(18).toString("base64url");
  const now = new Date();
  await tx.authSession.create({
    data: {
      id,
      employeeId: input.employeeId,
      method: input.method,
      sessionVersion: input.sessionVersion,
      ip: input.ip,
      userAgent: input.userAgent ? input.userAgent.slice(0, 300) : null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + maxAgeMs()),
    },
  });
  return id;
}

type SessionRow = {
  id: string;
  name: string;
  email: string;
  status: string;
  session_version: number;
  department_id: string;
  department_path: string;
  roles: string[] | null;
  s_version: number | null;
  ended_at: Date | null;
  expires_at: Date | null;
  last_seen_at: Date | null;
};

/** The actor a session stands for, or null when the session has ended: the person is unknown or
 * has departed, the session row is ended or expired, or the version is not the current one. One
 * query, the one that reads the person's roles: every page runs it, so it is one statement and
 * one round trip (the person, their department's path, their roles and this session's row) rather
 * than the four a nested Prisma read issues. */
export async function actorForSession(claims: SessionClaims | null, ip: string | null): Promise<Actor | null> {
  if (!claims) return null;
  const rows = await db().$queryRaw<SessionRow[]>`
    SELECT e."id", e."name", e."email", e."status"::text AS "status", e."session_version", e."department_id", d."path" AS "department_path",
           (SELECT array_agg(r."role"::text ORDER BY r."created_at", r."role") FROM "employee_roles" r WHERE r."employee_id" = e."id") AS "roles",
           s."session_version" AS "s_version", s."ended_at", s."expires_at", s."last_seen_at"
      FROM "employees" e
      JOIN "departments" d ON d."id" = e."department_id"
      LEFT JOIN "auth_sessions" s ON s."id" = ${claims.sessionId} AND s."employee_id" = e."id"
     WHERE e."id" = ${claims.id}`;
  const employee = rows[0];
  // A departed employee's session ends with their status, whatever the cookie says.
  if (!employee || employee.status === "DEPARTED") return null;
  if (employee.session_version !== claims.sessionVersion) return null;
  const now = Date.now();
  if (employee.s_version === null || employee.ended_at || !employee.expires_at || employee.expires_at.getTime() <= now || employee.s_version !== employee.session_version) return null;
  if (now - employee.last_seen_at!.getTime() > TOUCH_AFTER_MS) {
    // Active sessions stay alive (the cookie is rolling too); a failed touch does not refuse the request.
    await db()
      .authSession.updateMany({ where: { id: claims.sessionId, endedAt: null }, data: { lastSeenAt: new Date(now), expiresAt: new Date(now + maxAgeMs()) } })
      .catch((e: unknown) => console.warn(`[session] last-seen not recorded: ${(e as Error)?.message ?? String(e)}`));
  }
  const roles = (employee.roles ?? []) as RoleCode[];
  return {
    id: employee.id,
    name: employee.name,
    email: employee.email,
    roles,
    permissions: permissionsOf(roles),
    departmentId: employee.department_id,
    departmentPath: employee.department_path,
    ip,
    sessionId: claims.sessionId,
  };
}

/** Ends every session the employee holds (inside the caller's transaction, with its audit event):
 * the version is raised and the rows are marked ended. Returns the version before and after.
 * updated_at is left alone: the record did not change. */
export async function endSessions(tx: Tx, employeeId: string, endedById: string | null = null): Promise<{ before: number; after: number; ended: number } | null> {
  const rows = await tx.$queryRaw<{ session_version: number }[]>`
    UPDATE "employees" SET "session_version" = "session_version" + 1 WHERE "id" = ${employeeId} RETURNING "session_version"`;
  if (rows.length === 0) return null;
  const ended = await tx.authSession.updateMany({ where: { employeeId, endedAt: null }, data: { endedAt: new Date(), endedReason: "ADMIN_ALL", endedById } });
  return { before: rows[0].session_version - 1, after: rows[0].session_version, ended: ended.count };
}

/** Ends one session row; false when it was not open (already ended, or not this person's). */
export async function endSession(tx: Tx, input: { sessionId: string; employeeId: string; reason: "SIGN_OUT" | "ADMIN"; endedById: string | null }): Promise<boolean> {
  const n = await tx.authSession.updateMany({
    where: { id: input.sessionId, employeeId: input.employeeId, endedAt: null },
    data: { endedAt: new Date(), endedReason: input.reason, endedById: input.endedById },
  });
  return n.count === 1;
}

/** Sign-out on the server: this session's row ends and the sign-out is audited, in one
 * transaction. A copy of the cookie is refused from then on; the person's other sessions (another
 * browser, the phone) go on. (Auth.js then clears the cookie in this browser.) */
export async function recordSignOut(actor: Pick<Actor, "id" | "email" | "ip" | "sessionId">): Promise<void> {
  await db().$transaction(async (tx) => {
    if (actor.sessionId) await endSession(tx, { sessionId: actor.sessionId, employeeId: actor.id, reason: "SIGN_OUT", endedById: actor.id });
    await writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: actor.ip }, { action: "auth.signOut", entityType: "Employee", entityId: actor.id, after: { sessionId: actor.sessionId ?? null } });
  });
}

export type ActiveSession = { id: string; method: SignInMethod; ip: string | null; userAgent: string | null; createdAt: Date; lastSeenAt: Date };

/** The sessions that would still be served for this person: open, unexpired, current version. */
export async function activeSessions(client: Tx | ReturnType<typeof db>, employeeId: string): Promise<ActiveSession[]> {
  const employee = await client.employee.findUnique({ where: { id: employeeId }, select: { sessionVersion: true, status: true } });
  if (!employee || employee.status === "DEPARTED") return [];
  const rows = await client.authSession.findMany({
    where: { employeeId, endedAt: null, expiresAt: { gt: new Date() }, sessionVersion: employee.sessionVersion },
    orderBy: { lastSeenAt: "desc" },
    take: 50,
    select: { id: true, method: true, ip: true, userAgent: true, createdAt: true, lastSeenAt: true },
  });
  return rows.map((r) => ({ ...r, method: r.method as SignInMethod }));
}
