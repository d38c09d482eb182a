import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import pg from "pg";
import { hashToken, newToken } from "../../lib/api-tokens/tokens";
import { migrate } from "../../lib/server/migrate";
import { createPrismaClient } from "../../lib/server/prisma-client";
import { makeDepartment, makeEmployee } from "../../prisma/factories";
import { scratchDatabase } from "./_scratch-db";

// `npm run bench -- api` (docs/api.md):
// 1. POST /api/v1/employees/bulk with BENCH_API_EMPLOYEES rows (default 10,000), all new, then the
//    same rows again with a changed name and department (every row an update): the directory's
//    rules, one audit event a row and the training hook, in one transaction a call.
// 2. GET /api/v1/audit-events through its cursor, over BENCH_API_EVENTS events (default 1,000,000)
//    generated with SQL: rows/s and the heap's peak growth, beside PostgreSQL's own execution time
//    for the same keyset queries (EXPLAIN ANALYZE of each page's statement).
// The handlers are called in-process with real Requests (no HTTP server: what is measured is the
// API's own work and the database's). The generated events form a linked chain (each prev_hash is
// the hash before it) but their hashes are not HMACs: the scratch database is dropped afterwards,
// and reading does not verify the chain. BENCH_API_EVENTS=0 skips step 2.
// Figures are printed and written to bench/results/api.json, with the load average.

