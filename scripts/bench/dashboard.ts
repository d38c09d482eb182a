import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { FIGURES } from "../../lib/dashboard/figures";
import { BULK_SESSION_OPTIONS } from "../../lib/server/bulk-read";
import { DEMO_PASSWORD } from "../../prisma/seed";
import { benchDatabaseName, prepareServedDataset } from "./_dataset";
import { getPage, percentiles, signIn, startServer, timed, treeRssMb, type Timing } from "./_server";

// Issue 9's benchmark: a production build on the large generated company (scale BENCH_SCALE,
// default 1: 20,000 people, 100,000 groups, 1,000,000 contacts, 2,000,000 audit events), with
// 1 and 8 concurrent users, for the company-wide and a manager's dashboard and for the first and
// the 10,000th page of the big lists (the audit trail, the consent register), the server's response time (median and
// 95th percentile, measured by the client on loopback, body read in full) beside the time
// PostgreSQL alone takes for the same queries run the way the page runs them (in parallel over
// a pool of 5). Needs DATABASE_URL (a PostgreSQL server); generates the dataset when it is missing.
// Figures are printed and written to bench/results/dashboard.json.

const log = (line: string) => console.log(`[bench:dashboard] ${line}`);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const PORT = Number(process.env.BENCH_PORT ?? 4610);
const database = benchDatabaseName(SCALE);

type Row = { scenario: string; users: number; server: Timing; postgres: Timing | null; ratio: number | null };

