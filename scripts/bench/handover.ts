import { randomBytes } from "node:crypto";
import { permissionsOf } from "../../lib/auth/permissions";
import { bulkAssign, openCase, startTransfers } from "../../lib/offboarding/commands";
import { makeAccountWithContacts } from "../../lib/offboarding/fixtures";
import { pollTransferResults, sendOutbox } from "../../lib/offboarding/outbox";
import { encrypt } from "../../lib/pii";
import type { Actor } from "../../lib/server/actor";
import { migrate } from "../../lib/server/migrate";
import { createPrismaClient } from "../../lib/server/prisma-client";
import { inUnitOfWork } from "../../lib/server/unit-of-work";
import { WeComClient } from "../../lib/wecom/client";
import { makeDepartment, makeEmployee } from "../../prisma/factories";
import { startWeComSim } from "../wecom-sim/server";
import { round, scratchDatabase } from "./_scratch-db";

// `npm run bench -- handover` (issue 15): one leaver with 5,000 customers (BENCH_CONTACTS) handed to
// one successor through WeCom (the simulator): the case's transfers started (outbox rows written
// with the decision), the outbox sent at WeCom's pacing (the settings' default, 9,000 calls a minute
// per API; BENCH_CPM to change it), then the results polled once the simulator completes them.
// Prints the WeCom calls made beside the minimum (⌈N/100⌉ transfer calls) and the wall time beside
// what the pacing alone allows ((calls − 1) × 60 000 / budget ms).

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 5000);
const CPM = Number(process.env.BENCH_CPM ?? 9000);

async function main() {
  process.env.PII_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  process.env.AUDIT_HMAC_KEY ??= randomBytes(32).toString("base64");
  const db = await scratchDatabase("handover");
  const sim = await startWeComSim({ size: "tiny" });
  console.log(`database: ${db.kind}; ${CONTACTS} contacts of one leaver; pacing ${CPM} calls a minute per API`);
  await migrate(db.url, { appRole: null });
  const prisma = createPrismaClient(db.url, 4);
  try {
    if (!process.env.BENCH_NO_WECOM) await prisma.weComSettings.create({
      data: { id: "default", corpId: sim.config.corpId, apiBaseUrl: sim.url, callsPerMinute: CPM, customerSecretCipher: encrypt(sim.config.customerSecret), customerSecretLast4: sim.config.customerSecret.slice(-4) },
    });
    const dept = await makeDepartment(prisma, { name: "基准", code: "BENCH" });
    const hrRow = await makeEmployee(prisma, { departmentId: dept.id, name: "人事", roles: ["HR"] });
    const leaver = await makeEmployee(prisma, { departmentId: dept.id, name: "离职者" });
    const successor = await makeEmployee(prisma, { departmentId: dept.id, name: "接替人" });
    await prisma.employee.update({ where: { id: leaver.id }, data: { wecomUserid: "bench-leaver", wecomStatus: 5 } });
    await prisma.employee.update({ where: { id: successor.id }, data: { wecomUserid: "bench-successor", wecomStatus: 1 } });
    await makeAccountWithContacts(prisma, { holderId: leaver.id, departmentId: dept.id, contacts: CONTACTS, externalPrefix: "bench" });
    const hr: Actor = { id: hrRow.id, name: hrRow.name, email: hrRow.email, roles: ["HR"], permissions: permissionsOf(["HR"]), departmentId: dept.id, departmentPath: dept.path, ip: null };
    const lastWorkingDay = new Date(Date.UTC(2099, 0, 1));

    const t0 = performance.now();
    const opened = await inUnitOfWork(prisma, hr, ({ tx, audit }) => openCase({ actor: hr, tx, audit, input: { employeeId: leaver.id, lastWorkingDay } }));
    await inUnitOfWork(prisma, hr, ({ tx, audit }) => bulkAssign({ actor: hr, tx, audit, input: { caseId: opened.id, successorId: successor.id, mode: "unassigned" } }));
    // Planner statistics: a scratch database has none for its fresh tables. startTransfers once
    // depended on them (17 s instead of 0.5 s for 5,000 contacts: the filter's subquery rescanned per
    // row); it now acts on the list of matching ids (lib/offboarding/filter.ts resolveItemIds) and
    // takes the same time either way. BENCH_NO_ANALYZE=1 runs it without statistics.
    if (!process.env.BENCH_NO_ANALYZE) await prisma.$executeRawUnsafe("ANALYZE");
    const t1 = performance.now();
    const started = await inUnitOfWork(prisma, hr, ({ tx, audit }) => startTransfers({ actor: hr, tx, audit, input: { caseId: opened.id, kind: "CONTACT" } }));
    const t2 = performance.now();

    const client = new WeComClient({ prisma, baseUrl: sim.url, corpId: sim.config.corpId, secret: sim.config.customerSecret, app: "customers", callsPerMinute: CPM });
    const sent = await sendOutbox(prisma, client);
    const t3 = performance.now();
    const transferCalls = sim.stats().calls["/externalcontact/resigned/transfer_customer"] ?? 0;
    const minimum = Math.ceil(CONTACTS / 100);
    const sendCalls = client.calls;
    const pacingFloor = ((transferCalls - 1) * 60_000) / CPM;

    await fetch(`${sim.url}/__sim/transfers`, { method: "POST", body: JSON.stringify({ refuseShare: 0.1 }) });
    await fetch(`${sim.url}/__sim/transfers/complete`, { method: "POST", body: "{}" });
    const t4 = performance.now();
    const polled = await pollTransferResults(prisma, client);
    const t5 = performance.now();
    const resultCalls = sim.stats().calls["/externalcontact/resigned/transfer_result"] ?? 0;
    const byStatus = await prisma.handoverItem.groupBy({ by: ["status"], where: { caseId: opened.id, kind: "CONTACT" }, _count: { _all: true } });

    console.log(`open + assign: ${round(t1 - t0)} ms; start (items, transfers and ${started.started} outbox rows in one transaction): ${round(t2 - t1)} ms`);
    console.log(`send: ${sent.sent} sent, ${sent.failed} refused in ${sent.batches} batches; transfer calls ${transferCalls} (minimum ${minimum}); all HTTP requests ${sendCalls} (with gettoken); wall ${round(t3 - t2)} ms beside the pacing floor ${round(pacingFloor)} ms`);
    console.log(`results: ${polled.changed} items settled from ${resultCalls} transfer_result page(s) (1,000 a page: minimum ${Math.ceil(CONTACTS / 1000)}) in ${round(t5 - t4)} ms; items ${JSON.stringify(Object.fromEntries(byStatus.map((b) => [b.status, b._count._all])))}`);
    if (transferCalls !== minimum || sent.sent !== CONTACTS) throw new Error("more calls than the minimum, or not every contact sent");
  } finally {
    await prisma.$disconnect();
    await sim.stop();
    await db.drop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