const EMPLOYEES = Number(process.env.BENCH_API_EMPLOYEES ?? 10_000);
const EVENTS = Number(process.env.BENCH_API_EVENTS ?? 1_000_000);
const PAGE = Number(process.env.BENCH_API_PAGE ?? 5_000);

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  const scratch = await scratchDatabase("api");
  process.env.DATABASE_URL = scratch.url;
  process.env.DB_TRANSACTION_TIMEOUT_MS ??= "900000";
  process.env.AUDIT_HMAC_KEY ??= randomBytes(32).toString("base64");
  console.log(`database: ${scratch.kind}; ${EMPLOYEES.toLocaleString("en")} employees, ${EVENTS.toLocaleString("en")} audit events, pages of ${PAGE}`);
  try {
    await migrate(scratch.url);
    const prisma = createPrismaClient(scratch.url, 2);
    const token = newToken();
    await prisma.$transaction(async (tx) => {
      const hq = await makeDepartment(tx, { name: "总公司", code: "HQ" });
      for (let i = 0; i < 20; i++) await makeDepartment(tx, { name: `部门${i}`, code: `D-${i}`, parentId: hq.id });
      const admin = await makeEmployee(tx, { departmentId: hq.id, name: "管理员", employeeNo: "ADMIN-1", email: "admin@example.test", roles: ["ADMIN", "HR"], status: "ACTIVE" });
      await tx.apiToken.create({ data: { name: "bench", tokenHash: hashToken(token), prefix: token.slice(0, 12), ownerId: admin.id, createdById: admin.id, scopes: ["employees:read", "employees:write", "audit:read"], rateLimit: 1_000_000_000 } });
    });
    const { bulkUpsertEmployeesOp } = await import("../../lib/api/endpoints/employees");
    const { listAuditEventsOp } = await import("../../lib/api/endpoints/audit");
    const headers = { Authorization: `Bearer ${token}` };

    // 1. Bulk upsert: all new, then all changed.
    const figures: Record<string, unknown> = { employees: EMPLOYEES, loadAverage: loadavg().map((n) => Math.round(n * 100) / 100), at: new Date().toISOString() };
    const bulk = async (label: string, rows: unknown[], expect: "created" | "updated") => {
      const body = JSON.stringify({ employees: rows });
      gc();
      const heap0 = process.memoryUsage().heapUsed;
      const t0 = performance.now();
      const res = await bulkUpsertEmployeesOp.handler(new Request("http://bench/api/v1/employees/bulk", { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body }));
      const answer = (await res.json()) as { created?: number; updated?: number; code?: string; detail?: string };
      const ms = performance.now() - t0;
      const heap = process.memoryUsage().heapUsed - heap0;
      gc();
      const retained = process.memoryUsage().heapUsed - heap0;
      if (res.status !== 200) throw new Error(`bulk upsert answered ${res.status}: ${JSON.stringify(answer).slice(0, 500)}`);
      const rowsPerSecond = Math.round((rows.length / ms) * 1000);
      console.log(`bulk upsert (${label}): ${answer[expect]} ${expect} in ${(ms / 1000).toFixed(1)} s (${rowsPerSecond} rows/s), body ${mb(body.length)}, heap +${mb(heap)} at the end (garbage included), +${mb(retained)} after a GC`);
      figures[label] = { rows: rows.length, [expect]: answer[expect], seconds: Math.round(ms / 100) / 10, rowsPerSecond, bodyBytes: body.length, heapGrowthBytes: heap, heapRetainedBytes: retained };
    };
    await bulk("create", Array.from({ length: EMPLOYEES }, (_, i) => ({ employeeNo: `B-${i}`, name: `员工${i}`, email: `b-${i}@example.test`, departmentCode: `D-${i % 20}`, hireDate: "2026-01-05" })), "created");
    await bulk("update", Array.from({ length: EMPLOYEES }, (_, i) => ({ employeeNo: `B-${i}`, name: `员工${i}号`, email: `b-${i}@example.test`, departmentCode: `D-${(i + 1) % 20}`, hireDate: "2026-01-05" })), "updated");
    const out = path.resolve("bench/results/api.json");
    const save = () => {
      figures.loadAverageAtEnd = loadavg().map((n) => Math.round(n * 100) / 100);
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
    };
    save();
    if (EVENTS <= 0) {
      console.log(`written to ${path.relative(process.cwd(), out)}`);
      await prisma.$disconnect();
      return;
    }

    // 2. Audit events with SQL, then read through the cursor API.
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    let t0 = performance.now();
    const last = await client.query<{ hash: string }>("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1");
    await client.query(
      `INSERT INTO audit_events (actor_id, actor_label, action, entity_type, entity_id, before, after, ip, created_at, prev_hash, hash)
       SELECT NULL, 'bench', 'bench.event', 'Bench', 'e' || g, NULL, jsonb_build_object('n', g, 'note', '压测事件'), '127.0.0.1',
              now() - interval '30 days' + g * interval '1 millisecond',
              CASE WHEN g = 1 THEN $1 ELSE 'bench-' || md5((g - 1)::text) END, 'bench-' || md5(g::text)
         FROM generate_series(1, $2::int) g`,
      [last.rows[0]?.hash ?? "0".repeat(64), EVENTS],
    );
    await client.query("ANALYZE audit_events");
    console.log(`generated ${EVENTS.toLocaleString("en")} events with SQL in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const total = Number((await client.query("SELECT count(*) FROM audit_events")).rows[0].count);

    gc();
    const heap0 = process.memoryUsage().heapUsed;
    let peak = heap0;
    let read = 0;
    let pages = 0;
    let cursor: string | null = null;
    const lastIds: string[] = ["0"];
    t0 = performance.now();
    for (;;) {
      const url = new URL("http://bench/api/v1/audit-events");
      url.searchParams.set("limit", String(PAGE));
      if (cursor) url.searchParams.set("cursor", cursor);
      const r = await listAuditEventsOp.handler(new Request(url, { headers }));
      if (r.status !== 200) throw new Error(`page ${pages} answered ${r.status}: ${(await r.text()).slice(0, 300)}`);
      const page = (await r.json()) as { data: { id: string }[]; next_cursor: string | null };
      read += page.data.length;
      pages++;
      if (page.data.length) lastIds.push(page.data[page.data.length - 1].id);
      if (pages % 20 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    const readMs = performance.now() - t0;
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    console.log(`cursor read: ${read.toLocaleString("en")} events (of ${total.toLocaleString("en")} at the start; each page also writes its own api.read event) in ${pages} pages, ${(readMs / 1000).toFixed(1)} s = ${Math.round((read / readMs) * 1000).toLocaleString("en")} rows/s; heap peak +${mb(peak - heap0)} over the baseline`);

    // PostgreSQL's own time for the same keyset statements.
    let pgMs = 0;
    for (const after of lastIds.slice(0, -1)) {
      const plan = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM audit_events WHERE id > $1 ORDER BY id ASC LIMIT ${PAGE + 1}`, [after]);
      pgMs += (plan.rows[0]["QUERY PLAN"] as { "Execution Time": number }[])[0]["Execution Time"];
    }
    figures.auditRead = { events: read, pages, seconds: Math.round(readMs / 100) / 10, rowsPerSecond: Math.round((read / readMs) * 1000), heapPeakGrowthBytes: peak - heap0, postgresSeconds: Math.round(pgMs / 10) / 100 };
    save();
    console.log(`written to ${path.relative(process.cwd(), out)}`);
    console.log(`PostgreSQL execution time for the same ${lastIds.length - 1} page queries: ${(pgMs / 1000).toFixed(2)} s (${Math.round((read / pgMs) * 1000).toLocaleString("en")} rows/s); the API's share: ${((readMs - pgMs) / 1000).toFixed(1)} s (transfer, Prisma, JSON, audit summary per page)`);
    await client.end();
    await prisma.$disconnect();
  } finally {
    const { db } = await import("../../lib/server/db");
    await db().$disconnect().catch(() => {});
    await scratch.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
