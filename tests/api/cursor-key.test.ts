import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configuredCursorKey, decodeCursor, encodeCursor, loadCursorKey } from "@/lib/api/cursor";
import { ApiProblem } from "@/lib/api/problem";
import { createPrismaClient } from "@/lib/server/prisma-client";
import { createTestDb, type TestDb } from "../helpers/test-db";

// The cursor signing key (lib/api/cursor.ts) comes from a durable source, never from the process:
// derived from API_CURSOR_SECRET / AUTH_SECRET when set, else stored once in the database. Two
// independent loads (two processes, or one before and after a restart) agree, and a cursor one
// of them signed is accepted by the other.

let db: TestDb;
const saved = { API_CURSOR_SECRET: process.env.API_CURSOR_SECRET, AUTH_SECRET: process.env.AUTH_SECRET };
const restore = () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
};

beforeAll(async () => {
  db = await createTestDb();
});
afterEach(restore);
afterAll(async () => db?.close());

describe("the cursor signing key", () => {
  it("without a configured secret: one key, stored once, the same for two independent clients loading it at once", async () => {
    delete process.env.API_CURSOR_SECRET;
    delete process.env.AUTH_SECRET;
    // Two clients of their own: two "processes" with nothing cached, racing to create the key.
    const a = createPrismaClient(db.url, 2);
    const b = createPrismaClient(db.url, 2);
    try {
      const [keyA, keyB] = await Promise.all([loadCursorKey(a), loadCursorKey(b)]);
      expect(keyA).toBe(keyB);
      expect(await db.prisma.serverSecret.count({ where: { name: "api.cursor" } })).toBe(1);
      const cursor = encodeCursor(keyA, "listEmployees?", ["2026-12-06T00:00:00.000Z", "e1"]);
      expect(decodeCursor(keyB, "listEmployees?", cursor)).toEqual(["2026-12-06T00:00:00.000Z", "e1"]);
      // A "restart": a third client loads the same key later.
      const c = createPrismaClient(db.url, 1);
      try {
        expect(await loadCursorKey(c)).toBe(keyA);
      } finally {
        await c.$disconnect();
      }
      // Tampered: refused.
      const [payload, sig] = cursor.split(".");
      const other = Buffer.from(JSON.stringify({ l: "listEmployees?", p: ["2026-12-06T00:00:00.000Z", "e2"] })).toString("base64url");
      expect(() => decodeCursor(keyB, "listEmployees?", `${other}.${sig}`)).toThrow(ApiProblem);
      expect(() => decodeCursor(keyB, "listEmployees?", `${payload}.${sig}x`)).toThrow(ApiProblem);
    } finally {
      await a.$disconnect();
      await b.$disconnect();
    }
  });

  it("with AUTH_SECRET or API_CURSOR_SECRET: derived from it, so every process derives the same key", async () => {
    process.env.AUTH_SECRET = "auth-secret-of-the-deployment";
    delete process.env.API_CURSOR_SECRET;
    const a = createPrismaClient(db.url, 1);
    try {
      const fromAuth = await loadCursorKey(a);
      expect(fromAuth).toBe(configuredCursorKey({ AUTH_SECRET: "auth-secret-of-the-deployment" }));
      const cursor = encodeCursor(fromAuth, "listAuditEvents?", ["42"]);
      expect(decodeCursor(configuredCursorKey({ AUTH_SECRET: "auth-secret-of-the-deployment" })!, "listAuditEvents?", cursor)).toEqual(["42"]);
      // Another secret, another key: its cursors are refused.
      expect(() => decodeCursor(configuredCursorKey({ AUTH_SECRET: "another" })!, "listAuditEvents?", cursor)).toThrow(ApiProblem);
      process.env.API_CURSOR_SECRET = "cursor-secret";
      expect(await loadCursorKey(a)).toBe(configuredCursorKey({ API_CURSOR_SECRET: "cursor-secret", AUTH_SECRET: "x" }));
    } finally {
      await a.$disconnect();
    }
  });
});
