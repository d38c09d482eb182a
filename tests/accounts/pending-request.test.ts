import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markAccountInHandover, reassignAccount, requestDissolutionCommand, resumeAccount, suspendAccount } from "@/lib/accounts/commands";
import { reasonSchema, resumeSchema } from "@/lib/accounts/schemas";
import { DomainError } from "@/lib/server/errors";
import type { Actor } from "@/lib/server/actor";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { approveAll, expectOk, requestAs, run, seedOrganisation, usePiiKey, withdraw, type AccountsOrganisation } from "./helpers";

// Issue 13 item 5: an account under a pending request (its opening, its closing) does not change
// under the approvers. Every command that changes an account refuses with a message naming the
// pending request (the approvals layer's one check), whoever asks; after the request ends the
// change goes through.

let db: TestDb;
let org: AccountsOrganisation;
let alice: Actor;
let admin: Actor;
let hr: Actor;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  [alice, admin, hr] = await Promise.all([org.people.alice, org.people.admin, org.people.hr].map((p) => actorFor(db.prisma, p.id)));
});
afterAll(async () => db?.close());

const account = (id: string) => db.prisma.account.findUniqueOrThrow({ where: { id } });

async function refusal(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, messageKey: error.messageKey, params: error.options.params };
    throw error;
  }
  return { code: "OK" };
}

describe("an account under a pending request", () => {
  it("refuses every change while its dissolution is pending, naming the request; after the withdrawal they go through", async () => {
    const { id, requestId } = await requestAs(db.prisma, alice, org.dept.sh1.id);
    expect(await approveAll(db.prisma, requestId)).toBe("APPROVED");
    const active = await account(id);
    const { requestId: dissolution } = expectOk(await run(db.prisma, alice, reasonSchema, { id, version: active.version, reason: "项目结束" }, requestDissolutionCommand));
    const pending = await account(id);
    expect(pending.status).toBe("DISSOLUTION_PENDING");
    const expected = { code: "CONFLICT", messageKey: "approvals.errors.pendingRequest.ACCOUNT_DISSOLVE", params: { title: pending.displayName } };

    expect(await run(db.prisma, admin, reasonSchema, { id, version: pending.version, reason: "暂停" }, suspendAccount)).toMatchObject({ ok: false, ...expected });
    expect(await run(db.prisma, admin, resumeSchema, { id, version: pending.version, reason: "" }, resumeAccount)).toMatchObject({ ok: false, ...expected });
    expect(await refusal(() => inUnitOfWork(db.prisma, hr, ({ tx, audit }) => markAccountInHandover({ actor: hr, tx, audit }, { accountId: id })))).toMatchObject(expected);
    expect(await refusal(() => inUnitOfWork(db.prisma, hr, ({ tx, audit }) => reassignAccount({ actor: hr, tx, audit }, { accountId: id, newHolderId: org.people.bob.id })))).toMatchObject(expected);
    expect(await account(id)).toMatchObject({ status: "DISSOLUTION_PENDING", holderId: alice.id, version: pending.version });

    await withdraw(db.prisma, dissolution);
    const back = await account(id);
    expect(back.status).toBe("ACTIVE");
    expect(expectOk(await run(db.prisma, admin, reasonSchema, { id, version: back.version, reason: "暂停" }, suspendAccount)).status).toBe("SUSPENDED");
  });

  it("refuses a change while its opening is pending", async () => {
    const { id } = await requestAs(db.prisma, alice, org.dept.sh1.id);
    const requested = await account(id);
    expect(requested.status).toBe("REQUESTED");
    const outcome = await refusal(() => inUnitOfWork(db.prisma, hr, ({ tx, audit }) => reassignAccount({ actor: hr, tx, audit }, { accountId: id, newHolderId: org.people.bob.id })));
    expect(outcome).toMatchObject({ code: "CONFLICT", messageKey: "approvals.errors.pendingRequest.ACCOUNT_CREATE", params: { title: requested.displayName } });
    expect(await account(id)).toMatchObject({ status: "REQUESTED", holderId: alice.id });
  });
});
