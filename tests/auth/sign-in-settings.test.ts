import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { linkWeComUserid } from "@/lib/auth/session-commands";
import { attemptSignIn } from "@/lib/auth/sign-in";
import { signInSettingsSchema, weComLinkSchema } from "@/lib/auth/sign-in-schemas";
import { loadOidcClient, loadSignInSettings, offeredMethods, saveSignInSettings } from "@/lib/auth/sign-in-settings";
import { encrypt } from "@/lib/pii";
import type { Actor } from "@/lib/server/actor";
import { activeSessions } from "@/lib/server/session";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { usePiiKey } from "../wecom/helpers";

// /settings/sign-in (ADMIN, audited): which methods are offered, passwords off for everyone but a
// named break-glass ADMIN, the OIDC client secret encrypted at rest; and the WeCom link on a
// person's page.

const PASSWORD = "a long enough password!";
let db: TestDb;
let admin: Actor;
let hr: Actor;
let deptId: string;
let adminEmail: string;

const base = { passwordEnabled: "on", oidcIssuer: "", oidcClientId: "", oidcMatchBy: "EMAIL", portalUrl: "" };
const save = async (actor: Actor, fields: Record<string, unknown>) => {
  const version = (await loadSignInSettings(db.prisma)).version;
  return run(db.prisma, actor, signInSettingsSchema, { version: String(version), ...base, ...fields }, saveSignInSettings);
};

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  const hash = await hashPassword(PASSWORD);
  await db.prisma.$transaction(async (tx) => {
    deptId = (await makeDepartment(tx, { name: "总公司", code: "HQ" })).id;
    const a = await makeEmployee(tx, { departmentId: deptId, email: "root@example.test", roles: ["ADMIN", "EMPLOYEE"], passwordHash: hash });
    const h = await makeEmployee(tx, { departmentId: deptId, email: "hr@example.test", roles: ["HR", "EMPLOYEE"], passwordHash: hash });
    await makeEmployee(tx, { departmentId: deptId, email: "staff@example.test", passwordHash: hash });
    await makeEmployee(tx, { departmentId: deptId, email: "nopw-admin@example.test", roles: ["ADMIN"] });
    adminEmail = a.email;
    admin = await actorFor(tx as never, a.id);
    hr = await actorFor(tx as never, h.id);
  });
});
afterAll(async () => db?.close());

describe("the methods offered", () => {
  it("default to passwords only", async () => {
    expect(await offeredMethods(db.prisma)).toEqual({ password: true, wecomOauth: false, wecomQr: false, oidc: false });
  });

  it("are ADMIN's to change", async () => {
    expect(await save(hr, {})).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("refuse WeCom before the WeCom connection has a corp id, agent id and app secret", async () => {
    expect(await save(admin, { wecomQrEnabled: "on" })).toMatchObject({ ok: false, field: "wecomQrEnabled", messageKey: "signIn.settings.wecomNotConfigured" });
    await db.prisma.weComSettings.create({ data: { id: "default", corpId: "ww1", agentId: "1000002", customerSecretCipher: encrypt("app-secret") } });
    expect(await save(admin, { wecomQrEnabled: "on", wecomOauthEnabled: "on" })).toMatchObject({ ok: true });
    expect(await offeredMethods(db.prisma)).toMatchObject({ wecomOauth: true, wecomQr: true });
  });

  it("keep the OIDC client secret encrypted, never show or audit it, and need issuer, client id and secret", async () => {
    expect(await save(admin, { oidcEnabled: "on", oidcIssuer: "https://sso.example.com/realms/staff", oidcClientId: "portal" })).toMatchObject({ ok: false, field: "oidcClientSecret" });
    expect(await save(admin, { oidcEnabled: "on", oidcIssuer: "http://sso.example.com", oidcClientId: "portal", oidcClientSecret: "s3cret-value-9876" })).toMatchObject({ ok: false, code: "VALIDATION" });
    const saved = await save(admin, { oidcEnabled: "on", oidcIssuer: "https://sso.example.com/realms/staff/", oidcClientId: "portal", oidcClientSecret: "s3cret-value-9876" });
    expect(saved.ok).toBe(true);
    const row = await db.prisma.signInSettings.findUniqueOrThrow({ where: { id: "default" } });
    expect(row.oidcClientSecretCipher?.startsWith("v1.")).toBe(true);
    expect(JSON.stringify(row)).not.toContain("s3cret-value-9876");
    expect((await loadOidcClient(db.prisma))?.clientSecret).toBe("s3cret-value-9876");
    expect((await loadOidcClient(db.prisma))?.issuer).toBe("https://sso.example.com/realms/staff");
    const view = await loadSignInSettings(db.prisma);
    expect(view.oidcSecret).toEqual({ set: true, last4: "9876" });
    expect(JSON.stringify(view)).not.toContain("s3cret");
    const events = await db.prisma.auditEvent.findMany({ where: { action: "signIn.settings.update" } });
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events.map((e) => [e.before, e.after]))).not.toContain("s3cret-value");
    // Saved again without a secret: the stored one is kept.
    expect(await save(admin, { oidcEnabled: "on", oidcIssuer: "https://sso.example.com/realms/staff", oidcClientId: "portal" })).toMatchObject({ ok: true });
    expect((await loadOidcClient(db.prisma))?.clientSecret).toBe("s3cret-value-9876");
  });

  it("refuse just-in-time creation without a department", async () => {
    expect(await save(admin, { oidcJitEnabled: "on" })).toMatchObject({ ok: false, field: "oidcJitDepartmentId" });
  });
});

