import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { bulkAssign, openCase } from "../../lib/offboarding/commands";
import { makeAccountWithContacts } from "../../lib/offboarding/fixtures";
import { permissionsOf } from "../../lib/auth/permissions";
import { migrate } from "../../lib/server/migrate";
import { createPrismaClient } from "../../lib/server/prisma-client";
import type { Actor } from "../../lib/server/actor";
import { inUnitOfWork } from "../../lib/server/unit-of-work";
import { makeDepartment, makeEmployee } from "../../prisma/factories";
import { median, round, scratchDatabase } from "./_scratch-db";

// "An employee with 5,000 customer contacts: the case opens and a bulk assignment of all of them
// completes within 2 seconds of server time." Times openCase and a bulk assignment of every item
// (each in its own transaction with its audit event, as the Server Action runs them), several runs,
// on a fresh database: a new database on DATABASE_URL's server, or an in-memory PGlite.

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BUDGET_MS = 2000;



async function main() {
  // The contacts' external ids are encrypted (lib/pii); a scratch database takes a throwaway key.
  process.env.PII_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  const db = await scratchDatabase("offboarding");
  console.log(`database: ${db.kind}; ${CONTACTS} contacts; ${RUNS} runs`);
  await migrate(db.url);
  const prisma = createPrismaClient(db.url, 5);
  try {
    const dept = await makeDepartment(prisma, { name: "基准", code: "BENCH" });
    const hrRow = await makeEmployee(prisma, { departmentId: dept.id, name: "人事", roles: ["HR"] });
    const successor = await makeEmployee(prisma, { departmentId: dept.id, name: "接替人" });
    const hr: Actor = { id: hrRow.id, name: hrRow.name, email: hrRow.email, roles: ["HR"], permissions: permissionsOf(["HR"]), departmentId: dept.id, departmentPath: dept.path, ip: null };
    const open: number[] = [];
    const assign: number[] = [];
    const total: number[] = [];
    const lastWorkingDay = new Date(Date.UTC(2099, 0, 1));
    for (let i = 0; i < RUNS; i++) {
      const leaver = await makeEmployee(prisma, { departmentId: dept.id, name: `离职者${i}` });
      await makeAccountWithContacts(prisma, { holderId: leaver.id, departmentId: dept.id, contacts: CONTACTS, externalPrefix: `bench${i}` });
      const t0 = performance.now();
      const opened = await inUnitOfWork(prisma, hr, ({ tx, audit }) => openCase({ actor: hr, tx, audit, input: { employeeId: leaver.id, lastWorkingDay } }));
      const t1 = performance.now();
      const assigned = await inUnitOfWork(prisma, hr, ({ tx, audit }) =>
        bulkAssign({ actor: hr, tx, audit, input: { caseId: opened.id, successorId: successor.id, mode: "unassigned" } }),
      );
      const t2 = performance.now();
      if (opened.counts.contacts !== CONTACTS || assigned.assigned !== CONTACTS + 1) throw new Error(`unexpected counts ${JSON.stringify({ opened, assigned })}`);
      open.push(t1 - t0);
      assign.push(t2 - t1);
      total.push(t2 - t0);
      console.log(`run ${i + 1}: openCase ${round(t1 - t0)} ms (${opened.counts.contacts} contacts, ${opened.counts.accounts} account), bulk assign all ${round(t2 - t1)} ms (${assigned.assigned} items)`);
    }
    const figures = {
      benchmark: "offboarding: open a case for an employee with N contacts, then assign one successor to all of them",
      database: db.kind,
      contacts: CONTACTS,
      runs: RUNS,
      openCaseMs: { median: round(median(open)), max: round(Math.max(...open)) },
      bulkAssignAllMs: { median: round(median(assign)), max: round(Math.max(...assign)) },
      totalMs: { median: round(median(total)), max: round(Math.max(...total)) },
      budgetMs: BUDGET_MS,
      withinBudget: Math.max(...total) <= BUDGET_MS,
      at: new Date().toISOString(),
    };
    console.log(
      `openCase: median ${figures.openCaseMs.median} ms, max ${figures.openCaseMs.max} ms; bulk assign all: median ${figures.bulkAssignAllMs.median} ms, max ${figures.bulkAssignAllMs.max} ms; ` +
        `both: median ${figures.totalMs.median} ms, max ${figures.totalMs.max} ms (budget ${BUDGET_MS} ms: ${figures.withinBudget ? "met" : "NOT met"})`,
    );
    const out = path.resolve("bench/results/offboarding.json");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`written to ${path.relative(process.cwd(), out)}`);
  } finally {
    await prisma.$disconnect();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
