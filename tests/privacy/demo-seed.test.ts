import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privacyAttentionFrom } from "@/lib/privacy/attention";
import { listConsents } from "@/lib/privacy/queries";
import { consentListSchema } from "@/lib/privacy/schemas";
import { seedDemo } from "@/prisma/seed";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { usePiiKey } from "./helpers";

// The demo organisation's personal information (lib/privacy/demo-seed.ts, run at the end of seedDemo).

let db: TestDb;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  expect(await seedDemo(db.prisma, () => {})).toBe(true);
}, 120_000);
afterAll(async () => db?.close());

describe("demo personal information", () => {
  it("has a published notice and consents in every state", async () => {
    expect(await db.prisma.privacyNotice.count({ where: { status: "PUBLISHED" } })).toBe(1);
    const count = async (state: string) => (await listConsents(db.prisma, consentListSchema.parse({ state }))).total;
    expect(await count("valid")).toBeGreaterThanOrEqual(3);
    expect(await count("withdrawn")).toBe(1);
    expect(await count("expiring")).toBe(1);
    expect(await count("expired")).toBe(1);
    expect(await db.prisma.consentEvent.count({ where: { kind: "EXPIRE" } })).toBe(1);
  });

  it("the privacy officer sees the overdue request on the home page; the incident was reported in time", async () => {
    const officer = await db.prisma.employee.findUniqueOrThrow({ where: { email: "privacy@wegovern.demo" } });
    const items = await privacyAttentionFrom(await actorFor(db.prisma, officer.id), db.prisma);
    expect(items.map((i) => i.key)).toEqual(["privacy.overdueRequests"]);
    expect(await db.prisma.privacyIncident.count({ where: { regulatorNotifiedAt: { not: null } } })).toBe(1);
  });
});
