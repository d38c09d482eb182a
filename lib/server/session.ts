import "server-only";
import { permissionsOf, type RoleCode } from "@/lib/auth/permissions";
import type { Actor } from "./actor";
import { writeAuditEvent } from "./audit-write";
import { db, type Tx } from "./db";

// Revocable sessions (docs/decisions/0003-sign-in-and-sessions.md). The session cookie is an
// Auth.js JWT that carries the employee id and the employee's `session_version` at sign-in. Each
// request re-reads the employee anyway (for roles and status); the version comes back in that same
// query, and a cookie whose version is not the current one is treated as signed out. Raising the
// version therefore ends every session the person holds, on every device: sign-out, a password
// change, a revoked role, departure (the last three by triggers in the database) and an ADMIN's
// "end this person's sessions".

/** What the session cookie claims. */
export type SessionClaims = { id: string; sessionVersion: number };

/** The JWT fields this app keeps: `sub` (employee id) and `sv` (session version). */
export type SessionToken = { sub?: string; sv?: number; [key: string]: unknown };

/** Auth.js `jwt` callback: at sign-in (`user` present) the version the sign-in read goes in. */
export function sessionJwt<T extends SessionToken>(token: T, user?: { id?: string; sessionVersion?: number } | null): T {
  if (user?.id) {
    token.sub = user.id;
    token.sv = user.sessionVersion ?? 0;
  }
  return token;
}

/** The claims of a decoded token; null for a token without both (an old cookie from before
 * versions existed counts as signed out). */
export function sessionClaims(token: SessionToken | null | undefined): SessionClaims | null {
  if (!token?.sub || typeof token.sv !== "number" || !Number.isInteger(token.sv)) return null;
  return { id: token.sub, sessionVersion: token.sv };
}

/** The actor a session stands for, or null when the session has ended: the person is unknown, has
 * departed, or the cookie's version is not the current one. One query, the one that reads the
 * person's roles. */
export async function actorForSession(claims: SessionClaims | null, ip: string | null): Promise<Actor | null> {
  if (!claims) return null;
  const employee = await db().employee.findUnique({
    where: { id: claims.id },
    select: {
      id: true,
      name: true,
      email: true,
      status: true,
      sessionVersion: true,
      departmentId: true,
      department: { select: { path: true } },
      roles: { select: { role: true } },
    },
  });
  // A departed employee's session ends with their status, whatever the cookie says.
  if (!employee || employee.status === "DEPARTED") return null;
  if (employee.sessionVersion !== claims.sessionVersion) return null;
  const roles = employee.roles.map((r) => r.role as RoleCode);
  return {
    id: employee.id,
    name: employee.name,
    email: employee.email,
    roles,
    permissions: permissionsOf(roles),
    departmentId: employee.departmentId,
    departmentPath: employee.department.path,
    ip,
  };
}

/** Ends every session the employee holds (inside the caller's transaction, with its audit event).
 * Returns the version before and after. updated_at is left alone: the record did not change. */
export async function endSessions(tx: Tx, employeeId: string): Promise<{ before: number; after: number } | null> {
  const rows = await tx.$queryRaw<{ session_version: number }[]>`
    UPDATE "employees" SET "session_version" = "session_version" + 1 WHERE "id" = ${employeeId} RETURNING "session_version"`;
  if (rows.length === 0) return null;
  return { before: rows[0].session_version - 1, after: rows[0].session_version };
}

/** Sign-out on the server: the person's sessions end and the sign-out is audited, in one
 * transaction. (Auth.js then clears the cookie in this browser.) */
export async function recordSignOut(actor: Pick<Actor, "id" | "email" | "ip">): Promise<void> {
  await db().$transaction(async (tx) => {
    await endSessions(tx, actor.id);
    await writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: actor.ip }, { action: "auth.signOut", entityType: "Employee", entityId: actor.id });
  });
}
