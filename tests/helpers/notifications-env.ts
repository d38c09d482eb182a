import { afterAll, beforeAll, beforeEach } from "vitest";
import { encrypt } from "@/lib/pii";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { seedOrganisation, type Organisation } from "../directory/helpers";
import { startTestSmtp, type TestSmtp } from "../notifications/helpers";
import { simAdmin, usePiiKey } from "../wecom/helpers";
import { createTestDb, type TestDb } from "./test-db";

// The lifecycle of the notification delivery tests (tests/notifications/delivery.test.ts,
// bulk.test.ts): a fresh database with the directory's test organisation, the WeCom simulator
// connected as the portal's app (agent 1000002), a real SMTP server as the environment's
// SMTP_URL, the portal's address PORTAL; before each test the simulator and the mailbox are
// emptied; after the file everything stops.

export type NotificationsEnv = { db: TestDb; sim: WeComSim; smtp: TestSmtp; org: Organisation };

/** The portal's address in the tests' messages. */
export const PORTAL = "https://portal.example.test";
/** A China-time wall-clock instant ("2026-12-07T10:05:00"). */
export const cst = (local: string) => new Date(`${local}+08:00`);
/** A working Monday morning on the 2026 calendar. */
export const MONDAY_10 = cst("2026-12-07T10:05:00");

/** Registers the file's hooks; `ready` receives the environment once it is up (after `setup`, the
 *  file's own links and preferences): `withNotificationsEnv((env) => ({ db, sim, smtp, org } = env), …)`. */
export function withNotificationsEnv(ready: (env: NotificationsEnv) => void, setup: (env: NotificationsEnv) => Promise<void> = async () => {}): void {
  let env: Partial<NotificationsEnv> = {};
  beforeAll(async () => {
    usePiiKey();
    const db = await createTestDb();
    env.db = db;
    const sim = await startWeComSim({ size: "tiny" });
    env.sim = sim;
    const smtp = await startTestSmtp();
    env.smtp = smtp;
    process.env.SMTP_URL = smtp.url;
    process.env.SMTP_FROM = "WeGovern <noreply@portal.example.test>";
    const org = await seedOrganisation(db.prisma);
    await db.prisma.weComSettings.create({
      data: { id: "default", corpId: sim.config.corpId, agentId: "1000002", apiBaseUrl: sim.url, customerSecretCipher: encrypt(sim.config.customerSecret), customerSecretLast4: sim.config.customerSecret.slice(-4) },
    });
    await db.prisma.signInSettings.create({ data: { id: "default", portalUrl: PORTAL } });
    const ok = { db, sim, smtp, org };
    env = ok;
    await setup(ok);
    ready(ok);
  }, 120_000);
  afterAll(async () => {
    delete process.env.SMTP_URL;
    await env.smtp?.stop();
    await env.sim?.stop();
    await env.db?.close();
  });
  beforeEach(async () => {
    await simAdmin(env.sim!, "reset");
    env.smtp!.received.length = 0;
  });
}
