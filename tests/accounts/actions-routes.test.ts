import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { parseCsv } from "../helpers/csv";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { approveAll, requestAs, requestForm, seedOrganisation, uniquePlatformId, usePiiKey, type AccountsOrganisation } from "./helpers";

// The accounts' Server Actions and export route through their real wrappers (defineAction,
// defineRoute) against the test database. Stood in for: the session, the language, Next's cache.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const actions = await import("@/lib/accounts/actions");
const { GET: exportGet } = await import("@/app/api/accounts/export/route");

let db: TestDb;
let org: AccountsOrganisation;
let alice: Actor;
let admin: Actor;
let auditor: Actor;
let platformId: string;
let accountId: string;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  [alice, admin, auditor] = await Promise.all([org.people.alice, org.people.admin, org.people.auditor].map((p) => actorFor(db.prisma, p.id)));
  platformId = uniquePlatformId("wxid_Route");
  const r = await requestAs(db.prisma, alice, org.dept.sh1.id, { platformId, phone: "13655556666" });
  await approveAll(db.prisma, r.requestId);
  accountId = r.id;
});
afterAll(async () => db?.close());
beforeEach(() => {
  session.actor = null;
});

describe("Server Actions", () => {
  it("request: the phone's format is said in the person's language, beside the field", async () => {
    session.actor = alice;
    const result = await actions.requestAccountAction(null, requestForm(org.dept.sh1.id, { phone: "110" }));
    expect(result).toMatchObject({ ok: false, code: "VALIDATION" });
    if (!result.ok) expect(result.fieldErrors?.phone?.[0]).toMatch(/mainland China mobile/);
  });

  it("request: a duplicate platform id is a field error", async () => {
    session.actor = alice;
    const result = await actions.requestAccountAction(null, requestForm(org.dept.sh1.id, { platformId }));
    expect(result).toMatchObject({ ok: false, code: "CONFLICT" });
    if (!result.ok) expect(result.fieldErrors?.platformId?.[0]).toMatch(/already registered/);
  });

  it("reveal: refused without accounts.reveal and unauthenticated; audited without the value", async () => {
    expect(await actions.revealIdentifierAction(null, { id: accountId, field: "platformId" })).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    session.actor = alice;
    expect(await actions.revealIdentifierAction(null, { id: accountId, field: "platformId" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    session.actor = auditor;
    expect(await actions.revealIdentifierAction(null, { id: accountId, field: "phone" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    session.actor = admin;
    expect(await actions.revealIdentifierAction(null, { id: accountId, field: "platformId" })).toEqual({ ok: true, data: { value: platformId } });
    const events = await db.prisma.auditEvent.findMany({ where: { entityId: accountId, action: "account.reveal" } });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0].after)).not.toContain(platformId);
  });

  it("suspend with a forged stale version is told STALE and changes nothing", async () => {
    session.actor = admin;
    const before = await db.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
    expect(await actions.suspendAccountAction(null, { id: accountId, version: String(before.version + 5), reason: "x" })).toMatchObject({ ok: false, code: "STALE" });
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id: accountId } })).status).toBe("ACTIVE");
  });
});

describe("CSV export", () => {
  it("is masked, scoped and audited, without the searched value in the audit trail", async () => {
    session.actor = admin;
    const response = await exportGet(new Request(`http://localhost/api/accounts/export?platformId=${encodeURIComponent(platformId)}`));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(platformId);
    expect(text).not.toContain("13655556666");
    const rows = parseCsv(text);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain("136****6666");
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "account.export" }, orderBy: { id: "desc" } });
    expect(JSON.stringify(event.after)).not.toContain(platformId);

    session.actor = await actorFor(db.prisma, org.people.carol.id);
    const carols = parseCsv(await (await exportGet(new Request("http://localhost/api/accounts/export"))).text());
    expect(carols).toHaveLength(1); // the header only: Carol holds nothing
  });
});
