import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideApprovalStep } from "@/lib/approvals/engine";
import { abandonSubmission, acceptFinding, createSubmission, decideReview, reviseSubmission, submitSubmission, withdrawReview } from "@/lib/content/commands";
import { DEFAULT_EXEMPTIONS, DEFAULT_RULES, splitTerm } from "@/lib/content/default-rules";
import { registerMedia, updateMedia } from "@/lib/content/media-commands";
import { getSubmissionView, listMedia, listPublications, listSubmissions } from "@/lib/content/queries";
import { addExemption, addTerm, removeTerm } from "@/lib/content/rule-commands";
import {
  acceptFindingSchema,
  BODY_MAX_BYTES,
  MEDIA_SORTS,
  mediaListSchema,
  publicationListSchema,
  SUBMISSION_SORTS,
  submissionListSchema,
  exemptionAddSchema,
  mediaCreateSchema,
  mediaUpdateSchema,
  reviewDecisionSchema,
  submissionCreateSchema,
  submissionRefSchema,
  submissionReviseSchema,
  termAddSchema,
  termRemoveSchema,
} from "@/lib/content/schemas";
import type { Actor } from "@/lib/server/actor";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { actorFor } from "../helpers/actors";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedGroupsOrganisation, type GroupsOrganisation } from "../groups/helpers";

let db: TestDb;
let org: GroupsOrganisation;
let alice: Actor;
let bob: Actor;
let admin: Actor;
let eastManager: Actor;
let auditor: Actor;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedGroupsOrganisation(db.prisma);
  [alice, bob, admin, eastManager, auditor] = await Promise.all([org.people.alice, org.people.bob, org.people.admin, org.people.eastManager, org.people.auditor].map((p) => actorFor(db.prisma, p.id)));
});
afterAll(async () => db?.close());

const FUTURE = "2027-03-01T10:00";
const form = (overrides: Record<string, unknown> = {}) => ({ kind: "MOMENTS_POST", title: "双十一预热", body: "新品上市，欢迎选购。", mediaIds: [], plannedAt: FUTURE, accountName: "华东销售部企业微信", intent: "draft", ...overrides });
const create = async (actor: Actor, overrides: Record<string, unknown> = {}) => expectOk(await run(db.prisma, actor, submissionCreateSchema, form(overrides), (ctx) => createSubmission(ctx)));
const submission = (id: string) => db.prisma.contentSubmission.findUniqueOrThrow({ where: { id } });
const revision = (id: string, number: number) =>
  db.prisma.contentRevision.findUniqueOrThrow({ where: { submissionId_number: { submissionId: id, number } }, include: { findings: { orderBy: { startOffset: "asc" } }, media: true } });
const revise = async (actor: Actor, id: string, overrides: Record<string, unknown> = {}) => {
  const s = await submission(id);
  return run(db.prisma, actor, submissionReviseSchema, { ...form(), id, version: s.version, ...overrides }, (ctx) => reviseSubmission(ctx));
};
const decide = (actor: Actor, id: string, revisionNo: number, decision: "APPROVE" | "REJECT", comment = "") =>
  run(db.prisma, actor, reviewDecisionSchema, { id, revision: revisionNo, decision, comment }, (ctx) => decideReview(ctx));
const accept = async (actor: Actor, id: string, revisionNo: number, findingId: string, reason = "注册商标，依据总局指南豁免") =>
  run(db.prisma, actor, acceptFindingSchema, { id, revision: revisionNo, findingId, reason }, (ctx) => acceptFinding(ctx));
const media = async (actor: Actor, overrides: Record<string, unknown> = {}) =>
  expectOk(await run(db.prisma, actor, mediaCreateSchema, { kind: "IMAGE", name: "产品主图", source: "摄影师合同 2026-018", licenceType: "PURCHASED", licensee: "本公司", scope: "公众号、朋友圈", licenceExpiresOn: "2027-12-31", note: "", ...overrides }, registerMedia));
const auditActions = async (id: string) => (await db.prisma.auditEvent.findMany({ where: { entityId: id }, orderBy: { id: "asc" }, select: { action: true } })).map((e) => e.action);

