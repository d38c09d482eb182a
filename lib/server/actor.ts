import "server-only";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import type { Permission, RoleCode } from "@/lib/auth/permissions";
import { safeReturnPath } from "@/lib/url";
import { PATH_HEADER } from "@/lib/url-header";
import { auth } from "./auth";
import { clientIp } from "./client-ip";
import { actorForSession, type SessionClaims } from "./session";
import { claimsForCookies } from "./session-claims";

/** The signed-in person as every query and command sees them, re-read from the database on
 * each request so a role change, a move or a departure takes effect at once, and a session that
 * was ended (sign-out, password, role, departure, ADMIN) is refused. */
export type Actor = {
  id: string;
  name: string;
  email: string;
  roles: RoleCode[];
  permissions: ReadonlySet<Permission>;
  departmentId: string;
  /** Materialised path of the actor's department ("/rootId/.../deptId/"): the manager scope. */
  departmentPath: string;
  ip: string | null;
  /** The session row this request came with (lib/server/session.ts); absent for API tokens and tests. */
  sessionId?: string;
};

// The claims a session cookie decodes to are kept per process under the cookie's exact value
// (lib/server/session-claims.ts): Auth.js's decode cost every page view about 2 ms of CPU.
async function sessionClaimsOfRequest(): Promise<SessionClaims | null> {
  return claimsForCookies((await cookies()).getAll(), async () => {
    const session = await auth();
    // The session version is compared in the same query that re-reads the person (lib/server/session.ts).
    const claims =
      session?.user?.id && typeof session.sessionVersion === "number" && typeof session.sessionId === "string"
        ? { id: session.user.id, sessionVersion: session.sessionVersion, sessionId: session.sessionId }
        : null;
    return claims ? { claims, expires: session?.tokenExpires } : null;
  });
}

export const getActor = cache(async (): Promise<Actor | null> => {
  const claims = await sessionClaimsOfRequest();
  if (!claims) return null;
  return actorForSession(claims, clientIp(await headers()));
});

/** For pages: the actor, or a redirect to sign-in that comes back to this page afterwards (a
 * link from a WeCom message lands on its record once the person is signed in). */
export async function requireActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) {
    const here = safeReturnPath((await headers()).get(PATH_HEADER), "");
    redirect(here && here !== "/" ? `/login?callbackUrl=${encodeURIComponent(here)}` : "/login");
  }
  return actor;
}

/** For pages: the actor holding at least one of the permissions, or a 403 page. */
export async function requirePagePermission(...anyOf: Permission[]): Promise<Actor> {
  const actor = await requireActor();
  if (!anyOf.some((p) => actor.permissions.has(p))) forbidden();
  return actor;
}