describe("passwords turned off", () => {
  it("need a named break-glass ADMIN with a password, and another method", async () => {
    expect(await save(admin, { passwordEnabled: "", wecomQrEnabled: "on" })).toMatchObject({ ok: false, field: "breakGlassEmail", messageKey: "signIn.settings.breakGlassRequired" });
    expect(await save(admin, { passwordEnabled: "", wecomQrEnabled: "on", breakGlassEmail: "hr@example.test" })).toMatchObject({ ok: false, messageKey: "signIn.settings.breakGlassNotAdmin" });
    expect(await save(admin, { passwordEnabled: "", wecomQrEnabled: "on", breakGlassEmail: "nopw-admin@example.test" })).toMatchObject({ ok: false, messageKey: "signIn.settings.breakGlassNoPassword" });
    expect(await save(admin, { passwordEnabled: "", breakGlassEmail: adminEmail })).toMatchObject({ ok: false, messageKey: "signIn.settings.oneMethod" });
  });

  it("leave only the break-glass ADMIN signing in with a password, with the answer of a wrong password for everyone else", async () => {
    expect(await save(admin, { passwordEnabled: "", wecomQrEnabled: "on", breakGlassEmail: adminEmail })).toMatchObject({ ok: true });
    expect(await offeredMethods(db.prisma)).toMatchObject({ password: false, wecomQr: true });
    expect(await attemptSignIn("staff@example.test", PASSWORD, "10.40.0.1")).toEqual({ ok: false, reason: "INVALID" });
    expect(await attemptSignIn("hr@example.test", PASSWORD, "10.40.0.1")).toEqual({ ok: false, reason: "INVALID" });
    const root = await attemptSignIn(adminEmail, PASSWORD, "10.40.0.1");
    expect(root.ok).toBe(true);
    // The break-glass ADMIN who loses the ADMIN role loses the password too.
    await db.prisma.employeeRole.delete({ where: { employeeId_role: { employeeId: admin.id, role: "ADMIN" } } });
    expect(await attemptSignIn(adminEmail, PASSWORD, "10.40.0.1")).toEqual({ ok: false, reason: "INVALID" });
    await db.prisma.employeeRole.create({ data: { employeeId: admin.id, role: "ADMIN" } });
    expect((await attemptSignIn(adminEmail, PASSWORD, "10.40.0.1")).ok).toBe(true);
    // Passwords on again: everyone's works.
    expect(await save(admin, { passwordEnabled: "on", breakGlassEmail: adminEmail })).toMatchObject({ ok: true });
    expect((await attemptSignIn("staff@example.test", PASSWORD, "10.40.0.2")).ok).toBe(true);
  });
});

describe("a person's WeCom link", () => {
  it("is ADMIN's to set, unique, audited, and a change of member ends the person's sessions", async () => {
    const staff = await db.prisma.employee.findUniqueOrThrow({ where: { email: "staff@example.test" } });
    expect(await run(db.prisma, hr, weComLinkSchema, { employeeId: staff.id, wecomUserid: "zhangsan" }, linkWeComUserid)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await run(db.prisma, admin, weComLinkSchema, { employeeId: staff.id, wecomUserid: "zhangsan" }, linkWeComUserid)).toMatchObject({ ok: true });
    expect(await run(db.prisma, admin, weComLinkSchema, { employeeId: admin.id, wecomUserid: "zhangsan" }, linkWeComUserid)).toMatchObject({ ok: false, code: "CONFLICT", field: "wecomUserid" });
    expect(await run(db.prisma, admin, weComLinkSchema, { employeeId: staff.id, wecomUserid: "bad id!" }, linkWeComUserid)).toMatchObject({ ok: false, code: "VALIDATION" });
    await attemptSignIn("staff@example.test", PASSWORD, "10.40.0.3");
    expect((await activeSessions(db.prisma, staff.id)).length).toBeGreaterThan(0);
    expect(await run(db.prisma, admin, weComLinkSchema, { employeeId: staff.id, wecomUserid: "lisi" }, linkWeComUserid)).toMatchObject({ ok: true });
    expect(await activeSessions(db.prisma, staff.id)).toHaveLength(0);
    const event = await db.prisma.auditEvent.findFirst({ where: { action: "employee.wecomLink", entityId: staff.id }, orderBy: { id: "desc" } });
    expect(event).toMatchObject({ before: { wecomUserid: "zhangsan" }, after: { wecomUserid: "lisi" } });
  });
});