describe("the rule lists", () => {
  it("are seeded by the migration from the reference lists", async () => {
    const rules = await db.prisma.contentRule.findMany({ include: { terms: true } });
    const stored = Object.fromEntries(rules.map((r) => [r.code, { article: r.article, terms: r.terms.map((t) => `${t.standsAlone ? "!" : ""}${t.term}`).sort() }]));
    expect(stored).toEqual(Object.fromEntries(DEFAULT_RULES.map((r) => [r.code, { article: r.article, terms: [...r.terms].sort() }])));
    expect((await db.prisma.contentExemption.findMany()).map((e) => e.phrase).sort()).toEqual(DEFAULT_EXEMPTIONS.map((e) => e.phrase).sort());
    expect(DEFAULT_RULES.find((r) => r.code === "AD_ABSOLUTE")!.terms.map((t) => splitTerm(t).term)).toContain("全网第一");
  });

  it("CONTENT_PUBLISH has its default chain: department manager, then ADMIN", async () => {
    const chain = await db.prisma.approvalChain.findUniqueOrThrow({ where: { requestType: "CONTENT_PUBLISH" }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(chain.steps.map((s) => (s.kind === "ROLE" ? s.role : s.kind))).toEqual(["DEPARTMENT_MANAGER", "ADMIN"]);
  });
});

describe("submitting content", () => {
  it("flags 全网第一 with its rule, article and offsets in the original text, and asks the manager first", async () => {
    const body = "今年爆款！\n我们的电饭煲销量全网第一，ＮＯ．１品质。";
    const out = await create(alice, { body, intent: "submit" });
    expect(out.status).toBe("IN_REVIEW");
    const rev = await revision(out.id, 1);
    expect(rev.findings.map((f) => [f.ruleCode, f.article, f.term, body.slice(f.startOffset!, f.endOffset!)])).toEqual([
      ["AD_ABSOLUTE", "《广告法》第九条第三项", "全网第一", "全网第一"],
      ["AD_ABSOLUTE", "《广告法》第九条第三项", "ＮＯ．１", "ＮＯ．１"],
    ]);
    const s = await submission(out.id);
    const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: s.requestId! }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(request).toMatchObject({ type: "CONTENT_PUBLISH", subjectType: "ContentSubmission", subjectId: out.id, status: "PENDING" });
    expect(request.steps.map((x) => [x.status, x.approverId ?? x.role])).toEqual([
      ["PENDING", eastManager.id],
      ["WAITING", "ADMIN"],
    ]);
    expect(await auditActions(out.id)).toEqual(["content.create", "content.submit"]);
  });

  it("finds terms hidden with invisible characters, spaces or traditional script; the stored offsets cover the original characters (issue 13 item 1)", async () => {
    const body = "限时特惠！销量全\u200B网第\u00AD一，行业NO. 1，國家級工艺。";
    const out = await create(alice, { body, intent: "draft" });
    const rev = await revision(out.id, 1);
    expect(rev.body).toBe(body); // stored as typed
    expect(rev.findings.map((f) => [f.ruleCode, body.slice(f.startOffset!, f.endOffset!)])).toEqual([
      ["AD_ABSOLUTE", "全\u200B网第\u00AD一"],
      ["AD_ABSOLUTE", "NO. 1"],
      ["AD_ABSOLUTE", "國家級"],
    ]);
  });

  it("stores HTML and script as text, exactly as typed", async () => {
    const body = '<script>alert("x")</script><img src=x onerror=alert(1)> 欢迎选购';
    const out = await create(alice, { body });
    expect((await revision(out.id, 1)).body).toBe(body);
  });

  it("refuses a body over 1 MB with a clear message and creates nothing", async () => {
    const before = await db.prisma.contentSubmission.count();
    const outcome = await run(db.prisma, alice, submissionCreateSchema, form({ body: "好".repeat(Math.ceil(BODY_MAX_BYTES / 3) + 1) }), (ctx) => createSubmission(ctx));
    expect(outcome).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { body: ["content.v.bodyTooLarge"] } });
    expect(await db.prisma.contentSubmission.count()).toBe(before);
    // Exactly 1 MB passes.
    const ok = await create(alice, { body: "a".repeat(BODY_MAX_BYTES) });
    expect((await revision(ok.id, 1)).body).toHaveLength(BODY_MAX_BYTES);
  });

  it("needs an account: from the registry or a free name", async () => {
    const outcome = await run(db.prisma, alice, submissionCreateSchema, form({ accountName: "" }), (ctx) => createSubmission(ctx));
    expect(outcome).toMatchObject({ ok: false, fieldErrors: { accountName: ["content.v.account"] } });
    const unknown = await run(db.prisma, alice, submissionCreateSchema, form({ accountId: "cnotanaccount000000000001" }), (ctx) => createSubmission(ctx));
    expect(unknown).toMatchObject({ ok: false, messageKey: "content.errors.accountNotLive", field: "accountId" });
  });
});

