import { decode, encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { attemptSignIn } from "@/lib/auth/sign-in";
import { endEmployeeSessions, setEmployeeRoles, updateEmployee } from "@/lib/directory/commands";
import { employeeEndSessionsSchema, employeeRolesSchema, employeeUpdateSchema } from "@/lib/directory/schemas";
import type { Actor } from "@/lib/server/actor";
import { actorForSession, recordSignOut, sessionClaims, sessionJwt } from "@/lib/server/session";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";

// Sessions end on the server (docs/decisions/0003-sign-in-and-sessions.md). Each test signs a
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

  it("is refused on every device after a sign-out on one", async () => {
    await person("twodevices@example.test");
    const laptop = await signInCookie("twodevices@example.test");
    const phone = await signInCookie("twodevices@example.test");
    await recordSignOut((await replay(laptop))!);
    expect(await replay(phone)).toBeNull();
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
    expect(event).toMatchObject({ actorId: admin.id, before: { sessionVersion: before }, after: { sessionVersion: before + 1 } });
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

  it("without a session version (a cookie from before versions existed) counts as signed out", async () => {
    const p = await person("legacy@example.test");
    const legacy = await encode({ token: { sub: p.id }, secret: SECRET, salt: SALT });
    expect(await replay(legacy)).toBeNull();
  });
});
