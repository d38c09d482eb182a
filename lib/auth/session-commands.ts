import "server-only";
import type { Permission } from "@/lib/auth/permissions";
import type { ActionContext } from "@/lib/server/action";
import type { Actor } from "@/lib/server/actor";
import { DomainError, forbidden, notFound } from "@/lib/server/errors";
import { endSession, endSessions } from "@/lib/server/session";
import type { EndSessionInput, WeComLinkInput } from "./sign-in-schemas";

// The sign-in card on an employee's page (ADMIN): end one of the person's sessions, and link the
// person to the WeCom member they sign in as.

function requirePermission(actor: Pick<Actor, "permissions">, permission: Permission) {
  if (!actor.permissions.has(permission)) throw forbidden();
}

/** Ends one session of the person (a lost phone): that cookie stops working; the others go on. */
export async function endOneSession({ actor, input, tx, audit }: ActionContext<EndSessionInput>): Promise<{ employeeId: string }> {
  requirePermission(actor, "sessions.end");
  const row = await tx.authSession.findFirst({ where: { id: input.sessionId, employeeId: input.employeeId }, select: { method: true, ip: true, createdAt: true } });
  if (!row) throw notFound();
  const ended = await endSession(tx, { sessionId: input.sessionId, employeeId: input.employeeId, reason: "ADMIN", endedById: actor.id });
  if (!ended) throw new DomainError("INVALID_STATE", "signIn.sessions.notOpen");
  await audit({ action: "employee.endSession", entityType: "Employee", entityId: input.employeeId, after: { sessionId: input.sessionId, method: row.method, signedInAt: row.createdAt } });
  return { employeeId: input.employeeId };
}

/** Links (or unlinks) the WeCom member the person signs in as. A change of member ends the
 * person's sessions: whoever signed in with the old link is signed out. */
export async function linkWeComUserid({ actor, input, tx, audit }: ActionContext<WeComLinkInput>): Promise<{ employeeId: string }> {
  requirePermission(actor, "signIn.configure");
  const current = await tx.employee.findUnique({ where: { id: input.employeeId }, select: { wecomUserid: true } });
  if (!current) throw notFound();
  const next = input.wecomUserid || null;
  if (current.wecomUserid === next) return { employeeId: input.employeeId };
  const taken = next ? await tx.employee.findUnique({ where: { wecomUserid: next }, select: { id: true } }) : null;
  if (taken) throw new DomainError("CONFLICT", "signIn.sessions.wecomTaken", { field: "wecomUserid" });
  await tx.employee.update({ where: { id: input.employeeId }, data: { wecomUserid: next } });
  const versions = current.wecomUserid ? await endSessions(tx, input.employeeId, actor.id) : null;
  await audit({
    action: "employee.wecomLink",
    entityType: "Employee",
    entityId: input.employeeId,
    before: { wecomUserid: current.wecomUserid },
    after: { wecomUserid: next, sessionsEnded: versions?.ended ?? 0 },
  });
  return { employeeId: input.employeeId };
}