describe("media licences", () => {
  it("a missing licence, or one ending before the publishing date, is a finding", async () => {
    const none = await media(alice, { name: "网络配图", licenceType: "NONE", licensee: "", licenceExpiresOn: "" });
    const short = await media(alice, { name: "背景音乐", kind: "MUSIC", licenceExpiresOn: "2027-02-28" });
    const fine = await media(alice, { name: "品牌字体", kind: "FONT", licenceExpiresOn: "" });
    const out = await create(alice, { mediaIds: [none.id, short.id, fine.id] });
    const rev = await revision(out.id, 1);
    expect(rev.media).toHaveLength(3);
    expect(rev.findings.map((f) => [f.ruleCode, f.ruleKind, f.term, f.mediaId])).toEqual(
      expect.arrayContaining([
        ["MEDIA_LICENCE_MISSING", "MEDIA", "网络配图", none.id],
        ["MEDIA_LICENCE_EXPIRES", "MEDIA", "背景音乐", short.id],
      ]),
    );
    expect(rev.findings).toHaveLength(2);
  });

  it("an expired licence is refused for a new publication, naming the asset; nothing is created", async () => {
    const expired = await media(alice, { name: "过期视频", kind: "VIDEO", licenceExpiresOn: "2025-01-31" });
    const before = await db.prisma.contentSubmission.count();
    const outcome = await run(db.prisma, alice, submissionCreateSchema, form({ mediaIds: [expired.id] }), (ctx) => createSubmission(ctx));
    expect(outcome).toMatchObject({ ok: false, code: "VALIDATION", messageKey: "content.errors.mediaExpired", field: "mediaIds", params: { names: "过期视频（2025-01-31）" } });
    expect(await db.prisma.contentSubmission.count()).toBe(before);
  });

  it("only the person who registered an asset, or media.manage, edits it; NONE with an end date is refused", async () => {
    const asset = await media(alice, { name: "门店照片" });
    const row = await db.prisma.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } });
    const edit = { kind: "IMAGE", name: "门店照片（新）", source: "自摄", licenceType: "OWN_WORK", licensee: "", scope: "", licenceExpiresOn: "", note: "", id: asset.id, version: row.version };
    expect(await run(db.prisma, bob, mediaUpdateSchema, edit, updateMedia)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(expectOk(await run(db.prisma, admin, mediaUpdateSchema, edit, updateMedia))).toMatchObject({ version: row.version + 1 });
    expect(await run(db.prisma, alice, mediaCreateSchema, { kind: "IMAGE", name: "x", source: "y", licenceType: "NONE", licenceExpiresOn: "2027-01-01" }, registerMedia)).toMatchObject({
      ok: false,
      messageKey: "content.errors.licenceNone",
    });
  });
});

