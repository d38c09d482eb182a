import { randomBytes } from "node:crypto";
import { encrypt, hashValue, keyringFromEnv, protect } from "../../lib/pii";
import { migrate } from "../../lib/server/migrate";
import { createPrismaClient } from "../../lib/server/prisma-client";
import { WeComClient } from "../../lib/wecom/client";
import { contactsStep } from "../../lib/wecom/sync/contacts";
import { runStepForTest } from "../../lib/wecom/sync/runner";
import { makeDepartment } from "../../prisma/factories";
import { startWeComSim } from "../wecom-sim/server";
import { round, scratchDatabase } from "./_scratch-db";
import { timedStep } from "./_timed-step";

// The customer-contact step on its own (issue 14): a simulated company (`medium` by default: 2 000
// members, 100 000 customers; WECOM_BENCH_SIZE=scale1 for 1 000 000) synced into a scratch
// database without pacing, twice (the first run creates everything, the second finds it all
// unchanged). Prints the wall time, the time inside the step's commits (the database side: the
// writes and their transactions) and rows per second of each, and what lib/pii costs per row.

const SIZE = process.env.WECOM_BENCH_SIZE ?? "medium";

function piiCost(n: number) {
  const ring = keyringFromEnv();
  const ids = Array.from({ length: n }, (_, i) => `wmBenchCustomer${i.toString(36).padStart(8, "0")}`);
  const time = (f: (v: string) => unknown) => {
    const t0 = performance.now();
    for (const v of ids) f(v);
    return ((performance.now() - t0) * 1000) / n;
  };
  time((v) => protect("identifier", v, ring)); // warm up
  return { protect: time((v) => protect("identifier", v, ring)), encrypt: time((v) => encrypt(v, ring)), hash: time((v) => hashValue("identifier", v, ring)) };
}

async function main() {
  process.env.PII_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  process.env.AUDIT_HMAC_KEY ??= randomBytes(32).toString("base64");
  const cost = piiCost(100_000);
  console.log(`lib/pii per external id: protect (encrypt + keyed hash + mask) ${round(cost.protect)} µs, encrypt ${round(cost.encrypt)} µs, hash ${round(cost.hash)} µs`);

  const db = await scratchDatabase("wecom_contacts");
  const sim = await startWeComSim({ size: SIZE as "medium" });
  console.log(`database: ${db.kind}; simulated company: ${SIZE} (${sim.company.size.members} members, ${sim.company.size.contacts} customers)`);
  await migrate(db.url, { appRole: null });
  const prisma = createPrismaClient(db.url, 4);
  try {
    await makeDepartment(prisma, { name: "示例科技", code: "ROOT" });
    for (const label of ["first run (everything new)", "second run (nothing changed)"]) {
      const client = new WeComClient({ prisma, baseUrl: sim.url, corpId: sim.config.corpId, secret: sim.config.customerSecret, app: "customers" });
      const time = { ms: 0, commits: 0 };
      const timed = timedStep(contactsStep, time);
      const t0 = performance.now();
      const { runId, outcome } = await runStepForTest(prisma, timed, { contacts: null, customers: client });
      const wall = performance.now() - t0;
      const step = await prisma.weComSyncStep.findUniqueOrThrow({ where: { runId_step: { runId, step: "contacts" } } });
      console.log(
        `${label}: ${outcome}; ${step.rows} rows, ${client.calls} WeCom calls, ${time.commits} commits; wall ${round(wall / 1000)} s = ${Math.round(step.rows / (wall / 1000))} rows/s; ` +
          `inside commits ${round(time.ms / 1000)} s = ${Math.round(step.rows / (time.ms / 1000))} rows/s (${round(time.ms / time.commits)} ms a commit); counts ${JSON.stringify(step.counts)}`,
      );
    }
  } finally {
    await prisma.$disconnect();
    await sim.stop();
    await db.drop();
  }
}

await main();
