import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_STATUSES, ACCOUNT_TYPES } from "@/lib/accounts/schemas";
import { decrypt } from "@/lib/pii";
import { seedDemo } from "@/prisma/seed";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { usePiiKey } from "./helpers";

// The demo organisation's accounts (lib/accounts/demo-seed.ts, run at the end of seedDemo).

let db: TestDb;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  expect(await seedDemo(db.prisma, () => {})).toBe(true);
}, 120_000);
afterAll(async () => db?.close());

describe("demo accounts", () => {
  it("has every type and every state, identifiers encrypted", async () => {
    const accounts = await db.prisma.account.findMany();
    expect(new Set(accounts.map((a) => a.type))).toEqual(new Set(ACCOUNT_TYPES));
    expect(new Set(accounts.map((a) => a.status))).toEqual(new Set(ACCOUNT_STATUSES));
    for (const a of accounts) expect(decrypt(a.platformIdCipher)).not.toBe(a.platformIdCipher);
  });

  it("李小雨 holds an ACTIVE WeCom member account with 30 customers; 吴已离's is in handover", async () => {
    const employee = await db.prisma.employee.findUniqueOrThrow({ where: { email: "employee@wegovern.demo" } });
    const mine = await db.prisma.account.findFirstOrThrow({ where: { holderId: employee.id, type: "WECOM_MEMBER" }, include: { _count: { select: { contacts: true } } } });
    expect(mine.status).toBe("ACTIVE");
    expect(mine._count.contacts).toBe(30);
    const departed = await db.prisma.employee.findUniqueOrThrow({ where: { email: "departed@wegovern.demo" } });
    expect(await db.prisma.account.count({ where: { holderId: departed.id, status: "HANDOVER" } })).toBe(1);
  });
});