describe("the review, level by level", () => {
  it("flagged → rewritten (history and what changed kept) → manager approves → reviewer approves → published with its record", async () => {
    const out = await create(alice, { body: "秋季新品\n销量全网第一，欢迎选购。", intent: "submit" });
    expect((await revision(out.id, 1)).findings).toHaveLength(1);
    // The manager sends it back with a comment.
    expect(await decide(eastManager, out.id, 1, "REJECT")).toMatchObject({ ok: false, field: "comment" });
    expectOk(await decide(eastManager, out.id, 1, "REJECT", "请删除绝对化用语"));
    expect(await submission(out.id)).toMatchObject({ status: "CHANGES_REQUESTED" });
    expect(await revision(out.id, 1)).toMatchObject({ sentBackById: eastManager.id, sentBackComment: "请删除绝对化用语" });
    // The author rewrites it and submits again: revision 2, revision 1 kept.
    const revised = expectOk(await revise(alice, out.id, { body: "秋季新品\n深受顾客喜爱，欢迎选购。", note: "删除“全网第一”", intent: "submit" }));
    expect(revised).toMatchObject({ revision: 2, findings: 0, status: "IN_REVIEW" });
    expect(await db.prisma.contentRevision.count({ where: { submissionId: out.id } })).toBe(2);
    // Level 1, level 2.
    expectOk(await decide(eastManager, out.id, 2, "APPROVE", "同意"));
    expect(await submission(out.id)).toMatchObject({ status: "IN_REVIEW" });
    expect(await decide(eastManager, out.id, 2, "APPROVE")).toMatchObject({ ok: false, code: "FORBIDDEN", messageKey: "content.errors.notReviewer" });
    expectOk(await decide(admin, out.id, 2, "APPROVE"));
    const s = await submission(out.id);
    expect(s.status).toBe("PUBLISHED");
    const record = await db.prisma.contentPublication.findUniqueOrThrow({ where: { submissionId: out.id } });
    expect(record).toMatchObject({ revisionNumber: 2, title: "双十一预热", authorName: "李小雨", accountName: "华东销售部企业微信", acceptedFindings: [] });
    expect((record.approvers as Array<{ name: string; comment: string | null }>).map((a) => [a.name, a.comment])).toEqual([
      ["王海涛", "同意"],
      ["周建国", null],
    ]);
    expect(await auditActions(out.id)).toEqual(["content.create", "content.submit", "content.sendBack", "content.revise", "content.submit", "content.publish"]);
    expect(await db.prisma.notification.findMany({ where: { recipientId: alice.id, kind: "content.published", href: `/content/${out.id}` } })).toHaveLength(1);
  });

  it("a decision on an old revision is refused and changes nothing", async () => {
    const out = await create(alice, { intent: "submit" });
    expectOk(await revise(alice, out.id, { body: "改过的文案。", intent: "submit" }));
    const s = await submission(out.id);
    expect(s.currentRevision).toBe(2);
    const outcome = await decide(eastManager, out.id, 1, "APPROVE");
    expect(outcome).toMatchObject({ ok: false, code: "INVALID_STATE", messageKey: "content.errors.oldRevision", params: { revision: 1, current: 2 } });
    expect(await submission(out.id)).toMatchObject({ status: "IN_REVIEW", version: s.version });
    // The first request was withdrawn when revision 2 was written; the second waits on the manager.
    const requests = await db.prisma.approvalRequest.findMany({ where: { subjectId: out.id }, orderBy: { createdAt: "asc" } });
    expect(requests.map((r) => r.status)).toEqual(["WITHDRAWN", "PENDING"]);
    const finding = await accept(eastManager, out.id, 1, "cnotafinding0000000000001");
    expect(finding).toMatchObject({ ok: false, messageKey: "content.errors.oldRevision" });
  });

  it("the last approval is refused while a finding is open; accepted with a reason, it is recorded", async () => {
    const brand = await media(alice, { name: "无授权图片", licenceType: "NONE", licensee: "", licenceExpiresOn: "" });
    const out = await create(alice, { body: "最生活毛巾，行业第一品牌。", mediaIds: [brand.id], intent: "submit" });
    const rev = await revision(out.id, 1);
    expect(rev.findings.map((f) => f.term)).toEqual(["第一", "无授权图片"]);
    expectOk(await decide(eastManager, out.id, 1, "APPROVE"));
    // Through the approvals inbox (the engine directly) as on the content page: refused.
    const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: (await submission(out.id)).requestId! }, include: { steps: true } });
    const step = request.steps.find((x) => x.status === "PENDING")!;
    await expect(inUnitOfWork(db.prisma, admin, ({ tx, audit }) => decideApprovalStep({ tx, audit, actor: admin }, { requestId: request.id, stepId: step.id, decision: "APPROVE" }))).rejects.toMatchObject({
      messageKey: "content.errors.openFindings",
      options: { params: { count: 2 } },
    });
    expect(await decide(admin, out.id, 1, "APPROVE")).toMatchObject({ ok: false, messageKey: "content.errors.openFindings" });
    expect(await submission(out.id)).toMatchObject({ status: "IN_REVIEW" });
    // Only the reviewer of the current step accepts; not the author, not another employee.
    expect(await accept(alice, out.id, 1, rev.findings[0].id)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await accept(bob, out.id, 1, rev.findings[0].id)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await accept(eastManager, out.id, 1, rev.findings[0].id)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await accept(admin, out.id, 1, rev.findings[0].id, "")).toMatchObject({ ok: false, fieldErrors: { reason: expect.any(Array) } });
    expectOk(await accept(admin, out.id, 1, rev.findings[0].id, "“行业第一品牌”为 2025 年协会评选结果，有证明"));
    expect(await accept(admin, out.id, 1, rev.findings[0].id)).toMatchObject({ ok: false, messageKey: "content.errors.findingAccepted" });
    expectOk(await accept(admin, out.id, 1, rev.findings[1].id, "自有素材，授权补录中"));
    expectOk(await decide(admin, out.id, 1, "APPROVE"));
    const record = await db.prisma.contentPublication.findUniqueOrThrow({ where: { submissionId: out.id } });
    expect((record.acceptedFindings as Array<{ term: string; reason: string; acceptedBy: string }>).map((f) => [f.term, f.reason, f.acceptedBy])).toEqual([
      ["第一", "“行业第一品牌”为 2025 年协会评选结果，有证明", "周建国"],
      ["无授权图片", "自有素材，授权补录中", "周建国"],
    ]);
  });

  it("the publication record is append-only", async () => {
    const row = await db.prisma.contentPublication.findFirstOrThrow();
    await expect(db.prisma.contentPublication.update({ where: { id: row.id }, data: { title: "改" } })).rejects.toThrow(/append-only|permission denied/);
    await expect(db.prisma.contentPublication.delete({ where: { id: row.id } })).rejects.toThrow(/append-only|permission denied/);
  });

  it("the author withdraws a review (draft again) and may abandon a draft; others cannot touch it", async () => {
    const out = await create(alice, { intent: "submit" });
    let s = await submission(out.id);
    expect(await run(db.prisma, bob, submissionRefSchema, { id: out.id, version: s.version }, (ctx) => withdrawReview(ctx))).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await revise(bob, out.id)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expectOk(await run(db.prisma, alice, submissionRefSchema, { id: out.id, version: s.version }, (ctx) => withdrawReview(ctx)));
    s = await submission(out.id);
    expect(s.status).toBe("DRAFT");
    expect(await run(db.prisma, alice, submissionRefSchema, { id: out.id, version: s.version - 1 }, abandonSubmission)).toMatchObject({ ok: false, code: "STALE" });
    expectOk(await run(db.prisma, alice, submissionRefSchema, { id: out.id, version: s.version }, abandonSubmission));
    s = await submission(out.id);
    expect(s.status).toBe("WITHDRAWN");
    expect(await run(db.prisma, alice, submissionRefSchema, { id: out.id, version: s.version }, (ctx) => submitSubmission(ctx))).toMatchObject({ ok: false, messageKey: "content.errors.wrongStatus" });
    expect(await revise(alice, out.id)).toMatchObject({ ok: false, messageKey: "content.errors.wrongStatus" });
  });

  it("an auditor reads but does not decide", async () => {
    const out = await create(alice, { intent: "submit" });
    expect(await decide(auditor, out.id, 1, "APPROVE")).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });
});

