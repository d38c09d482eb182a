import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { hashValue } from "@/lib/pii";
import { checkConsent } from "@/lib/privacy/validity";
import { ARCHIVE_PURPOSE, archiveAgreements, readArchiveConsent } from "@/lib/privacy/wecom-archive";
import { subjectByIdentifier } from "@/lib/privacy/subjects";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { archiveClient, customersClient, simAdmin, usePiiKey } from "../wecom/helpers";

// Issue 15 item 7 against the simulator and PostgreSQL: customers' agreement to chat archiving
// read from WeCom (get_permit_user_list, check_single_agree in batches of at most 100 pairs,
// check_room_agree per group) into the consent register as the purpose WECOM_CHAT_ARCHIVE, at
// WeCom's time and through channel WECOM; a re-read adds nothing; Agree → Disagree records the
// withdrawal, Disagree → Agree a new grant; a refusal never agreed is kept with its time.

beforeAll(() => usePiiKey());

// "Read now" through its real wrapper: the session and the language stood in for.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
const { readArchiveConsentNowAction } = await import("@/lib/privacy/wecom-archive-actions");

const MEMBERS = Array.from({ length: 15 }, (_, i) => `u${String(i).padStart(6, "0")}`);
const T1 = 1_760_000_000;

describe("chat-archive consent from WeCom", () => {
  let db: TestDb;
  let sim: WeComSim;
  let pairs: { userid: string; externalUserid: string; name: string }[];
  const client = () => customersClient(db.prisma, sim);
  const clients = () => ({ archive: archiveClient(db.prisma, sim), customers: client() });
  const events = () => db.prisma.consentEvent.count();
  const subjectOf = async (externalUserid: string) => (await db.prisma.$transaction((tx) => subjectByIdentifier(tx, "wecomId", externalUserid)))!;
  const agree = (userid: string, externalUserid: string, status: "Agree" | "Disagree", time: number) => simAdmin(sim, "compliance/agree", { userid, externalUserid, status, time });

  beforeAll(async () => {
    db = await createTestDb();
    sim = await startWeComSim({ size: "small" });
    await simAdmin(sim, "compliance/permit", { ids: MEMBERS });
    pairs = [];
    for await (const page of client().contactsOf(MEMBERS)) for (const c of page) pairs.push({ userid: c.follow_info.userid, externalUserid: c.external_contact.external_userid, name: c.external_contact.name });
    // The first customer agreed, the second refused; the rest as the simulator computes them.
    await agree(pairs[0].userid, pairs[0].externalUserid, "Agree", T1);
    await agree(pairs[1].userid, pairs[1].externalUserid, "Disagree", T1 + 60);
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.close();
  });

  it("reads every archived member's customers in batches of at most 100 and their groups, into the register", async () => {
    expect(pairs).toHaveLength(150);
    const counts = await readArchiveConsent(db.prisma, clients());
    expect(counts.members).toBe(15);
    expect(counts.pairs).toBe(150);
    expect(sim.stats().calls["/msgaudit/check_single_agree"]).toBe(2);
    expect(sim.stats().calls["/msgaudit/check_room_agree"] ?? 0).toBe(counts.rooms);
    expect(counts.granted + counts.refused).toBe(counts.answers);
    expect(counts.refused).toBeGreaterThan(0);

    const first = await subjectOf(pairs[0].externalUserid);
    expect(first.kind).toBe("CUSTOMER");
    expect(first.name).toBe(pairs[0].name);
    const grants = await db.prisma.consentEvent.findMany({ where: { subjectId: first.id, kind: "GRANT" } });
    const single = grants.find((g) => g.evidenceRef === `wecom:msgaudit:single:${pairs[0].userid}`)!;
    expect(single).toMatchObject({ channel: "WECOM", purposes: [ARCHIVE_PURPOSE], occurredAt: new Date(T1 * 1000), expiresAt: null, source: "WECOM" });
    expect((await db.prisma.$transaction((tx) => checkConsent(tx, first.id, { purpose: ARCHIVE_PURPOSE }))).valid).toBe(true);

    // The refusal: kept with WeCom's time, no grant for it.
    const second = await subjectOf(pairs[1].externalUserid);
    const refusal = await db.prisma.weComArchiveAgreement.findUniqueOrThrow({ where: { subjectId_scope_context: { subjectId: second.id, scope: "SINGLE", context: pairs[1].userid } } });
    expect(refusal).toMatchObject({ status: "DISAGREE", changedAt: new Date((T1 + 60) * 1000), consentId: null });
    expect(await db.prisma.consentEvent.count({ where: { subjectId: second.id, evidenceRef: `wecom:msgaudit:single:${pairs[1].userid}` } })).toBe(0);

    // The external userid is kept only as the subject's token, hash and mask.
    const row = await db.prisma.dataSubject.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.wecomIdHash).toBe(hashValue("identifier", pairs[0].externalUserid));
    expect(row.wecomIdCipher).not.toContain(pairs[0].externalUserid);

    const rooms = await db.prisma.weComArchiveAgreement.count({ where: { scope: "ROOM" } });
    expect(counts.rooms).toBeGreaterThan(0);
    expect(rooms).toBeGreaterThan(0);
    const view = await archiveAgreements(db.prisma, { status: "DISAGREE" });
    expect(view.refused).toBe(counts.refused);
    expect(view.rows.every((r) => r.status === "DISAGREE")).toBe(true);
    expect(await db.prisma.auditEvent.count({ where: { action: "consent.wecomArchive" } })).toBeGreaterThan(0);
  });

  it("adds nothing when read again", async () => {
    const before = await events();
    const counts = await readArchiveConsent(db.prisma, clients());
    expect(counts).toMatchObject({ granted: 0, withdrawn: 0, refused: 0, subjectsCreated: 0 });
    expect(counts.unchanged).toBe(counts.answers);
    expect(await events()).toBe(before);
  });

  it("records Agree → Disagree as the grant's withdrawal at WeCom's time, and Disagree → Agree as a new grant", async () => {
    await agree(pairs[0].userid, pairs[0].externalUserid, "Disagree", T1 + 3600);
    await agree(pairs[1].userid, pairs[1].externalUserid, "Agree", T1 + 7200);
    const counts = await readArchiveConsent(db.prisma, clients());
    expect(counts).toMatchObject({ withdrawn: 1, granted: 1, refused: 0 });

    const first = await subjectOf(pairs[0].externalUserid);
    const grant = await db.prisma.consentEvent.findFirstOrThrow({ where: { subjectId: first.id, kind: "GRANT", evidenceRef: `wecom:msgaudit:single:${pairs[0].userid}` } });
    const withdrawal = await db.prisma.consentEvent.findFirstOrThrow({ where: { consentId: grant.id, kind: "WITHDRAW" } });
    expect(withdrawal).toMatchObject({ channel: "WECOM", occurredAt: new Date((T1 + 3600) * 1000) });

    const second = await subjectOf(pairs[1].externalUserid);
    const newGrant = await db.prisma.consentEvent.findFirstOrThrow({ where: { subjectId: second.id, kind: "GRANT", evidenceRef: `wecom:msgaudit:single:${pairs[1].userid}` } });
    expect(newGrant.occurredAt).toEqual(new Date((T1 + 7200) * 1000));

    const before = await events();
    await readArchiveConsent(db.prisma, clients());
    expect(await events()).toBe(before);
  });
});

describe("read now", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => db?.close());

  it("is the privacy officer's, and says so when the WeCom connection is not set", async () => {
    const { seedOrganisation } = await import("./helpers");
    const { actorFor } = await import("../helpers/actors");
    const org = await seedOrganisation(db.prisma);
    session.actor = await actorFor(db.prisma, org.people.alice.id);
    expect(await readArchiveConsentNowAction(null, {})).toMatchObject({ ok: false, code: "FORBIDDEN" });
    session.actor = await actorFor(db.prisma, org.people.privacy.id);
    const result = await readArchiveConsentNowAction(null, {});
    expect(result).toMatchObject({ ok: false, code: "VALIDATION" });
    if (!result.ok) expect(result.formError).toMatch(/chat-archive secret/);
  });
});
