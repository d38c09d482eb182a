import { afterAll, beforeAll, beforeEach } from "vitest";
import { startWeComSim, type SimOptions, type WeComSim } from "@/scripts/wecom-sim/server";
import { saveSimConnection, simAdmin, usePiiKey } from "../wecom/helpers";
import { createTestDb, type TestDb } from "./test-db";

// The lifecycle of the WeCom handover tests (tests/offboarding/wecom-*.test.ts): a PII key, the
// WeCom simulator, a fresh database with the portal connected to the simulator's customer-contact
// app, the simulator reset before each test, both stopped after the file.

export type WeComHandoverEnv = { sim: WeComSim; db: TestDb };

/** Registers the file's hooks; `ready` receives the simulator and database once they are up:
 *  `withWeComHandoverEnv((env) => ({ sim, db } = env));` */
export function withWeComHandoverEnv(ready: (env: WeComHandoverEnv) => void, options: { size?: SimOptions["size"]; callsPerMinute?: number } = {}): void {
  let env: Partial<WeComHandoverEnv> = {};
  beforeAll(async () => {
    usePiiKey();
    const sim = await startWeComSim({ size: options.size ?? "tiny" });
    env = { sim };
    const db = await createTestDb();
    env.db = db;
    await saveSimConnection(db.prisma, sim, { callsPerMinute: options.callsPerMinute ?? 60_000, apps: ["customers"] });
    ready({ sim, db });
  }, 120_000);
  afterAll(async () => {
    await env.sim?.stop();
    await env.db?.close();
  });
  beforeEach(async () => {
    await simAdmin(env.sim!, "reset");
  });
}
