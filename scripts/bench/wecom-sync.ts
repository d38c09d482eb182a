import { randomBytes } from "node:crypto";
import { encrypt } from "../../lib/pii";
import { migrate } from "../../lib/server/migrate";
import { createPrismaClient } from "../../lib/server/prisma-client";
import { runSync, startSync } from "../../lib/wecom/sync/runner";
import { PHASES } from "../../lib/wecom/sync/steps";
import { SIZES, type Company } from "../wecom-sim/company";
import { startWeComSim } from "../wecom-sim/server";
import { round, scratchDatabase } from "./_scratch-db";

// `npm run bench -- wecom-sync`: a full WeCom sync of a simulated company (default scale 1:
// 20 000 members, 1 000 000 customer contacts, 100 000 customer groups) into a fresh database, at
// the default pacing (the settings' default calls per minute per API), through the real client,
// runner and steps, against the simulator on loopback. Prints the time, rows per second, and the
// WeCom calls made beside the fewest calls WeCom's page sizes allow for the same data.
// WECOM_BENCH_SIZE=medium (or tiny, small) for a shorter run; WECOM_BENCH_CPM to change the pacing.

const size = process.env.WECOM_BENCH_SIZE ?? "scale1";

/** The fewest calls that read what the sync stores, given WeCom's page sizes (see docs/wecom.md). */
function minimumCalls(company: Company): Record<string, number> {
  const s = company.size;
  const followers: number[] = [];
  for (let i = 0; i < s.members; i++) if (company.contactCount(i) > 0 && company.member(i).status !== 5) followers.push(i);
  let contactPages = 0;
  for (let b = 0; b < followers.length; b += 100) {
    const n = followers.slice(b, b + 100).reduce((a, i) => a + company.contactCount(i), 0);
    contactPages += Math.max(1, Math.ceil(n / 100));
  }
  return {
    "/gettoken": 2,
    "/department/list": 1,
    "/user/list_id": Math.ceil(s.members / 10_000),
    "/user/get": s.members,
    "/externalcontact/get_follow_user_list": 1,
    "/externalcontact/batch/get_by_user": contactPages,
    "/externalcontact/groupchat/list": Math.max(1, Math.ceil(s.groups / 1000)),
    "/externalcontact/groupchat/get": s.groups,
  };
}

async function main() {
  process.env.PII_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  process.env.AUDIT_HMAC_KEY ??= randomBytes(32).toString("base64");
  const db = await scratchDatabase("wecom_sync");
  const sim = await startWeComSim({ size: size as keyof typeof SIZES });
  const pool = Number(process.env.WECOM_BENCH_POOL ?? 6);
  console.log(`database: ${db.kind}; simulated company "${size}": ${JSON.stringify(sim.company.size)}; Prisma pool ${pool}`);
  await migrate(db.url);
  const prisma = createPrismaClient(db.url, pool);
  try {
    await prisma.weComSettings.create({
      data: {
        id: "default",
        corpId: sim.config.corpId,
        apiBaseUrl: sim.url,
        contactSecretCipher: encrypt(sim.config.contactSecret),
        contactSecretLast4: sim.config.contactSecret.slice(-4),
        customerSecretCipher: encrypt(sim.config.customerSecret),
        customerSecretLast4: sim.config.customerSecret.slice(-4),
        ...(process.env.WECOM_BENCH_CPM ? { callsPerMinute: Number(process.env.WECOM_BENCH_CPM) } : {}),
      },
    });
    const settings = await prisma.weComSettings.findUniqueOrThrow({ where: { id: "default" } });
    console.log(`pacing: ${settings.callsPerMinute} calls per minute per API`);
    const { runId } = await startSync(prisma, { trigger: "MANUAL", startedById: null });
    const started = performance.now();
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 1000);
    const outcome = await runSync(prisma, runId, { phases: PHASES, log: (line) => console.log(`  ${((performance.now() - started) / 1000).toFixed(0)} s ${line}`) });
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    const run = await prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId }, include: { steps: true } });
    const made = sim.stats().calls;
    const minimum = minimumCalls(sim.company);
    const madeTotal = Object.values(made).reduce((a, b) => a + b, 0);
    const minTotal = Object.values(minimum).reduce((a, b) => a + b, 0);
    const rows = run.steps.reduce((a, s) => a + s.rows, 0);
    console.log(`\noutcome: ${outcome}${run.errorCode ? ` (${run.errorCode} ${JSON.stringify(run.errorParams)})` : ""}`);
    console.log(`time: ${round(seconds)} s (${round(seconds / 60)} min)`);
    for (const s of run.steps.sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0))) {
      const t = s.startedAt && s.finishedAt ? (s.finishedAt.getTime() - s.startedAt.getTime()) / 1000 : null;
      console.log(`  ${s.step.padEnd(11)} ${String(s.rows).padStart(9)} rows  ${String(s.calls).padStart(7)} calls  ${t === null ? "—" : `${round(t)} s, ${Math.round(s.rows / Math.max(t, 0.001))} rows/s`}`);
    }
    console.log(`rows: ${rows} in all, ${Math.round(rows / seconds)} rows/s`);
    console.log(`calls: ${madeTotal} made, ${minTotal} the fewest possible → ${(madeTotal / minTotal).toFixed(3)}× (target ≤ 1.1×)`);
    for (const p of Object.keys({ ...minimum, ...made }).sort()) console.log(`  ${p.padEnd(40)} ${String(made[p] ?? 0).padStart(8)} made  ${String(minimum[p] ?? 0).padStart(8)} fewest`);
    console.log(`counts: ${JSON.stringify(run.counts)}`);
    console.log(`peak RSS: ${Math.round(Math.max(...rss, process.memoryUsage().rss) / 1048576)} MB`);
    if (outcome !== "SUCCEEDED") process.exitCode = 1;
  } finally {
    await prisma.$disconnect();
    await sim.stop();
    await db.drop();
  }
}

await main();
