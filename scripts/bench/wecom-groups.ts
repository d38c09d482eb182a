import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../../lib/server/migrate";
import { createPrismaClient } from "../../lib/server/prisma-client";
import { WeComClient } from "../../lib/wecom/client";
import { governanceStep } from "../../lib/wecom/sync/governance";
import { COMMIT_BATCH, factsOf, groupsStep, upsertGroups } from "../../lib/wecom/sync/groups";
import { runStepForTest } from "../../lib/wecom/sync/runner";
import { startWeComSim } from "../wecom-sim/server";
import { round, scratchDatabase } from "./_scratch-db";
import { timedStep } from "./_timed-step";

// The customer-groups and governance steps on their own (issue 14): a simulated company (`medium`
// by default: 2 000 members, 10 000 customer groups; WECOM_BENCH_SIZE=scale1 for 100 000) synced
// into a scratch database without pacing, twice (the first run creates every group "outside the
// portal", the second finds them unchanged). The directory is written first, as the directory
// step would leave it (every member an employee with its WeCom userid, leavers DEPARTED). Prints
// the wall time, the time inside the steps' commits (the database side) per 1 000 groups, and the
// WeCom calls against the fewest the page sizes allow (one list page per 1 000, one get per group).

const SIZE = process.env.WECOM_BENCH_SIZE ?? "medium";

async function main() {
  process.env.PII_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  process.env.AUDIT_HMAC_KEY ??= randomBytes(32).toString("base64");
  const db = await scratchDatabase("wecom_groups");
  const sim = await startWeComSim({ size: SIZE as "medium" });
  const groups = sim.company.size.groups;
  console.log(`database: ${db.kind}; simulated company: ${SIZE} (${sim.company.size.members} members, ${groups} customer groups)`);
  await migrate(db.url, { appRole: null });
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  await owner.query(`INSERT INTO departments (id, name, code, path, depth, updated_at) VALUES ('benchroot', '示例科技', 'ROOT', '/benchroot/', 0, now())`);
  await owner.query(
    `INSERT INTO employees (id, employee_no, name, email, department_id, status, wecom_userid, wecom_status, hire_date, updated_at)
     SELECT 'benchemp' || i, 'B' || i, '员工' || i, 'u' || lpad(i::text, 6, '0') || '@example.test', 'benchroot',
            (CASE WHEN i % 40 = 39 THEN 'DEPARTED' ELSE 'ACTIVE' END)::"EmployeeStatus", 'u' || lpad(i::text, 6, '0'), CASE WHEN i % 40 = 39 THEN 5 ELSE 1 END, '2020-01-01', now()
       FROM generate_series(0, $1::int - 1) AS i`,
    [sim.company.size.members],
  );
  await owner.end();
  const prisma = createPrismaClient(db.url, 4);
  try {
    for (const label of ["first run (every group new)", "second run (nothing changed)"]) {
      const client = new WeComClient({ prisma, baseUrl: sim.url, corpId: sim.config.corpId, secret: sim.config.customerSecret, app: "customers" });
      const g = { ms: 0, commits: 0 };
      const v = { ms: 0, commits: 0 };
      const t0 = performance.now();
      const run = await runStepForTest(prisma, timedStep(groupsStep, g), { contacts: null, customers: client });
      const wall = performance.now() - t0;
      const t1 = performance.now();
      const gov = await runStepForTest(prisma, timedStep(governanceStep, v), { contacts: null, customers: client });
      const govWall = performance.now() - t1;
      const step = await prisma.weComSyncStep.findUniqueOrThrow({ where: { runId_step: { runId: run.runId, step: "groups" } } });
      const govStep = await prisma.weComSyncStep.findUniqueOrThrow({ where: { runId_step: { runId: gov.runId, step: "governance" } } });
      const fewest = Math.ceil(groups / 1000) + groups;
      console.log(
        `${label}: groups ${run.outcome}; ${step.rows} groups, ${step.calls} WeCom calls (fewest the page sizes allow: ${fewest} + gettoken), ${g.commits} commits; ` +
          `wall ${round(wall / 1000)} s; inside commits ${round(g.ms / 1000)} s = ${round((g.ms / step.rows) * 1000)} ms per 1 000 groups (${round(g.ms / g.commits)} ms a commit); counts ${JSON.stringify(step.counts)}`,
      );
      console.log(
        `${label}: governance ${gov.outcome}; ${govStep.rows} groups checked in ${v.commits} commits, wall ${round(govWall / 1000)} s, inside commits ${round(v.ms / 1000)} s = ${round((v.ms / Math.max(1, govStep.rows)) * 1000)} ms per 1 000 groups; counts ${JSON.stringify(govStep.counts)}`,
      );
    }
    // The database alone: the same upserts with nothing else in flight (the facts computed here,
    // no HTTP), one transaction per COMMIT_BATCH groups as the step commits them.
    for (const label of ["database only, unchanged groups", "database only, every group changed", "database only, unchanged groups, after ANALYZE"]) {
      if (label.endsWith("ANALYZE")) await prisma.$executeRawUnsafe("ANALYZE work_groups");
      const changed = label === "database only, every group changed";
      let ms = 0;
      for (let start = 0; start < groups; start += COMMIT_BATCH) {
        const batch: ReturnType<typeof factsOf>[] = [];
        for (let i = start; i < Math.min(groups, start + COMMIT_BATCH); i++) {
          const chat = sim.company.group(i);
          batch.push(factsOf(changed ? { ...chat, name: `${chat.name}（改）` } : chat, sim.company.groupStatus(i)));
        }
        const t0 = performance.now();
        await prisma.$transaction((tx) => upsertGroups(tx, batch, new Date()));
        ms += performance.now() - t0;
      }
      console.log(`${label}: ${round(ms / 1000)} s = ${round((ms / groups) * 1000)} ms per 1 000 groups (${round(ms / Math.ceil(groups / COMMIT_BATCH))} ms per ${COMMIT_BATCH}-group transaction)`);
    }
  } finally {
    await prisma.$disconnect();
    await sim.stop();
    await db.drop();
  }
}

await main();