async function main() {
  const url = await prepareServedDataset(process.env.DATABASE_URL, SCALE, log);
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  const q = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows;
  // The company-wide counts run as the server runs them: on a pool of BULK_POOL_MAX (2) whose
  // connections skip parallel workers and JIT (lib/server/bulk-read.ts).
  const bulk = new pg.Pool({ connectionString: url, max: 2, options: BULK_SESSION_OPTIONS });
  const qb = async (sql: string, params: unknown[]) => (await bulk.query(sql, params)).rows;

  const manager = (await q("SELECT e.id, d.id AS dept, d.path FROM employees e JOIN departments d ON d.id = e.department_id WHERE e.email = 'manager@wegovern.demo'", []))[0] as { id: string; dept: string; path: string };
  const subtree = (await q("SELECT count(*)::int AS n FROM employees e JOIN departments d ON d.id = e.department_id WHERE d.path LIKE $1", [`${manager.path}%`]))[0].n as number;
  const newest = Number((await q("SELECT max(id)::text AS id FROM audit_events", []))[0].id);
  const deepCursor = String(newest - 9_999 * 50); // the 10,000th page of 50, newest first
  // The consent list's 10,000th page of 25 (newest grants first): the cursor of the row before it.
  const beforeDeep = (await q("SELECT occurred_at, id FROM consent_events WHERE kind = 'GRANT' ORDER BY occurred_at DESC, id DESC OFFSET $1 LIMIT 1", [9_999 * 25 - 1]))[0] as { occurred_at: Date; id: string } | undefined;
  const consentCursor = beforeDeep ? `${beforeDeep.occurred_at.getTime()}_${beforeDeep.id}` : null;
  const consentCount = (await q("SELECT count(*)::int AS n FROM consent_events WHERE kind = 'GRANT'", []))[0].n as number;
  log(`dataset ${database}: manager@ runs a subtree of ${subtree} people; audit trail up to id ${newest}`);

  // What PostgreSQL alone does for each page: the same statements, in parallel as the page runs them.
  const now = () => new Date();
  const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
  // A dashboard request reads targets, departments and the last refresh itself, every time; the
  // past weeks of the trend once per scope and refresh (kept until the next refresh or week); the
  // figures' counts (FIGURES, for the whole company) only when the shared counts are older than
  // DASHBOARD_CACHE_SECONDS (the "counted on every request" server runs them every time).
  const dashboardQueries = (prefix: string, counts: boolean) => async () => {
    await Promise.all([
      ...(counts ? FIGURES.map((f) => qb(f.sql, ["/%", now(), today()])) : []),
      q("SELECT id, path, name, parent_id, depth FROM departments WHERE path LIKE $1 ORDER BY depth, name", [`${prefix}%`]),
      q("SELECT * FROM dashboard_targets", []),
      q("SELECT id, finished_at, trigger FROM dashboard_refreshes WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1", []),
    ]);
  };
  const consentQueries = (cursor: string | null) => async () => {
    const c = cursor ? { at: new Date(Number(cursor.split("_")[0])), id: cursor.split("_")[1] } : null;
    await Promise.all([
      q(
        `SELECT g.*, s.name, s.phone_mask, n.notice_key, (SELECT json_agg(f.*) FROM consent_events f WHERE f.consent_id = g.id) AS follow_ups
           FROM consent_events g JOIN privacy_subjects s ON s.id = g.subject_id LEFT JOIN privacy_notices n ON n.id = g.notice_id
          WHERE g.kind = 'GRANT' ${c ? "AND (g.occurred_at, g.id) < ($1, $2)" : ""} ORDER BY g.occurred_at DESC, g.id DESC LIMIT 26`,
        c ? [c.at, c.id] : [],
      ),
      q("SELECT count(*) FROM (SELECT 1 FROM consent_events WHERE kind = 'GRANT' LIMIT 10001) x", []),
    ]);
  };
  const auditQueries = (before: string | null) => async () => {
    await Promise.all([
      q(`SELECT * FROM audit_events ${before ? "WHERE id < $1" : ""} ORDER BY id DESC LIMIT 51`, before ? [before] : []),
      q("SELECT count(*) FROM (SELECT 1 FROM audit_events LIMIT 10001) x", []),
    ]);
  };

  const server = await startServer(url, PORT);
  // A second server that counts on every request (concurrent requests still share a count in flight).
  const counting = await startServer(url, PORT + 1, { DASHBOARD_CACHE_SECONDS: "0" });
  const rows: Row[] = [];
  let exportFigures: Record<string, number> | null = null;
  try {
    const admin = await signIn(server.url, "admin@wegovern.demo", DEMO_PASSWORD);
    const mgr = await signIn(server.url, "manager@wegovern.demo", DEMO_PASSWORD);
    const adminCounting = await signIn(counting.url, "admin@wegovern.demo", DEMO_PASSWORD);
    const mgrCounting = await signIn(counting.url, "manager@wegovern.demo", DEMO_PASSWORD);
    const privacy = await signIn(server.url, "privacy@wegovern.demo", DEMO_PASSWORD);
    const scenarios: { name: string; path: string; cookie: string; pg: () => Promise<void>; base?: string }[] = [
      { name: "dashboard, company (ADMIN)", path: "/dashboard", cookie: admin, pg: dashboardQueries("/", false) },
      { name: `dashboard, manager (${subtree} people)`, path: "/dashboard", cookie: mgr, pg: dashboardQueries(manager.path, false) },
      { name: "dashboard, company, counted on every request", path: "/dashboard", cookie: adminCounting, pg: dashboardQueries("/", true), base: counting.url },
      { name: "dashboard, manager, counted on every request", path: "/dashboard", cookie: mgrCounting, pg: dashboardQueries(manager.path, true), base: counting.url },
      { name: "audit trail, page 1", path: "/audit", cookie: admin, pg: auditQueries(null) },
      { name: "audit trail, page 10,000", path: `/audit?before=${deepCursor}`, cookie: admin, pg: auditQueries(deepCursor) },
      { name: "consent list, page 1", path: "/privacy/consents", cookie: privacy, pg: consentQueries(null) },
      ...(consentCursor ? [{ name: "consent list, page 10,000", path: `/privacy/consents?after=${consentCursor}`, cookie: privacy, pg: consentQueries(consentCursor) }] : []),
    ];
    for (const s of scenarios) {
      for (let i = 0; i < 3; i++) {
        await getPage((s.base ?? server.url) + s.path, s.cookie);
        await s.pg();
      }
      for (const users of [1, 8]) {
        const total = users === 1 ? RUNS : RUNS * 2;
        const serverTimes = await timed(total, users, async () => void (await getPage((s.base ?? server.url) + s.path, s.cookie)));
        const pgTimes = await timed(total, users, s.pg);
        const st = percentiles(serverTimes);
        const pt = percentiles(pgTimes);
        rows.push({ scenario: s.name, users, server: st, postgres: pt, ratio: Math.round((st.p95 / pt.p95) * 100) / 100 });
        log(`${s.name}, ${users} user(s): server p50 ${st.p50} ms, p95 ${st.p95} ms; PostgreSQL alone p50 ${pt.p50} ms, p95 ${pt.p95} ms; ratio (p95) ${(st.p95 / pt.p95).toFixed(2)}`);
      }
    }
  } finally {
    await server.stop();
    await counting.stop();
  }
  // The consent register as CSV through the server: rows per second and the server's memory, on a
  // server started for it (the pages above leave the first one's heap grown by their rendering).
  if (process.env.BENCH_SKIP_EXPORT !== "1") {
    const exportServer = await startServer(url, PORT);
    try {
      const privacy = await signIn(exportServer.url, "privacy@wegovern.demo", DEMO_PASSWORD);
      const server = exportServer;
      await getPage(`${server.url}/privacy/consents`, privacy);
      const baseline = treeRssMb(server.pid);
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, treeRssMb(server.pid))), 250);
      const t0 = performance.now();
      const r = await fetch(`${server.url}/privacy/consents/export`, { headers: { Cookie: privacy } });
      let bytes = 0;
      let lines = 0;
      const reader = r.body!.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        for (const b of value) if (b === 10) lines++;
      }
      clearInterval(sampler);
      const seconds = (performance.now() - t0) / 1000;
      exportFigures = { rows: lines - 1, expected: consentCount, seconds: Math.round(seconds * 10) / 10, rowsPerSecond: Math.round((lines - 1) / seconds), megabytes: Math.round(bytes / 1048576), serverRssBaselineMb: Math.round(baseline), serverRssPeakMb: Math.round(peak) };
      log(`consent export: ${exportFigures.rows.toLocaleString("en-US")} rows (of ${consentCount.toLocaleString("en-US")}) in ${exportFigures.seconds} s = ${exportFigures.rowsPerSecond.toLocaleString("en-US")} rows/s, ${exportFigures.megabytes} MB; server memory (resident, process tree) ${exportFigures.serverRssBaselineMb} MB before, ${exportFigures.serverRssPeakMb} MB at most`);
    } finally {
      await exportServer.stop();
    }
  }
  await pool.end();
  await bulk.end();

  console.log("\nscenario | users | server p50 / p95 (ms) | PostgreSQL p50 / p95 (ms) | server ÷ PostgreSQL (p95)");
  for (const r of rows) console.log(`${r.scenario} | ${r.users} | ${r.server.p50} / ${r.server.p95} | ${r.postgres?.p50} / ${r.postgres?.p95} | ${r.ratio}`);
  const first = rows.find((r) => r.scenario === "audit trail, page 1" && r.users === 1);
  const deep = rows.find((r) => r.scenario === "audit trail, page 10,000" && r.users === 1);
  if (first && deep) console.log(`audit trail: page 10,000 p95 is ${(deep.server.p95 / first.server.p95).toFixed(2)}× page 1's (target ≤ 1.5×)`);
  const c1 = rows.find((r) => r.scenario === "consent list, page 1" && r.users === 1);
  const c10k = rows.find((r) => r.scenario === "consent list, page 10,000" && r.users === 1);
  if (c1 && c10k) console.log(`consent list: page 10,000 p95 is ${(c10k.server.p95 / c1.server.p95).toFixed(2)}× page 1's (target ≤ 1.5×)`);
  const out = path.resolve("bench/results/dashboard.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), scale: SCALE, database, runs: RUNS, rows, consentExport: exportFigures }, null, 2));
  log(`figures written to ${out}`);
}

await main();
