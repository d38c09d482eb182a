import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { encrypt } from "@/lib/pii";
import type { Actor } from "@/lib/server/actor";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { actorFor } from "../helpers/actors";
import { seedOrganisation, type Organisation } from "../directory/helpers";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { usePiiKey } from "./helpers";

// "Publish to WeCom" through its real wrapper (defineAction): ADMIN only, the departments
// required, the customer-contact secret required, WeCom's answer returned and the page's view
// showing the rules. Stood in for: the session, the language (English), Next's cache.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { publishInterceptRulesAction } = await import("@/lib/wecom/intercept-actions");
const { interceptView } = await import("@/lib/wecom/intercept");

let db: TestDb;
let sim: WeComSim;
let org: Organisation;
let admin: Actor;
let hr: Actor;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  sim = await startWeComSim({ size: "tiny" });
  org = await seedOrganisation(db.prisma);
  await db.prisma.department.update({ where: { id: org.dept.east.id }, data: { wecomId: 2 } });
  [admin, hr] = await Promise.all([org.people.admin, org.people.hr].map((p) => actorFor(db.prisma, p.id)));
});
afterAll(async () => {
  await sim?.stop();
  await db?.close();
});
beforeEach(() => {
  session.actor = null;
});

describe("publishInterceptRulesAction", () => {
  it("is ADMIN's, needs a department and the customer-contact secret, and publishes", async () => {
    const input = { departmentIds: org.dept.east.id, interceptType: "2" };
    session.actor = hr;
    expect(await publishInterceptRulesAction(null, input)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    session.actor = admin;
    expect(await publishInterceptRulesAction(null, { interceptType: "2" })).toMatchObject({ ok: false, code: "VALIDATION" });
    const notConfigured = await publishInterceptRulesAction(null, input);
    expect(notConfigured).toMatchObject({ ok: false, code: "VALIDATION" });
    if (!notConfigured.ok) expect(notConfigured.formError).toMatch(/customer-contact secret/);

    await db.prisma.weComSettings.create({ data: { id: "default", corpId: sim.config.corpId, apiBaseUrl: sim.url, customerSecretCipher: encrypt(sim.config.customerSecret), customerSecretLast4: "wxyz" } });
    const done = await publishInterceptRulesAction(null, input);
    expect(done).toMatchObject({ ok: true, data: { status: "DONE" } });
    const view = await interceptView(db.prisma);
    expect(view.rules.length).toBe(view.rulesNeeded);
    expect(view.rules[0]).toMatchObject({ interceptType: 2, departmentWecomIds: [2] });
    expect(view.pushes[0]).toMatchObject({ status: "DONE" });
    expect(view.departments.map((d) => d.id)).toEqual([org.dept.east.id]);
  });
});
