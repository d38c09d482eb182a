import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { attemptSignIn } from "@/lib/auth/sign-in";
import { authenticateBearer, hashToken } from "@/lib/api-tokens/tokens";
import { clientIp, PEER_HEADER } from "@/lib/server/client-ip";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { createTestDb, type TestDb } from "../helpers/test-db";

// Issue 13 item 10: the address of a request is the peer's unless a trusted proxy forwards it, so
// a client that rotates X-Forwarded-For stays one address to the sign-in throttle, the login
// attempts and the API token's audit trail. The request headers are those the app receives
// behind scripts/serve.mjs (PEER_HEADER set from the socket); TRUSTED_PROXIES is unset.

let db: TestDb;
const PEER = "203.0.113.77";
const sprayRequest = (i: number) => new Headers({ [PEER_HEADER]: PEER, "x-forwarded-for": `100.64.${i}.${i}`, "x-real-ip": `100.65.${i}.1`, forwarded: `for=100.66.${i}.1` });

beforeAll(async () => {
  delete process.env.TRUSTED_PROXIES;
  db = await createTestDb();
  await db.prisma.$transaction(async (tx) => {
    const dept = await makeDepartment(tx, { name: "总公司", code: "HQ" });
    await makeEmployee(tx, { departmentId: dept.id, email: "sprayed@example.test", passwordHash: await hashPassword("a long correct password") });
  });
});
afterAll(async () => db?.close());

describe("the client's address", () => {
  it("rotating X-Forwarded-For (and X-Real-IP, Forwarded) does not escape the per-address sign-in throttle", async () => {
    // Password spraying: one wrong password each for 21 different e-mails (no account lock),
    // each attempt claiming another address.
    const outcomes = [];
    for (let i = 0; i < 21; i++) outcomes.push(await attemptSignIn(`victim${i}@example.test`, "Spring2026!", clientIp(sprayRequest(i))));
    expect(outcomes.slice(0, 20).every((o) => !o.ok && o.reason === "INVALID")).toBe(true);
    expect(outcomes[20]).toMatchObject({ ok: false, reason: "THROTTLED" });
    // Even the right password of a real account is refused from that address now.
    expect(await attemptSignIn("sprayed@example.test", "a long correct password", clientIp(sprayRequest(99)))).toMatchObject({ ok: false, reason: "THROTTLED" });
    // The login attempts record the peer, never a forged address.
    const ips = await db.prisma.loginAttempt.findMany({ distinct: ["ip"], select: { ip: true } });
    expect(ips.map((r) => r.ip)).toEqual([PEER]);
  });

  it("an API token's request is audited with the peer's address, not the one it claims", async () => {
    const employee = await db.prisma.employee.findFirstOrThrow({ where: { email: "sprayed@example.test" } });
    const token = "wgp_clientaddresstesttoken0000000000000000";
    await db.prisma.apiToken.create({ data: { name: "t", prefix: token.slice(0, 12), tokenHash: hashToken(token), ownerId: employee.id, createdById: employee.id } });
    const request = new Request("http://localhost/api/v1/consents/check", { headers: { authorization: `Bearer ${token}`, [PEER_HEADER]: PEER, "x-forwarded-for": "1.2.3.4" } });
    expect((await authenticateBearer(db.prisma, request))?.ip).toBe(PEER);
  });
});
