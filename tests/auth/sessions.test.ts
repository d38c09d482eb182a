import { decode, encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { attemptSignIn } from "@/lib/auth/sign-in";
import { endOneSession } from "@/lib/auth/session-commands";
import { endSessionSchema } from "@/lib/auth/sign-in-schemas";
import { endEmployeeSessions, setEmployeeRoles, updateEmployee } from "@/lib/directory/commands";
import { employeeEndSessionsSchema, employeeRolesSchema, employeeUpdateSchema } from "@/lib/directory/schemas";
import type { Actor } from "@/lib/server/actor";
import { activeSessions, actorForSession, recordSignOut, sessionClaims, sessionJwt } from "@/lib/server/session";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";

// Sessions end on the server (docs/decisions/0003-sign-in-and-sessions.md, 0009). Each test signs a
// person in, keeps a copy of the session cookie exactly as Auth.js writes it (an encrypted JWT made
// by the app's own jwt callback), does the thing that must end the session, then replays the copy
// through what every request runs (decode, the session claims, the actor re-read): it is refused.

const PASSWORD = "old password, twelve+";
const SECRET = "test-secret-for-session-cookies-0123456789";
const SALT = "authjs.session-token";

let db: TestDb;
let admin: Actor;
let hr: Actor;
let deptId: string;

async function person(email: string, roles: ("EMPLOYEE" | "MANAGER" | "HR" | "ADMIN")[] = ["EMPLOYEE"]) {
  const hash = await hashPassword(PASSWORD);
  return db.prisma.$transaction((tx) => makeEmployee(tx, { departmentId: deptId, email, passwordHash: hash, roles }));
}

/** Signs in with the password and returns the cookie value the browser would hold. */
async function signInCookie(email: string, password = PASSWORD): Promise<string> {
  const outcome = await attemptSignIn(email, password, "10.9.0.1");
  if (!outcome.ok) throw new Error(`sign-in failed: ${outcome.reason}`);
  return encode({ token: sessionJwt({}, outcome.employee), secret: SECRET, salt: SALT });
}

/** A request carrying this cookie: who the server takes it to be, or null (signed out). */
async function replay(cookie: string): Promise<Actor | null> {
  const token = await decode({ token: cookie, secret: SECRET, salt: SALT });
  return actorForSession(sessionClaims(token), "10.9.0.1");
}

const versionOf = async (id: string) => (await db.prisma.employee.findUniqueOrThrow({ where: { id }, select: { sessionVersion: true } })).sessionVersion;

beforeAll(async () => {
  db = await createTestDb();
  const hq = await db.prisma.$transaction((tx) => makeDepartment(tx, { name: "总公司", code: "HQ" }));
  deptId = hq.id;
  const a = await person("admin@example.test", ["ADMIN", "EMPLOYEE"]);
  const h = await person("hr@example.test", ["HR", "EMPLOYEE"]);
  admin = await actorFor(db.prisma, a.id);
  hr = await actorFor(db.prisma, h.id);
});
afterAll(async () => db?.close());

describe("a copied session cookie", () => {
  it("works while the session lasts, and for every request", async () => {
    const p = await person("works@example.test");
    const cookie = await signInCookie("works@example.test");
    expect((await replay(cookie))?.id).toBe(p.id);
    expect((await replay(cookie))?.id).toBe(p.id);
  });

  it("is refused after the person signs out, while a new sign-in works", async () => {
    const p = await person("signout@example.test");
    const cookie = await signInCookie("signout@example.test");
    const copy = cookie;
    const actor = await replay(cookie);
    expect(actor?.id).toBe(p.id);
    await recordSignOut(actor!);
    expect(await replay(copy)).toBeNull();
    const event = await db.prisma.auditEvent.findFirst({ where: { action: "auth.signOut", entityId: p.id } });
    expect(event?.actorId).toBe(p.id);
    // Signing in again gives a cookie that works; the old one stays refused.
    const fresh = await signInCookie("signout@example.test");
    expect((await replay(fresh))?.id).toBe(p.id);
    expect(await replay(copy)).toBeNull();
  });

  it("is refused after sign-out on that device only: the person's other sessions go on", async () => {
    const p = await person("twodevices@example.test");
    const laptop = await signInCookie("twodevices@example.test");
    const phone = await signInCookie("twodevices@example.test");
    expect((await activeSessions(db.prisma, p.id)).map((s) => s.method)).toEqual(["PASSWORD", "PASSWORD"]);
    await recordSignOut((await replay(laptop))!);
    expect(await replay(laptop)).toBeNull();
    expect((await replay(phone))?.id).toBe(p.id);
    const row = await db.prisma.authSession.findFirstOrThrow({ where: { employeeId: p.id, endedAt: { not: null } } });
    expect(row).toMatchObject({ endedReason: "SIGN_OUT", endedById: p.id });
    expect(await activeSessions(db.prisma, p.id)).toHaveLength(1);
  });

  it("is refused once its row has expired, and keeps the row alive while it is used", async () => {
    const p = await person("expiry@example.test");
    const cookie = await signInCookie("expiry@example.test");
    const row = await db.prisma.authSession.findFirstOrThrow({ where: { employeeId: p.id } });
    // Last seen long ago: the next request records the visit and moves the expiry on.
    await db.prisma.authSession.update({ where: { id: row.id }, data: { lastSeenAt: new Date(Date.now() - 3_600_000) } });
    expect((await replay(cookie))?.id).toBe(p.id);
    const touched = await db.prisma.authSession.findUniqueOrThrow({ where: { id: row.id } });
    expect(touched.lastSeenAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(touched.expiresAt.getTime()).toBeGreaterThanOrEqual(row.expiresAt.getTime());
    await db.prisma.authSession.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await replay(cookie)).toBeNull();
    expect(await activeSessions(db.prisma, p.id)).toHaveLength(0);
  });

  it("is refused when it names another person's session row, or a row that does not exist", async () => {
    const a = await person("rowa@example.test");
    await person("rowb@example.test");
    const bCookie = await signInCookie("rowb@example.test");
    const bToken = (await decode({ token: bCookie, secret: SECRET, salt: SALT }))!;
    const aVersion = await versionOf(a.id);
    const forged = await encode({ token: { sub: a.id, sv: aVersion, sid: bToken.sid }, secret: SECRET, salt: SALT });
    expect(await replay(forged)).toBeNull();
    const missing = await encode({ token: { sub: a.id, sv: aVersion, sid: "no-such-session-row-000" }, secret: SECRET, salt: SALT });
    expect(await replay(missing)).toBeNull();
  });

  it("is refused after an ADMIN ends that one session (audited); the person's other session goes on", async () => {
    const p = await person("endone@example.test");
    const lost = await signInCookie("endone@example.test");
    const kept = await signInCookie("endone@example.test");
    const sid = (await decode({ token: lost, secret: SECRET, salt: SALT }))!.sid as string;
    const listed = await activeSessions(db.prisma, p.id);
    expect(listed.map((s) => s.id)).toContain(sid);
    expect(listed[0]).toMatchObject({ method: "PASSWORD", ip: "10.9.0.1" });
    const refused = await run(db.prisma, hr, endSessionSchema, { employeeId: p.id, sessionId: sid }, endOneSession);
    expect(refused).toMatchObject({ ok: false, code: "FORBIDDEN" });
    const ended = await run(db.prisma, admin, endSessionSchema, { employeeId: p.id, sessionId: sid }, endOneSession);
    expect(ended.ok).toBe(true);
    expect(await replay(lost)).toBeNull();
    expect((await replay(kept))?.id).toBe(p.id);
    const event = await db.prisma.auditEvent.findFirst({ where: { action: "employee.endSession", entityId: p.id } });
    expect(event).toMatchObject({ actorId: admin.id, after: { sessionId: sid, method: "PASSWORD" } });
    const again = await run(db.prisma, admin, endSessionSchema, { employeeId: p.id, sessionId: sid }, endOneSession);
    expect(again).toMatchObject({ ok: false, code: "INVALID_STATE" });
  });

  it("is refused after the password changes, however it is changed", async () => {
    const p = await person("password@example.test");
    const cookie = await signInCookie("password@example.test");
    const other = await signInCookie("password@example.test");
    // Through Prisma, as a future password form or a script would.
    await db.prisma.employee.update({ where: { id: p.id }, data: { passwordHash: await hashPassword("a brand new password!") } });
    expect(await replay(cookie)).toBeNull();
    const fresh = await signInCookie("password@example.test", "a brand new password!");
    expect((await replay(fresh))?.id).toBe(p.id);
    // In SQL by hand: removing the password ends the new session too.
    await db.prisma.$executeRaw`UPDATE employees SET password_hash = NULL WHERE id = ${p.id}`;
    expect(await replay(fresh)).toBeNull();
    expect(await replay(other)).toBeNull();
  });

  it("is refused after the person loses a role, and still works after they gain one", async () => {
    const p = await person("role@example.test", ["MANAGER", "EMPLOYEE"]);
    const cookie = await signInCookie("role@example.test");
    const granted = await run(db.prisma, admin, employeeRolesSchema, { id: p.id, roles: ["MANAGER", "EMPLOYEE", "HR"] }, setEmployeeRoles);
    expect(granted.ok).toBe(true);
    expect((await replay(cookie))?.roles.sort()).toEqual(["EMPLOYEE", "HR", "MANAGER"]);
    const revoked = await run(db.prisma, admin, employeeRolesSchema, { id: p.id, roles: ["EMPLOYEE", "HR"] }, setEmployeeRoles);
    expect(revoked.ok).toBe(true);
    expect(await replay(cookie)).toBeNull();
    // Directly in the table too (the rule is the database's, not one command's).
    const fresh = await signInCookie("role@example.test");
    await db.prisma.employeeRole.delete({ where: { employeeId_role: { employeeId: p.id, role: "HR" } } });
    expect(await replay(fresh)).toBeNull();
  });

  it("is refused after departure, and stays refused if the person is made active again", async () => {
    const p = await person("departs@example.test");
    const cookie = await signInCookie("departs@example.test");
    const current = await db.prisma.employee.findUniqueOrThrow({ where: { id: p.id } });
    const base = { id: p.id, name: current.name, email: current.email, departmentId: deptId, hireDate: "2024-01-02" };
    const left = await run(db.prisma, admin, employeeUpdateSchema, { ...base, version: String(current.version), status: "DEPARTED", leaveDate: "2026-11-30" }, updateEmployee);
    expect(left.ok).toBe(true);
    expect(await replay(cookie)).toBeNull();
    const back = await run(db.prisma, admin, employeeUpdateSchema, { ...base, version: String(current.version + 1), status: "ACTIVE" }, updateEmployee);
    expect(back.ok).toBe(true);
    expect(await replay(cookie)).toBeNull();
  });

  it("is refused after a leaver becomes DEPARTED outside the directory form, even if the status is reverted", async () => {
    const p = await person("sweep@example.test");
    const cookie = await signInCookie("sweep@example.test");
    await db.prisma.employee.update({ where: { id: p.id }, data: { status: "OFFBOARDING" } });
    expect((await replay(cookie))?.id).toBe(p.id);
    // However the status gets to DEPARTED (here in SQL, as the sweep does in its own statement).
    await db.prisma.$executeRaw`UPDATE employees SET status = 'DEPARTED' WHERE id = ${p.id}`;
    await db.prisma.$executeRaw`UPDATE employees SET status = 'ACTIVE' WHERE id = ${p.id}`;
    expect(await replay(cookie)).toBeNull();
  });

  it("is refused after an ADMIN ends the person's sessions, which is audited", async () => {
    const p = await person("ended@example.test");
    const cookie = await signInCookie("ended@example.test");
    const before = await versionOf(p.id);
    const outcome = await run(db.prisma, admin, employeeEndSessionsSchema, { id: p.id }, endEmployeeSessions);
    expect(outcome.ok).toBe(true);
    expect(await replay(cookie)).toBeNull();
    const event = await db.prisma.auditEvent.findFirst({ where: { action: "employee.endSessions", entityId: p.id } });
    expect(event).toMatchObject({ actorId: admin.id, before: { sessionVersion: before }, after: { sessionVersion: before + 1, sessionsEnded: 1 } });
    expect(await activeSessions(db.prisma, p.id)).toHaveLength(0);
    // The person signs in again and carries on.
    expect((await replay(await signInCookie("ended@example.test")))?.id).toBe(p.id);
  });

  it("is not ended by HR (ADMIN only), nor by an unrelated edit", async () => {
    const p = await person("kept@example.test");
    const cookie = await signInCookie("kept@example.test");
    const refused = await run(db.prisma, hr, employeeEndSessionsSchema, { id: p.id }, endEmployeeSessions);
    expect(refused).toMatchObject({ ok: false, code: "FORBIDDEN" });
    const current = await db.prisma.employee.findUniqueOrThrow({ where: { id: p.id } });
    const renamed = await run(
      db.prisma,
      admin,
      employeeUpdateSchema,
      { id: p.id, version: String(current.version), name: "改了名字", email: current.email, departmentId: deptId, hireDate: "2024-01-02", status: "ACTIVE" },
      updateEmployee,
    );
    expect(renamed.ok).toBe(true);
    expect((await replay(cookie))?.name).toBe("改了名字");
  });

  it("without a session version or a session row (a cookie from before they existed) counts as signed out", async () => {
    const p = await person("legacy@example.test");
    const legacy = await encode({ token: { sub: p.id }, secret: SECRET, salt: SALT });
    expect(await replay(legacy)).toBeNull();
    const noRow = await encode({ token: { sub: p.id, sv: await versionOf(p.id) }, secret: SECRET, salt: SALT });
    expect(await replay(noRow)).toBeNull();
  });

  it("opens a session row per sign-in, audited with its method", async () => {
    const p = await person("audited@example.test");
    await signInCookie("audited@example.test");
    const event = await db.prisma.auditEvent.findFirst({ where: { action: "auth.signIn", entityId: p.id } });
    const row = await db.prisma.authSession.findFirstOrThrow({ where: { employeeId: p.id } });
    expect(event?.after).toEqual({ method: "PASSWORD", sessionId: row.id });
    expect(row).toMatchObject({ method: "PASSWORD", ip: "10.9.0.1", endedAt: null });
  });
});
