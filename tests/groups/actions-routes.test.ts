import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { approveAll, currentPolicyVersion, requestAs, requestForm, seedGroupsOrganisation, type GroupsOrganisation } from "./helpers";
import { parseCsv } from "../helpers/csv";

// The Server Actions and route handlers through their real wrappers (defineAction, defineRoute)
// against the test database. Only what a request would carry is stood in for: the signed-in actor
// (the session), the language (a cookie), and Next.js's cache (no page cache outside a server).

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const actions = await import("@/lib/groups/actions");
const { GET: exportGet } = await import("@/app/api/groups/export/route");
const { GET: peopleGet } = await import("@/app/api/groups/people/route");

let db: TestDb;
let org: GroupsOrganisation;
let alice: Actor;
let carol: Actor;
let admin: Actor;
let southManager: Actor;
let aliceGroup: string;
let carolGroup: string;

function formData(values: Record<string, string | string[]>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) for (const item of ([] as string[]).concat(v)) fd.append(k, item);
  return fd;
}

beforeAll(async () => {
  db = await createTestDb();
  org = await seedGroupsOrganisation(db.prisma);
  alice = await actorFor(db.prisma, org.people.alice.id);
  carol = await actorFor(db.prisma, org.people.carol.id);
  admin = await actorFor(db.prisma, org.people.admin.id);
  southManager = await actorFor(db.prisma, org.people.southManager.id);
  const a = await requestAs(db.prisma, alice, org, { purpose: "=HYPERLINK(\"http://evil.test\")" });
  aliceGroup = a.id;
  await approveAll(db.prisma, a.requestId);
  const c = await requestAs(db.prisma, carol, org, { departmentId: org.dept.south.id, ownerId: carol.id, administratorIds: [] });
  carolGroup = c.id;
  await approveAll(db.prisma, c.requestId);
});
afterAll(async () => db?.close());
beforeEach(() => {
  session.actor = null;
});

describe("Server Actions: forged posts change nothing and never answer 500", () => {
  const snapshot = async () => ({
    groups: await db.prisma.workGroup.findMany({ orderBy: { id: "asc" } }),
    archives: await db.prisma.workGroupArchive.count(),
    events: await db.prisma.auditEvent.count(),
  });

  it("without a session: unauthenticated", async () => {
    expect(await actions.confirmReviewAction(null, formData({ id: aliceGroup, version: "2" }))).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
  });

  it("another person's group id: not found, for every action", async () => {
    session.actor = carol;
    const before = await snapshot();
    const v = String((await db.prisma.workGroup.findUniqueOrThrow({ where: { id: aliceGroup } })).version);
    expect(await actions.confirmReviewAction(null, formData({ id: aliceGroup, version: v }))).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await actions.transferOwnershipAction(null, formData({ id: aliceGroup, version: v, ownerId: carol.id }))).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await actions.recordArchiveAction(null, formData({ id: aliceGroup, content: "x", location: "y", exportedOn: "2026-01-05" }))).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await actions.requestDissolutionAction(null, formData({ id: aliceGroup, version: v }))).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await snapshot()).toEqual(before);
  });

  it("an id that does not exist, a malformed id, an unknown classification: refused, nothing changed", async () => {
    session.actor = alice;
    const before = await snapshot();
    expect(await actions.confirmReviewAction(null, formData({ id: "cdoesnotexist000000000000", version: "1" }))).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await actions.confirmReviewAction(null, formData({ id: "'; DELETE FROM work_groups; --", version: "1" }))).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(await actions.confirmReviewAction(null, formData({ id: aliceGroup, version: "-1" }))).toMatchObject({ ok: false, code: "VALIDATION" });
    const form = await requestForm(db.prisma, org, { classification: "ULTRA" });
    const result = await actions.requestGroupAction(null, formData(form as Record<string, string | string[]>));
    expect(result).toMatchObject({ ok: false, code: "VALIDATION" });
    if (!result.ok) expect(Object.keys(result.fieldErrors ?? {})).toContain("classification");
    expect(await snapshot()).toEqual(before);
  });

  it("the naming rule's refusal reaches the form in the person's language, on the name", async () => {
    session.actor = alice;
    const form = await requestForm(db.prisma, org, { parts: ["Test", "答疑"] });
    const result = await actions.requestGroupAction(null, formData(form as Record<string, string | string[]>));
    expect(result).toEqual({ ok: false, code: "VALIDATION", formError: "Please correct the marked fields.", fieldErrors: { name: ["“项目” contains the blocked word “test”."] } });
  });

  it("the archive refusal says why and what to do", async () => {
    session.actor = alice;
    const v = String((await db.prisma.workGroup.findUniqueOrThrow({ where: { id: aliceGroup } })).version);
    const result = await actions.requestDissolutionAction(null, formData({ id: aliceGroup, version: v }));
    expect(result).toEqual({ ok: false, code: "INVALID_STATE", formError: "Back up before dissolving: this group has no archive record yet. Record one first (an export less than 7 days old counts)." });
  });

  it("only ADMIN saves the policy", async () => {
    session.actor = alice;
    const v = String(await currentPolicyVersion(db.prisma));
    const fields = { version: v, template: "{部门}-{项目}", maxLength: "30", blockedWords: "", blockedWordExemptions: "", archiveWindowDays: "7", reviewDaysPublic: "180", reviewDaysInternal: "180", reviewDaysConfidential: "90", reviewDaysSecret: "30", externalAllowed: "PUBLIC", maxMembersPublic: "500", maxMembersInternal: "500", maxMembersConfidential: "200", maxMembersSecret: "50" };
    expect(await actions.savePolicyAction(null, formData(fields))).toMatchObject({ ok: false, code: "FORBIDDEN" });
    session.actor = admin;
    expect(await actions.savePolicyAction(null, formData(fields))).toMatchObject({ ok: true, data: { version: Number(v) + 1 } });
  });
});

