import "server-only";
import { verify } from "@node-rs/argon2";
import { db } from "@/lib/server/db";
import { serverEnv } from "@/lib/server/env";
import { writeAuditEvent } from "@/lib/server/audit-write";
import { openSession, type SignedInUser } from "@/lib/server/session";
import { DUMMY_PASSWORD_HASH } from "./password";
import { signInClosed } from "./access-rule";

export type SignInOutcome =
  | { ok: true; employee: SignedInUser }
  | { ok: false; reason: "INVALID" }
  | { ok: false; reason: "LOCKED" | "THROTTLED"; until: Date };

/**
 * When a key (an e-mail, or an address) has `max` failures inside the window, it is blocked until
 * `lockMinutes` after the failure that reached the limit. Counting from the rows keeps the rule
 * correct across several server processes without any in-memory state.
 */
async function blockedUntil(key: "email" | "ip", value: string, max: number, now: Date): Promise<Date | null> {
  const env = serverEnv();
  const windowStart = new Date(now.getTime() - (env.LOGIN_WINDOW_MINUTES + env.LOGIN_LOCK_MINUTES) * 60_000);
  const failures = await db().loginAttempt.findMany({
    where: { [key]: value, success: false, createdAt: { gte: windowStart } },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
    take: max * 4,
  });
  // Walk the failures oldest first; the lock starts at the first failure that makes `max` inside
  // the window and lasts lockMinutes from then.
  const times = failures.map((f) => f.createdAt.getTime()).reverse();
  let until: number | null = null;
  for (let i = max - 1; i < times.length; i++) {
    if (times[i] - times[i - max + 1] <= env.LOGIN_WINDOW_MINUTES * 60_000) {
      const candidate = times[i] + env.LOGIN_LOCK_MINUTES * 60_000;
      if (until === null || candidate > until) until = candidate;
    }
  }
  return until !== null && until > now.getTime() ? new Date(until) : null;
}

/** Passwords may be turned off (/settings/sign-in) for everyone but the named break-glass ADMIN. */
async function passwordAllowedFor(employeeId: string | undefined): Promise<boolean> {
  const settings = await db().signInSettings.findUnique({ where: { id: "default" }, select: { passwordEnabled: true, breakGlassEmployeeId: true } });
  if (!settings || settings.passwordEnabled) return true;
  if (!employeeId || settings.breakGlassEmployeeId !== employeeId) return false;
  const admin = await db().employeeRole.findUnique({ where: { employeeId_role: { employeeId, role: "ADMIN" } }, select: { role: true } });
  return Boolean(admin);
}

export async function attemptSignIn(rawEmail: string, password: string, ip: string, userAgent: string | null = null): Promise<SignInOutcome> {
  const env = serverEnv();
  const email = rawEmail.trim().toLowerCase();
  const now = new Date();

  const ipBlock = await blockedUntil("ip", ip, env.LOGIN_MAX_FAILURES_PER_ADDRESS, now);
  if (ipBlock) return { ok: false, reason: "THROTTLED", until: ipBlock };
  const accountLock = await blockedUntil("email", email, env.LOGIN_MAX_FAILURES, now);
  if (accountLock) return { ok: false, reason: "LOCKED", until: accountLock };

  const employee = await db().employee.findUnique({
    where: { email },
    select: { id: true, name: true, email: true, status: true, leaveDate: true, passwordHash: true, sessionVersion: true },
  });
  // Verify against a dummy hash when there is no such person, so timing does not reveal which
  // e-mails exist; a departed employee gets the same answer as a wrong password.
  const hash = employee?.passwordHash ?? DUMMY_PASSWORD_HASH;
  const passwordOk = await verify(hash, password).catch(() => false);
  // With passwords turned off, only the break-glass ADMIN's counts; anyone else gets the answer
  // of a wrong password (and the attempt counts towards the lock-out as one).
  const allowed = await passwordAllowedFor(employee?.id);
  const ok = Boolean(employee && employee.passwordHash && passwordOk && !signInClosed(employee, now) && allowed);

  await db().loginAttempt.create({ data: { email, ip, success: ok, createdAt: now } });
  if (!ok || !employee) {
    const lockedNow = await blockedUntil("email", email, env.LOGIN_MAX_FAILURES, new Date(now.getTime() + 1));
    if (lockedNow && employee) {
      await db().$transaction((tx) =>
        writeAuditEvent(tx, { id: null, label: "system", ip }, {
          action: "auth.lock",
          entityType: "Employee",
          entityId: employee.id,
          after: { lockedUntil: lockedNow },
        }),
      );
    }
    if (lockedNow) return { ok: false, reason: "LOCKED", until: lockedNow };
    return { ok: false, reason: "INVALID" };
  }
  // The session row and the version go into the cookie (lib/server/session.ts): ending the row or
  // raising the version ends this session.
  const sessionId = await db().$transaction(async (tx) => {
    const id = await openSession(tx, { employeeId: employee.id, method: "PASSWORD", sessionVersion: employee.sessionVersion, ip, userAgent });
    await writeAuditEvent(tx, { id: employee.id, label: employee.email, ip }, {
      action: "auth.signIn",
      entityType: "Employee",
      entityId: employee.id,
      after: { method: "PASSWORD", sessionId: id },
    });
    return id;
  });
  return { ok: true, employee: { id: employee.id, name: employee.name, email: employee.email, sessionVersion: employee.sessionVersion, sessionId } };
}
