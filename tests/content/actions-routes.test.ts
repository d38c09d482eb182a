import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { BODY_MAX_BYTES } from "@/lib/content/schemas";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { parseCsv } from "../helpers/csv";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedGroupsOrganisation, type GroupsOrganisation } from "../groups/helpers";

// Content's Server Actions and the publication record's export through their real wrappers
// (defineAction, defineRoute). Stood in for: the session, the language (English), Next's cache.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const actions = await import("@/lib/content/actions");
const { GET: exportGet } = await import("@/app/(portal)/content/publications/export/route");
const { GET: contentExport } = await import("@/app/(portal)/content/export/route");
const { GET: mediaExport } = await import("@/app/(portal)/content/media/export/route");

let db: TestDb;
let org: GroupsOrganisation;
let alice: Actor;
let admin: Actor;
let eastManager: Actor;
let auditor: Actor;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedGroupsOrganisation(db.prisma);
  [alice, admin, eastManager, auditor] = await Promise.all([org.people.alice, org.people.admin, org.people.eastManager, org.people.auditor].map((p) => actorFor(db.prisma, p.id)));
});
afterAll(async () => db?.close());
beforeEach(() => {
  session.actor = null;
});

const form = (overrides: Record<string, unknown> = {}) => ({ kind: "MOMENTS_POST", title: "周末促销", body: "周末全场九折。", plannedAt: "2027-05-01T10:00", accountName: "华东销售服务号", intent: "submit", ...overrides });

describe("Server Actions", () => {
  it("refuse the unauthenticated; a body over 1 MB gets the message beside the field", async () => {
    expect(await actions.createSubmissionAction(null, form())).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    session.actor = alice;
    const result = await actions.createSubmissionAction(null, form({ body: "x".repeat(BODY_MAX_BYTES + 1) }));
    expect(result).toMatchObject({ ok: false, code: "VALIDATION" });
    if (!result.ok) expect(result.fieldErrors?.body?.[0]).toMatch(/over 1 MB/);
  });

  it("an expired licence is refused with the asset named; a reviewer who is not the current one is told so", async () => {
    session.actor = alice;
    const asset = await actions.registerMediaAction(null, { kind: "IMAGE", name: "旧海报", source: "图库", licenceType: "PURCHASED", licenceExpiresOn: "2024-12-31" });
    if (!asset.ok) throw new Error(JSON.stringify(asset));
    const refused = await actions.createSubmissionAction(null, form({ mediaIds: asset.data.id }));
    expect(refused).toMatchObject({ ok: false, code: "VALIDATION" });
    if (!refused.ok) expect(refused.fieldErrors?.mediaIds?.[0]).toMatch(/expired licence.*旧海报（2024-12-31）/);

    const created = await actions.createSubmissionAction(null, form({ body: "销量全网第一" }));
    if (!created.ok) throw new Error(JSON.stringify(created));
    session.actor = admin;
    const early = await actions.decideReviewAction(null, { id: created.data.id, revision: "1", decision: "APPROVE" });
    expect(early).toMatchObject({ ok: false, code: "FORBIDDEN" });
    if (!early.ok) expect(early.formError).toMatch(/not the reviewer/);
    session.actor = eastManager;
    expect(await actions.decideReviewAction(null, { id: created.data.id, revision: "1", decision: "APPROVE" })).toMatchObject({ ok: true });
    session.actor = admin;
    const open = await actions.decideReviewAction(null, { id: created.data.id, revision: "1", decision: "APPROVE" });
    if (!open.ok) expect(open.formError).toMatch(/1 findings are still open/);
    expect(open.ok).toBe(false);
    const finding = await db.prisma.contentFinding.findFirstOrThrow({ where: { revision: { submissionId: created.data.id } } });
    expect(await actions.acceptFindingAction(null, { id: created.data.id, revision: "1", findingId: finding.id, reason: "活动方提供的第三方统计报告" })).toMatchObject({ ok: true });
    expect(await actions.decideReviewAction(null, { id: created.data.id, revision: "1", decision: "APPROVE" })).toMatchObject({ ok: true });
    expect(await db.prisma.contentSubmission.findUniqueOrThrow({ where: { id: created.data.id } })).toMatchObject({ status: "PUBLISHED" });
  });

  it("rule lists are edited by content.configure only", async () => {
    const rule = await db.prisma.contentRule.findUniqueOrThrow({ where: { code: "SENSITIVE" } });
    session.actor = alice;
    expect(await actions.addTermAction(null, { ruleId: rule.id, term: "返现" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    session.actor = admin;
    expect(await actions.addTermAction(null, { ruleId: rule.id, term: "返现" })).toMatchObject({ ok: true });
  });
});

describe("the publication record's export", () => {
  it("is for content.read:all only, lists approvers and accepted findings with reasons, and is audited", async () => {
    session.actor = alice;
    expect((await exportGet(new Request("http://localhost/content/publications/export"))).status).toBe(403);
    session.actor = auditor;
    const response = await exportGet(new Request("http://localhost/content/publications/export"));
    expect(response.status).toBe(200);
    const rows = parseCsv(await response.text());
    expect(rows[0]).toEqual(["id", "submission_id", "revision", "kind", "title", "account", "author", "planned_at", "approved_at", "approval_request_id", "approvers", "accepted_findings", "body_sha256"]);
    expect(rows).toHaveLength(2);
    expect(rows[1][4]).toBe("周末促销");
    expect(rows[1][10]).toMatch(/王海涛.*\|.*周建国/);
    expect(rows[1][11]).toMatch(/全网第一 \[AD_ABSOLUTE, 《广告法》第九条第三项\] 活动方提供的第三方统计报告 \(周建国/);
    expect(await db.prisma.auditEvent.count({ where: { action: "content.publications.export", actorId: auditor.id } })).toBe(1);
  });
});

describe("the list exports", () => {
  it("content: an author gets their own, content.read:all every one; filters apply", async () => {
    session.actor = eastManager;
    expect(parseCsv(await (await contentExport(new Request("http://localhost/content/export"))).text())).toHaveLength(1);
    session.actor = alice;
    const own = parseCsv(await (await contentExport(new Request("http://localhost/content/export?status=PUBLISHED"))).text());
    expect(own.slice(1).map((r) => [r[2], r[3], r[6]])).toEqual([["周末促销", "PUBLISHED", "李小雨"]]);
    session.actor = auditor;
    const all = parseCsv(await (await contentExport(new Request("http://localhost/content/export"))).text());
    expect(all.length - 1).toBe(await db.prisma.contentSubmission.count());
  });

  it("media: the library with licence columns, filtered by licence state", async () => {
    session.actor = alice;
    const rows = parseCsv(await (await mediaExport(new Request("http://localhost/content/media/export?licence=expired"))).text());
    expect(rows[0]).toContain("licence_expires_on");
    expect(rows.slice(1).map((r) => [r[2], r[7]])).toEqual([["旧海报", "2024-12-31"]]);
  });
});