describe("editing the rule lists", () => {
  it("a new term and a new exemption change the findings of the next revision; configure only", async () => {
    const form = { ruleId: (await db.prisma.contentRule.findUniqueOrThrow({ where: { code: "SENSITIVE" } })).id, term: "内部价", standsAlone: "on" };
    expect(await run(db.prisma, alice, termAddSchema, form, addTerm)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    const term = expectOk(await run(db.prisma, admin, termAddSchema, form, addTerm));
    expect(await run(db.prisma, admin, termAddSchema, { ...form, term: "内部价" }, addTerm)).toMatchObject({ ok: false, messageKey: "content.errors.termExists" });
    const a = await create(alice, { body: "员工内部价，仅限今日。" });
    expect((await revision(a.id, 1)).findings.map((f) => [f.ruleCode, f.term])).toEqual([["SENSITIVE", "内部价"]]);
    expectOk(await run(db.prisma, admin, exemptionAddSchema, { phrase: "内部价格表", reason: "内部文件名称" }, addExemption));
    const b = await create(alice, { body: "详见内部价格表。" });
    expect((await revision(b.id, 1)).findings).toEqual([]);
    expectOk(await run(db.prisma, admin, termRemoveSchema, { termId: term.id }, removeTerm));
    const c = await create(alice, { body: "员工内部价。" });
    expect((await revision(c.id, 1)).findings).toEqual([]);
    // Findings already stored keep their rule.
    expect((await revision(a.id, 1)).findings).toHaveLength(1);
  });
});

describe("the lists and the content page", () => {
  it("sort by every column and filter the media library by licence state", async () => {
    for (const sort of MEDIA_SORTS) for (const dir of ["asc", "desc"]) expect((await listMedia(db.prisma, mediaListSchema.parse({ sort, dir }))).total).toBeGreaterThan(0);
    const now = new Date("2026-06-01T02:00:00Z");
    const expired = await listMedia(db.prisma, mediaListSchema.parse({ licence: "expired" }), now);
    expect(expired.rows.map((r) => r.name)).toContain("过期视频");
    const missing = await listMedia(db.prisma, mediaListSchema.parse({ licence: "missing" }), now);
    expect(missing.rows.every((r) => r.licenceType === "NONE")).toBe(true);
    for (const sort of SUBMISSION_SORTS) expect((await listSubmissions(alice, db.prisma, submissionListSchema.parse({ sort }))).total).toBeGreaterThan(0);
    expect((await listPublications(db.prisma, publicationListSchema.parse({ sort: "title" }))).total).toBeGreaterThan(0);
  });

  it("an author sees only their own; content.read:all sees every one; a reviewer sees through the request", async () => {
    const mine = await listSubmissions(bob, db.prisma, submissionListSchema.parse({}));
    expect(mine.total).toBe(0);
    const all = await listSubmissions(auditor, db.prisma, submissionListSchema.parse({}));
    expect(all.total).toBe(await db.prisma.contentSubmission.count());
    const out = await create(alice, { intent: "submit" });
    expect(await getSubmissionView(bob, db.prisma, out.id)).toBeNull();
    expect(await getSubmissionView(eastManager, db.prisma, out.id)).toMatchObject({ canReview: true, isLastStep: false });
    expect(await getSubmissionView(admin, db.prisma, out.id)).toMatchObject({ canReview: false });
    expect(await getSubmissionView(alice, db.prisma, out.id)).toMatchObject({ canReview: false, isAuthor: true });
  });
});

describe("concurrency", () => {
  it("a decision on the content page and one in the inbox at once: exactly one counts, the other is told", async () => {
    for (let round = 0; round < 3; round++) {
      const out = await create(alice, { intent: "submit" });
      const s = await submission(out.id);
      const step = await db.prisma.approvalRequestStep.findFirstOrThrow({ where: { requestId: s.requestId!, status: "PENDING" } });
      const inbox = inUnitOfWork(db.prisma, eastManager, ({ tx, audit }) => decideApprovalStep({ tx, audit, actor: eastManager }, { requestId: s.requestId!, stepId: step.id, decision: "APPROVE" })).then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ ok: false as const, messageKey: (error as { messageKey?: string }).messageKey }),
      );
      const page = decide(eastManager, out.id, 1, "APPROVE");
      const results = await Promise.all([inbox, page]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const refused = results.find((r) => !r.ok) as { messageKey?: string };
      expect(refused.messageKey).toMatch(/approvals\.errors\.(alreadyDecided|stepNotActive)|content\.errors\.notReviewer/);
      expect(await db.prisma.approvalRequestStep.count({ where: { requestId: s.requestId!, status: "APPROVED" } })).toBe(1);
    }
  });

  it("the author revising while the reviewer decides: one after the other, never both half-applied", async () => {
    for (let round = 0; round < 3; round++) {
      const out = await create(alice, { intent: "submit" });
      const s = await submission(out.id);
      const [revised, decided] = await Promise.all([revise(alice, out.id, { body: "改写后的文案。" }), decide(eastManager, out.id, 1, "APPROVE")]);
      const after = await submission(out.id);
      if (revised.ok) {
        expect(after).toMatchObject({ currentRevision: 2, status: "DRAFT" });
        // The decision either came first (then the revision withdrew that request) or was refused.
        if (!decided.ok) expect(decided.messageKey).toMatch(/content\.errors\.(oldRevision|notInReview)|approvals\.errors\.notPending/);
      } else {
        expect(revised).toMatchObject({ code: "STALE" });
        expect(after.currentRevision).toBe(1);
      }
      const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: s.requestId! } });
      expect(["PENDING", "WITHDRAWN"]).toContain(request.status);
    }
  });
});
