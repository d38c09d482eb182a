import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmReview, recordArchive, requestDissolution, transferOwnership } from "@/lib/groups/commands";
import { archiveSchema, groupRefSchema, transferSchema } from "@/lib/groups/schemas";
import { isoDay, localDay } from "@/lib/groups/policy-rules";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { approveAll, expectOk, rejectCurrent, requestAs, run, seedGroupsOrganisation, withdraw, type GroupsOrganisation } from "./helpers";

// Issue 13 item 5: a group under a pending request (its creation, its dissolution) does not
// change under the approvers: ownership transfer and the other edits are refused with a message
// naming the pending request, through the one check of the approvals layer. Once the request
// has ended, the same change goes through.

let db: TestDb;
let org: GroupsOrganisation;
let alice: Actor;
let admin: Actor;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedGroupsOrganisation(db.prisma);
  alice = await actorFor(db.prisma, org.people.alice.id);
  admin = await actorFor(db.prisma, org.people.admin.id);
});
afterAll(async () => db?.close());

const group = (id: string) => db.prisma.workGroup.findUniqueOrThrow({ where: { id } });
const today = () => isoDay(localDay(new Date()));

describe("a group under a pending request", () => {
  it("keeps its owner while its creation is pending, for the owner and for groups.manage alike", async () => {
    const { id, requestId } = await requestAs(db.prisma, alice, org, { administratorIds: [] });
    const g = await group(id);
    const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
    for (const actor of [alice, admin]) {
      const outcome = await run(db.prisma, actor, transferSchema, { id, version: String(g.version), ownerId: org.people.carol.id }, transferOwnership);
      expect(outcome).toMatchObject({ ok: false, code: "CONFLICT", messageKey: "approvals.errors.pendingRequest.GROUP_CREATE", params: { title: request.title } });
    }
    expect(await group(id)).toMatchObject({ ownerId: alice.id, version: g.version });
    expect(await db.prisma.auditEvent.count({ where: { entityId: id, action: "workGroup.transfer" } })).toBe(0);

    // Withdrawn: nothing is pending any more (the group itself has ended, so the status refuses).
    await withdraw(db.prisma, requestId);
    const after = await run(db.prisma, alice, transferSchema, { id, version: String((await group(id)).version), ownerId: org.people.carol.id }, transferOwnership);
    expect(after).toMatchObject({ ok: false, messageKey: "groups.errors.wrongStatus" });
  });

  it("keeps its owner while its dissolution is pending; after a rejection it may change hands", async () => {
    const { id, requestId } = await requestAs(db.prisma, alice, org, { administratorIds: [] });
    expect(await approveAll(db.prisma, requestId)).toBe("APPROVED");
    expectOk(await run(db.prisma, alice, archiveSchema, { id, content: "聊天记录", location: "企业知识库/归档", exportedOn: today(), note: "" }, recordArchive));
    const active = await group(id);
    const { requestId: dissolution } = expectOk(await run(db.prisma, alice, groupRefSchema, { id, version: String(active.version) }, requestDissolution));
    const pending = await group(id);
    expect(pending.status).toBe("DISSOLUTION_PENDING");

    const transfer = await run(db.prisma, admin, transferSchema, { id, version: String(pending.version), ownerId: org.people.bob.id }, transferOwnership);
    expect(transfer).toMatchObject({ ok: false, code: "CONFLICT", messageKey: "approvals.errors.pendingRequest.GROUP_DISSOLVE", params: { title: pending.name } });
    // Only ACTIVE groups are reviewed: the status already refuses it.
    const review = await run(db.prisma, alice, groupRefSchema, { id, version: String(pending.version) }, confirmReview);
    expect(review).toMatchObject({ ok: false, messageKey: "groups.errors.wrongStatus" });
    // A newer archive adds evidence for the approvers (and keeps the archive fresh): allowed.
    expectOk(await run(db.prisma, alice, archiveSchema, { id, content: "补充归档", location: "企业知识库/归档", exportedOn: today(), note: "" }, recordArchive));
    expect(await group(id)).toMatchObject({ ownerId: alice.id, version: pending.version });

    // The dissolution is rejected: the group is ACTIVE again and may change hands.
    await rejectCurrent(db.prisma, dissolution, "还在使用");
    const reopened = await group(id);
    expect(reopened.status).toBe("ACTIVE");
    expectOk(await run(db.prisma, alice, transferSchema, { id, version: String(reopened.version), ownerId: org.people.bob.id }, transferOwnership));
    expect((await group(id)).ownerId).toBe(org.people.bob.id);
  });
});