describe("the CSV export", () => {
  const get = (query = "") => exportGet(new Request(`http://localhost/api/groups/export${query}`));

  it("needs a session", async () => {
    expect((await get()).status).toBe(401);
  });

  it("exports the actor's scope only, with the registry's filters, and records the export", async () => {
    session.actor = southManager;
    const response = await get("?status=ACTIVE");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const rows = parseCsv((await response.text()).replace(/^\uFEFF/, ""));
    expect(rows[0].slice(0, 3)).toEqual(["id", "name", "status"]);
    expect(rows.slice(1).map((r) => r[0])).toEqual([carolGroup]);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "workGroup.export" }, orderBy: { id: "desc" } });
    expect(event).toMatchObject({ actorId: southManager.id, entityType: "WorkGroup", entityId: "*" });
    expect(event.after).toMatchObject({ filters: { status: "ACTIVE" }, scope: "department" });
  });

  it("escapes a cell that a spreadsheet would run as a formula", async () => {
    session.actor = admin;
    const rows = parseCsv((await (await get()).text()).replace(/^\uFEFF/, ""));
    expect(rows).toHaveLength(3);
    const row = rows.find((r) => r[0] === aliceGroup)!;
    expect(row[rows[0].indexOf("purpose")]).toBe("'=HYPERLINK(\"http://evil.test\")");
  });

  it("drops bad filter values rather than failing", async () => {
    session.actor = admin;
    const response = await get("?status=NOPE&department=%27%3B&q=" + "x".repeat(500));
    expect(response.status).toBe(200);
  });
});

describe("the people search", () => {
  const get = (q: string) => peopleGet(new Request(`http://localhost/api/groups/people?q=${encodeURIComponent(q)}`));

  it("finds ACTIVE employees by name, e-mail or number, never departed ones, and says only name, number and department", async () => {
    session.actor = alice;
    const found = (await (await get("刘")).json()) as { people: { id: string; label: string }[] };
    expect(found.people).toEqual([{ id: carol.id, label: "刘芳（E-003·华南销售部）" }]);
    expect(((await (await get("e-00")).json()) as { people: unknown[] }).people).toHaveLength(3);
    expect(((await (await get("吴已离")).json()) as { people: unknown[] }).people).toEqual([]);
    expect(((await (await get("")).json()) as { people: unknown[] }).people).toEqual([]);
    expect(JSON.stringify(found)).not.toContain("@");
  });

  it("needs a session", async () => {
    expect((await get("刘")).status).toBe(401);
  });
});
