import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedGroupsOrganisation } from "../groups/helpers";
import { usePiiKey } from "./helpers";

// /settings/wecom's actions through their real wrapper (defineAction): ADMIN only, audited,
// secrets encrypted at rest and never returned — not by the action, not in the page's view, not
// in the audit trail. The connection test reports what the simulator (as WeCom) answered.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { saveWeComSettingsAction, testWeComConnectionAction } = await import("@/lib/wecom/actions");
const { loadConnection, loadSettingsView } = await import("@/lib/wecom/settings");

let db: TestDb;
let sim: WeComSim;
let admin: Actor;
let hr: Actor;
const AES = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  sim = await startWeComSim({ size: "tiny" });
  const org = await seedGroupsOrganisation(db.prisma);
  admin = await actorFor(db.prisma, org.people.admin.id);
  hr = await actorFor(db.prisma, org.people.alice.id);
});
afterAll(async () => {
  await sim?.stop();
  await db?.close();
});
beforeEach(() => {
  session.actor = admin;
});

const form = async (overrides: Record<string, unknown> = {}) => ({
  version: String((await loadSettingsView(db.prisma)).version),
  corpId: sim.config.corpId,
  agentId: "1000002",
  apiBaseUrl: sim.url,
  callsPerMinute: "600",
  contactSecret: "",
  customerSecret: "",
  callbackToken: "",
  encodingAesKey: "",
  ...overrides,
});

describe("WeCom connection settings", () => {
  it("stores secrets encrypted, returns only 'set, ends with', keeps them when the field is left empty, clears on request", async () => {
    const res = await saveWeComSettingsAction(null, await form({ contactSecret: sim.config.contactSecret, customerSecret: sim.config.customerSecret, callbackToken: "tok123", encodingAesKey: AES }));
    expect(res.ok).toBe(true);
    expect(JSON.stringify(res)).not.toContain(sim.config.contactSecret);

    const row = await db.prisma.weComSettings.findUniqueOrThrow({ where: { id: "default" } });
    const rowText = JSON.stringify(row);
    for (const secret of [sim.config.contactSecret, sim.config.customerSecret, "tok123", AES]) expect(rowText).not.toContain(secret);
    expect(row.contactSecretCipher?.startsWith("v1.")).toBe(true);

    const view = await loadSettingsView(db.prisma);
    expect(view.secrets.contactSecret).toEqual({ set: true, last4: sim.config.contactSecret.slice(-4) });
    expect(view.secrets.encodingAesKey).toEqual({ set: true, last4: "DEFG" });
    const viewText = JSON.stringify(view);
    for (const secret of [sim.config.contactSecret, sim.config.customerSecret, "tok123", AES]) expect(viewText).not.toContain(secret);

    // Left empty: kept. Cleared: gone.
    expect((await saveWeComSettingsAction(null, await form({ agentId: "1000003" }))).ok).toBe(true);
    expect(await loadConnection(db.prisma)).toMatchObject({ agentId: "1000003", contactSecret: sim.config.contactSecret });
    expect((await saveWeComSettingsAction(null, await form({ clear: ["callbackToken"] }))).ok).toBe(true);
    const after = await loadConnection(db.prisma);
    expect((await loadConnection(db.prisma)).agentId).toBe("1000002");
    expect(after).toMatchObject({ callbackToken: null, encodingAesKey: AES, customerSecret: sim.config.customerSecret });

    // The audit trail says which secret changed, never its value.
    const events = await db.prisma.auditEvent.findMany({ where: { action: "wecom.settings.update" } });
    expect(events.length).toBe(3);
    const auditText = JSON.stringify(events, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    for (const secret of [sim.config.contactSecret, sim.config.customerSecret, "tok123", AES]) expect(auditText).not.toContain(secret);
    expect(auditText).toContain("secretsChanged");
  });

  it("refuses a stale version, a bad EncodingAESKey or URL, and anyone but ADMIN", async () => {
    const stale = await saveWeComSettingsAction(null, await form({ version: "1" }));
    expect(stale).toMatchObject({ ok: false, code: "STALE" });
    const bad = await saveWeComSettingsAction(null, await form({ encodingAesKey: "short", apiBaseUrl: "ftp://x" }));
    expect(bad).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(Object.keys((bad as { fieldErrors: object }).fieldErrors).sort()).toEqual(["apiBaseUrl", "encodingAesKey"]);
    session.actor = hr;
    expect(await saveWeComSettingsAction(null, await form())).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await testWeComConnectionAction(null, {})).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("'test connection' reports what WeCom answered for each secret, from its errcode, and is audited", async () => {
    let res = await testWeComConnectionAction(null, {});
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.data.map((c) => [c.app, c.ok, c.errcode])).toEqual([
      ["contacts", true, 0],
      ["customers", true, 0],
    ]);
    expect(JSON.stringify(res)).not.toContain(sim.config.contactSecret);

    // The customer-contact field given the contact-sync secret: WeCom answers 48002.
    expect((await saveWeComSettingsAction(null, await form({ customerSecret: sim.config.contactSecret }))).ok).toBe(true);
    res = await testWeComConnectionAction(null, {});
    if (!res.ok) throw new Error(res.formError);
    expect(res.data[1]).toMatchObject({ app: "customers", ok: false, errcode: 48002 });
    expect(res.data[1].zh).toMatch(/errcode 48002：该应用没有此接口的权限/);

    // A wrong secret: 40001.
    expect((await saveWeComSettingsAction(null, await form({ contactSecret: "wrong-secret" }))).ok).toBe(true);
    res = await testWeComConnectionAction(null, {});
    if (!res.ok) throw new Error(res.formError);
    expect(res.data[0]).toMatchObject({ ok: false, errcode: 40001 });
    expect(await db.prisma.auditEvent.count({ where: { action: "wecom.connection.test" } })).toBe(3);
  });
});

describe("key rotation covers the connection's secrets", () => {
  it("re-encrypts each secret exactly (no normalisation) under the new key; the old key is then not needed", async () => {
    const { generateKey, keyringFromEnv, tokenKeyId } = await import("@/lib/pii");
    const { rotatePii } = await import("@/lib/pii/rotation");
    // Mixed case and symbols: an identifier's normalisation would change them.
    const contactSecret = "MiXeD-Case_Secret.0001AbCd";
    const res = await saveWeComSettingsAction(null, await form({ contactSecret, callbackToken: "TokEN42", encodingAesKey: AES }));
    expect(res.ok).toBe(true);
    const oldKey = process.env.PII_ENCRYPTION_KEY!;
    try {
      process.env.PII_ENCRYPTION_KEY = generateKey();
      process.env.PII_ENCRYPTION_KEY_PREVIOUS = oldKey;
      const ring = keyringFromEnv();
      const summary = await rotatePii(db.prisma, { ring });
      expect(summary.tables.find((t) => t.table === "wecom_settings")?.rewritten).toBe(1);
      delete process.env.PII_ENCRYPTION_KEY_PREVIOUS;
      const row = await db.prisma.weComSettings.findUniqueOrThrow({ where: { id: "default" } });
      expect(tokenKeyId(row.contactSecretCipher!)).toBe(ring.current.id);
      const conn = await loadConnection(db.prisma);
      expect(conn).toMatchObject({ contactSecret, callbackToken: "TokEN42", encodingAesKey: AES });
    } finally {
      delete process.env.PII_ENCRYPTION_KEY_PREVIOUS;
    }
  });
});
