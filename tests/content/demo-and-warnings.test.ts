import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentAttentionFrom } from "@/lib/content/attention";
import { expiringPublishedMedia } from "@/lib/content/licence-warnings";
import { runContentLicenceWarnings } from "@/lib/jobs/handlers";
import { seedDemo } from "@/prisma/seed";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { usePiiKey } from "../accounts/helpers";

// The demo content (lib/content/demo-seed.ts) and the licence warnings before expiry.

let db: TestDb;
const DAY = 86_400_000;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  expect(await seedDemo(db.prisma, () => {})).toBe(true);
}, 120_000);
afterAll(async () => db?.close());

const person = (email: string) => db.prisma.employee.findUniqueOrThrow({ where: { email } });

describe("demo content", () => {
  it("has content in every working state and a publication with an accepted finding", async () => {
    const statuses = (await db.prisma.contentSubmission.findMany({ orderBy: { createdAt: "asc" } })).map((s) => s.status);
    expect(new Set(statuses)).toEqual(new Set(["PUBLISHED", "IN_REVIEW", "CHANGES_REQUESTED", "DRAFT"]));
    const record = await db.prisma.contentPublication.findFirstOrThrow();
    expect((record.approvers as Array<{ name: string }>).map((a) => a.name)).toEqual(["王海涛", "周建国"]);
    expect(record.acceptedFindings).toEqual([expect.objectContaining({ term: "第一", acceptedBy: "周建国" })]);
    const inReview = await db.prisma.contentSubmission.findFirstOrThrow({ where: { status: "IN_REVIEW" } });
    const findings = await db.prisma.contentFinding.findMany({ where: { revision: { submissionId: inReview.id } } });
    expect(findings.map((f) => f.term)).toEqual(["全网第一"]);
    expect(await db.prisma.mediaAsset.count()).toBe(5);
  });
});

describe("licence warnings", () => {
  it("notify the author and registrant once per asset and end date; today's run twice sends once", async () => {
    const now = new Date();
    const first = await runContentLicenceWarnings(db.prisma, () => {}, now);
    expect(first).toEqual({ assets: 1, sent: 1 }); // 李小雨 wrote the content and registered the photo
    expect(await runContentLicenceWarnings(db.prisma, () => {}, now)).toEqual({ assets: 1, sent: 0 });
    const employee = await person("employee@wegovern.demo");
    const notes = await db.prisma.notification.findMany({ where: { recipientId: employee.id, kind: "content.licenceExpiring" } });
    expect(notes).toHaveLength(1);
    expect(notes[0].params).toMatchObject({ name: "秋季新品主图（摄影师 陈晨）" });
    // 40 days on, the photo's licence has ended: nothing more to warn about.
    expect(await runContentLicenceWarnings(db.prisma, () => {}, new Date(now.getTime() + 40 * DAY))).toEqual({ assets: 0, sent: 0 });
  });

  it("the home page shows the author's sent-back content and expiring media; media.manage sees every asset, others none", async () => {
    const employee = await actorFor(db.prisma, (await person("employee@wegovern.demo")).id);
    expect((await contentAttentionFrom(employee, db.prisma)).map((i) => [i.labelKey, i.params?.count])).toEqual([
      ["content.attention.sentBack", 1],
      ["content.attention.licenceExpiring", 1],
    ]);
    const admin = await actorFor(db.prisma, (await person("admin@wegovern.demo")).id);
    expect((await contentAttentionFrom(admin, db.prisma)).map((i) => i.labelKey)).toEqual(["content.attention.licenceExpiring"]);
    const hr = await actorFor(db.prisma, (await person("hr@wegovern.demo")).id);
    expect(await contentAttentionFrom(hr, db.prisma)).toEqual([]);
  });

  it("counts in one statement what expiringPublishedMedia and the sent-back count give, for each person and day", async () => {
    let seen = 0;
    for (const email of ["employee@wegovern.demo", "admin@wegovern.demo", "hr@wegovern.demo", "manager@wegovern.demo"]) {
      const actor = await actorFor(db.prisma, (await person(email)).id);
      for (const days of [0, 10, 29, 31, 40, -5]) {
        const at = new Date(Date.now() + days * DAY);
        const media = await expiringPublishedMedia(db.prisma, at, actor.permissions.has("media.manage") ? undefined : actor.id);
        const expected = {
          "content.sentBack": actor.permissions.has("content.submit") ? await db.prisma.contentSubmission.count({ where: { authorId: actor.id, status: "CHANGES_REQUESTED" } }) : 0,
          "content.licenceExpiring": new Set(media.map((m) => m.asset.id)).size,
        };
        const got = Object.fromEntries((await contentAttentionFrom(actor, db.prisma, at)).map((i) => [i.key, i.params?.count]));
        expect(got, `${email} ${days}`).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)));
        seen += expected["content.licenceExpiring"] + expected["content.sentBack"];
      }
    }
    expect(seen).toBeGreaterThan(3);
  });
});
