import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { attemptSignIn } from "@/lib/auth/sign-in";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { createTestDb, type TestDb } from "../helpers/test-db";

const PASSWORD = "correct horse battery staple";
let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
  const hash = await hashPassword(PASSWORD);
  await db.prisma.$transaction(async (tx) => {
    const dept = await makeDepartment(tx, { name: "总公司", code: "HQ" });
    for (const email of ["ok@example.test", "lock@example.test", "expire@example.test"]) {
      await makeEmployee(tx, { departmentId: dept.id, email, passwordHash: hash });
    }
    await makeEmployee(tx, { departmentId: dept.id, email: "gone@example.test", passwordHash: hash, status: "DEPARTED" });
    await makeEmployee(tx, { departmentId: dept.id, email: "leaving@example.test", passwordHash: hash, status: "OFFBOARDING" });
  });
});
afterAll(async () => db?.close());

describe("sign-in", () => {
  it("accepts the right password, records the attempt and audits the sign-in", async () => {
    const outcome = await attemptSignIn("  OK@Example.test ", PASSWORD, "10.0.0.1");
    expect(outcome).toMatchObject({ ok: true, employee: { email: "ok@example.test" } });
    const attempt = await db.prisma.loginAttempt.findFirst({ where: { email: "ok@example.test" } });
    expect(attempt?.success).toBe(true);
    const event = await db.prisma.auditEvent.findFirst({ where: { action: "auth.signIn" } });
    expect(event?.actorLabel).toBe("ok@example.test");
  });

  it("gives a wrong password, an unknown e-mail and a departed employee the same answer", async () => {
    expect(await attemptSignIn("ok@example.test", "wrong password", "10.0.0.2")).toEqual({ ok: false, reason: "INVALID" });
    expect(await attemptSignIn("nobody@example.test", PASSWORD, "10.0.0.2")).toEqual({ ok: false, reason: "INVALID" });
    expect(await attemptSignIn("gone@example.test", PASSWORD, "10.0.0.2")).toEqual({ ok: false, reason: "INVALID" });
  });

  it("lets an employee who is offboarding (not yet departed) sign in", async () => {
    expect(await attemptSignIn("leaving@example.test", PASSWORD, "10.0.0.3")).toMatchObject({ ok: true });
  });

  it("locks an account for 15 minutes after 5 failures in 15 minutes, even for the right password", async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await attemptSignIn("lock@example.test", "nope", `10.1.0.${i}`));
    expect(results.slice(0, 4).every((r) => !r.ok && r.reason === "INVALID")).toBe(true);
    const fifth = results[4];
    expect(fifth.ok).toBe(false);
    if (fifth.ok || fifth.reason !== "LOCKED") throw new Error("expected LOCKED");
    const fifthAttempt = await db.prisma.loginAttempt.findFirst({ where: { email: "lock@example.test" }, orderBy: { id: "desc" } });
    expect(fifth.until.getTime()).toBe(fifthAttempt!.createdAt.getTime() + 15 * 60_000);

    const withRightPassword = await attemptSignIn("lock@example.test", PASSWORD, "10.1.0.9");
    expect(withRightPassword).toMatchObject({ ok: false, reason: "LOCKED" });
    expect(await db.prisma.auditEvent.count({ where: { action: "auth.lock" } })).toBe(1);
  });

  it("opens the account again once the lock has run out", async () => {
    const longAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    await db.prisma.loginAttempt.createMany({
      data: [20, 19, 18, 17, 16].map((m) => ({ email: "expire@example.test", ip: "10.2.0.1", success: false, createdAt: longAgo(m) })),
    });
    expect(await attemptSignIn("expire@example.test", PASSWORD, "10.2.0.1")).toMatchObject({ ok: true });
  });

  it("does not lock for 5 failures spread over more than 15 minutes", async () => {
    await db.prisma.loginAttempt.createMany({
      data: [29, 22, 14, 7].map((m) => ({ email: "ok@example.test", ip: "10.3.0.1", success: false, createdAt: new Date(Date.now() - m * 60_000) })),
    });
    expect(await attemptSignIn("ok@example.test", "nope", "10.3.0.1")).toEqual({ ok: false, reason: "INVALID" });
  });

  it("slows down an address that fails across many accounts", async () => {
    const ip = "10.9.9.9";
    await db.prisma.loginAttempt.createMany({
      data: Array.from({ length: 20 }, (_, i) => ({ email: `probe${i}@example.test`, ip, success: false, createdAt: new Date(Date.now() - 60_000) })),
    });
    const outcome = await attemptSignIn("ok@example.test", PASSWORD, ip);
    expect(outcome).toMatchObject({ ok: false, reason: "THROTTLED" });
    // The account itself is not locked: from another address the right password works.
    expect(await attemptSignIn("ok@example.test", PASSWORD, "10.9.9.10")).toMatchObject({ ok: true });
  });
});
