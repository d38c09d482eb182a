import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { permissionsOf } from "@/lib/auth/permissions";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedOffboardingOrg, type Org } from "./helpers";

// The offboarding Server Actions through their real wrapper (defineAction): session, zod,
// permission, transaction, audit. Only the session's actor, the language and Next's cache are
// stood in for.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const actions = await import("@/lib/offboarding/actions");

let db: TestDb;
let org: Org;
beforeAll(async () => {
  db = await createTestDb();
  org = await seedOffboardingOrg(db.prisma, 5);
});
afterAll(async () => db?.close());

const future = "2099-01-01";

describe("offboarding actions", () => {
  it("refuses the signed-out, employees and auditors; HR opens a case with a translated result", async () => {
    session.actor = null;
    expect(await actions.openCaseAction(null, { employeeId: org.people.leaver.id, lastWorkingDay: future })).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    session.actor = org.actors.s1;
    expect(await actions.openCaseAction(null, { employeeId: org.people.leaver.id, lastWorkingDay: future })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    session.actor = { ...org.actors.s1, roles: ["AUDITOR"], permissions: permissionsOf(["AUDITOR"]) };
    expect(await actions.openCaseAction(null, { employeeId: org.people.leaver.id, lastWorkingDay: future })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    session.actor = org.actors.hr;
    const bad = await actions.openCaseAction(null, { employeeId: org.people.leaver.id, lastWorkingDay: "2020-01-01" });
    expect(bad).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { lastWorkingDay: ["The last working day cannot be before today."] } });
    const ok = await actions.openCaseAction(null, { employeeId: org.people.leaver.id, lastWorkingDay: future });
    expect(ok).toMatchObject({ ok: true, data: { counts: { accounts: 1, contacts: 5, groups: 1 } } });
  });

  it("closing with open items says how many are open", async () => {
    session.actor = org.actors.hr;
    const c = await db.prisma.offboardingCase.findFirstOrThrow({ where: { employeeId: org.people.leaver.id } });
    const out = await actions.closeCaseAction(null, { caseId: c.id, version: String(c.version) });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.formError).toBe("7 items are neither done nor waived (see the counts by kind and status above); the case cannot close yet.");
  });

  it("a forged item id or a successor who is the leaver is refused", async () => {
    session.actor = org.actors.hr;
    const c = await db.prisma.offboardingCase.findFirstOrThrow({ where: { employeeId: org.people.leaver.id } });
    expect(await actions.bulkAssignAction(null, { caseId: c.id, successorId: "'; DROP TABLE x; --" })).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(await actions.bulkAssignAction(null, { caseId: c.id, successorId: org.people.leaver.id })).toMatchObject({ ok: false, fieldErrors: { successorId: ["The successor cannot be the leaver."] } });
    expect(await actions.bulkAssignAction(null, { caseId: c.id, successorId: org.people.s1.id, q: "%" })).toMatchObject({ ok: true, data: { assigned: 0, matching: 0 } });
  });
});
