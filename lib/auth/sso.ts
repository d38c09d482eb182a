import { writeAuditEvent } from "@/lib/server/audit-write";
import type { DbClient } from "@/lib/server/prisma-client";
import { openSession, type SignedInUser, type SignInMethod } from "@/lib/server/session";
import type { FlowMethod, FlowRefusal } from "./flows";
import { redeemGrant } from "./flows";
import { signInClosed } from "./access-rule";

// What the WeCom and OIDC sign-ins share (docs/sign-in.md): the reasons a sign-in is refused
// (each has a message on /login/refused), the audit of a refusal, and the last step — the Auth.js
// provider redeems the single-use grant, the person is read again, a session row is opened and
// the sign-in is audited with its method.

export type SsoRefusal =
  | FlowRefusal
  | "NOT_OFFERED" // the method is not offered (any more)
  | "NOT_CONFIGURED" // offered, but its connection is incomplete
  | "CODE_INVALID" // WeCom: 40029 (unknown, used or expired code); OIDC: the token endpoint refused the code
  | "PROVIDER_ERROR" // WeCom or the identity provider answered with an error, or could not be reached
  | "CANCELLED" // the person declined at the identity provider
  | "TOKEN_INVALID" // the ID token's signature, issuer, audience or form is wrong
  | "TOKEN_EXPIRED"
  | "NONCE" // the ID token was not issued for this sign-in
  | "EMAIL_UNVERIFIED"
  | "UNKNOWN" // nobody here has this WeCom userid / e-mail / employee number
  | "DEPARTED"
  | "DISABLED" // WeCom reports the member disabled or not activated
  | "RATE_LIMITED"; // too many sign-in requests from this address in a minute (./rate-limit.ts)

export const SSO_REFUSALS: readonly SsoRefusal[] = [
  "STATE",
  "EXPIRED",
  "USED",
  "CODE_REPLAYED",
  "NOT_OFFERED",
  "NOT_CONFIGURED",
  "CODE_INVALID",
  "PROVIDER_ERROR",
  "CANCELLED",
  "TOKEN_INVALID",
  "TOKEN_EXPIRED",
  "NONCE",
  "EMAIL_UNVERIFIED",
  "UNKNOWN",
  "DEPARTED",
  "DISABLED",
  "RATE_LIMITED",
];

export type SsoOutcome = { ok: true; grant: string; returnTo: string; employeeId: string; method: FlowMethod } | { ok: false; reason: SsoRefusal; returnTo: string | null };

export type RequestInfo = { ip: string | null; userAgent: string | null };

/** A refused sign-in, audited: the method, the reason, and the person when known. */
export async function recordRefusal(client: DbClient, input: { method: FlowMethod; reason: SsoRefusal; employeeId?: string | null; flowId?: string | null; ip: string | null; detail?: Record<string, unknown> }): Promise<void> {
  await client.$transaction((tx) =>
    writeAuditEvent(tx, { id: null, label: "system", ip: input.ip }, {
      action: "auth.signInRefused",
      entityType: input.employeeId ? "Employee" : "SignInFlow",
      entityId: input.employeeId ?? input.flowId ?? "-",
      after: { method: input.method, reason: input.reason, ...input.detail },
    }),
  );
}

/** Refuses the outcome and records why. */
export async function refuse(client: DbClient, method: FlowMethod, reason: SsoRefusal, ctx: RequestInfo & { returnTo?: string | null; flowId?: string | null; employeeId?: string | null; detail?: Record<string, unknown> }): Promise<SsoOutcome> {
  await recordRefusal(client, { method, reason, employeeId: ctx.employeeId, flowId: ctx.flowId, ip: ctx.ip, detail: ctx.detail });
  return { ok: false, reason, returnTo: ctx.returnTo ?? null };
}

/** Which of our people may sign in: known, and not departed — nor past the departure instant of
 * their last working day (./access-rule.ts; the same rule as the password). */
export function refusalFor(employee: { status: string; leaveDate: Date | null } | null, now = new Date()): "UNKNOWN" | "DEPARTED" | null {
  if (!employee) return "UNKNOWN";
  if (signInClosed(employee, now)) return "DEPARTED";
  return null;
}

/** The Auth.js provider's authorize(): the grant's person, signed in — a session row opened and the
 * sign-in audited with its method, in one transaction. Null for a used, expired or unknown grant,
 * or a person who departed meanwhile. */
export async function redeemSignIn(client: DbClient, grant: unknown, methods: FlowMethod[], req: RequestInfo): Promise<SignedInUser | null> {
  if (typeof grant !== "string") return null;
  const redeemed = await redeemGrant(client, grant, methods);
  if (!redeemed) return null;
  return client.$transaction(async (tx) => {
    const employee = await tx.employee.findUnique({ where: { id: redeemed.employeeId }, select: { id: true, name: true, email: true, status: true, leaveDate: true, sessionVersion: true } });
    if (!employee || signInClosed(employee)) return null;
    const method: SignInMethod = redeemed.method;
    const sessionId = await openSession(tx, { employeeId: employee.id, method, sessionVersion: employee.sessionVersion, ip: req.ip, userAgent: req.userAgent });
    await writeAuditEvent(tx, { id: employee.id, label: employee.email, ip: req.ip }, { action: "auth.signIn", entityType: "Employee", entityId: employee.id, after: { method, sessionId } });
    return { id: employee.id, name: employee.name, email: employee.email, sessionVersion: employee.sessionVersion, sessionId };
  });
}
