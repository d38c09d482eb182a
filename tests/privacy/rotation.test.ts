import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerCheck } from "@/lib/privacy/check";
import { checkQuerySchema } from "@/lib/privacy/schemas";
import { generateKey, keyringFromEnv, tokenKeyId } from "@/lib/pii";
import { rotatePii } from "@/lib/pii/rotation";
import { createSubjectCommand } from "@/lib/privacy/subjects";
import { subjectSchema } from "@/lib/privacy/schemas";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { expectOk, grant, publishedNotice, run, seedOrganisation, uniquePhone, usePiiKey } from "./helpers";

// Key rotation rewrites the data subjects' identifiers (lib/pii/rotation.ts ENCRYPTED_TABLES) and
// exact lookups keep working during and after it; the append-only register is not touched.

let db: TestDb;
let officer: Actor;
let alice: Actor;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  const org = await seedOrganisation(db.prisma);
  [officer, alice] = await Promise.all([org.people.privacy, org.people.alice].map((p) => actorFor(db.prisma, p.id)));
});
afterAll(async () => db?.close());

describe("key rotation of data subjects", () => {
  it("re-encrypts phone, WeCom id and e-mail; the check still finds the subject by each", async () => {
    const notice = await publishedNotice(db.prisma, officer);
    const phone = uniquePhone();
    const { id } = expectOk(await run(db.prisma, alice, subjectSchema, { name: "轮换客户", phone, wecomId: "wmRotateMe001", email: "Rotate@Example.com" }, createSubjectCommand));
    await grant(db.prisma, alice, id, notice.id);
    const check = async (q: Record<string, string>) => (await answerCheck(db.prisma, checkQuerySchema.parse({ ...q, purpose: "SERVICE" }))).subjectId;

    const oldKey = process.env.PII_ENCRYPTION_KEY!;
    process.env.PII_ENCRYPTION_KEY = generateKey();
    process.env.PII_ENCRYPTION_KEY_PREVIOUS = oldKey;
    const ring = keyringFromEnv();
    expect(await check({ phone })).toBe(id); // old hashes still match during the rotation

    const summary = await rotatePii(db.prisma, { ring });
    expect(summary.tables.find((t) => t.table === "privacy_subjects")?.rewritten).toBe(1);
    const s = await db.prisma.dataSubject.findUniqueOrThrow({ where: { id } });
    for (const token of [s.phoneCipher!, s.wecomIdCipher!, s.emailCipher!]) expect(tokenKeyId(token)).toBe(ring.current.id);

    delete process.env.PII_ENCRYPTION_KEY_PREVIOUS;
    expect(await check({ phone })).toBe(id);
    expect(await check({ wecomId: "wmRotateMe001" })).toBe(id);
    expect(await check({ email: "rotate@example.com" })).toBe(id);
  });
});
