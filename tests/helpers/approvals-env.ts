import { afterAll, beforeAll } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { seedApprovalsOrg, type ApprovalsOrg } from "../approvals/helpers";
import { actorFor } from "./actors";
import { createTestDb, type TestDb } from "./test-db";

// The lifecycle of the approvals engine tests (tests/approvals/batch.test.ts, segregation.test.ts):
// a fresh database with the approvals organisation and an actor for each of its people.

export type ApprovalsEnv = { db: TestDb; org: ApprovalsOrg; as: Record<keyof ApprovalsOrg["people"], Actor> };

/** Registers the file's hooks; `ready` receives the environment once it is up:
 *  `withApprovalsEnv((env) => ({ db, org, as } = env));` */
export function withApprovalsEnv(ready: (env: ApprovalsEnv) => void): void {
  let db: TestDb | undefined;
  beforeAll(async () => {
    db = await createTestDb();
    const org = await seedApprovalsOrg(db.prisma);
    const as = Object.fromEntries(await Promise.all(Object.entries(org.people).map(async ([k, p]) => [k, await actorFor(db!.prisma, p.id)]))) as ApprovalsEnv["as"];
    ready({ db, org, as });
  });
  afterAll(async () => db?.close());
}
