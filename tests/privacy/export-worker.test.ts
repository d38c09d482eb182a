import { readdirSync, readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentExportCsv } from "@/lib/privacy/consent-export";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { until } from "../helpers/until";
import { seedConsentRegister, seedOrganisation, usePiiKey } from "./helpers";

// The consent download's worker thread (lib/privacy/consent-export-worker.mjs): its own connection,
// held back when the response does not take what it sends, ended with the download, two at a time,
// and its failures reported to the download. tests/privacy/export-sql.test.ts checks what it writes,
// byte for byte. Here the register is large enough (about 27,000 lines, 6 MB of COPY text) that
// PostgreSQL cannot hand all of it to the socket's buffers at once.

// On PostgreSQL only: the embedded database (PGlite) serves every connection in one process, with no
// backends to see waiting in pg_stat_activity (export-sql.test.ts runs the download on both).
const onPostgres = Boolean(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL);

let db: TestDb;
const now = new Date("2026-11-25T06:00:00Z");
const COPIES = 300;
/** Small chunks, so the worker's four chunks in flight are a small part of the register. */
const CHUNK = 16 * 1024;

beforeAll(async () => {
  if (!onPostgres) return;
  usePiiKey();
  db = await createTestDb();
  const org = await seedOrganisation(db.prisma);
  await seedConsentRegister(db.url, org, now);
  // The register, COPIES times over: each copy's ids (and its follow-ups' links) get a suffix.
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query("SET session_replication_role = replica"); // past the register's append-only trigger, for this test's data only
    const columns = (await c.query<{ name: string }>(`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'consent_events' ORDER BY ordinal_position`)).rows.map((r) => r.name);
    const value = (name: string) => (["id", "consent_id", "dedupe_key"].includes(name) ? `${name} || '~' || g` : name);
    await c.query(`INSERT INTO consent_events (${columns.join(", ")}) SELECT ${columns.map(value).join(", ")} FROM consent_events, generate_series(1, ${COPIES}) g`);
  } finally {
    await c.end();
  }
}, 120_000);
afterAll(async () => db?.close());

/** The export workers' connections open on the test's database, and what the COPY is waiting on. */
async function exportsOpen(): Promise<{ connections: number; waits: string[] }> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ wait: string | null }>(`SELECT wait_event AS wait FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'wegovern-export'`);
    return { connections: rows.length, waits: rows.map((r) => r.wait ?? "") };
  } finally {
    await c.end();
  }
}

/** The niceness of each thread of this process (Linux, /proc/self/task/<tid>/stat). */
function threadNiceness(): number[] {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

describe.skipIf(!onPostgres)("the consent download's worker", () => {
  it("stops reading while the response takes nothing: PostgreSQL waits to write, and the download ends whole", async () => {
    const lines = consentExportCsv({}, now, CHUNK);
    const first = await lines.next();
    expect(first.done).toBe(false);
    // Nothing more is taken: after its chunks in flight the worker pauses its socket, the buffers
    // fill, and PostgreSQL waits on the client (ClientWrite) with the COPY unfinished.
    await until(async () => (await exportsOpen()).waits.includes("ClientWrite"), 60_000, 50);
    // The worker runs at the lowest priority (Linux): one thread of this process, and only one,
    // has niceness 19 while the download is open.
    if (process.platform === "linux") expect(threadNiceness().filter((n) => n === 19)).toHaveLength(1);
    let bytes = (first.value as Uint8Array).length;
    let chunks = 1;
    for await (const chunk of lines) {
      bytes += chunk.length;
      chunks++;
    }
    // Every line, in chunks of about CHUNK bytes of COPY text.
    expect(bytes).toBeGreaterThan(4_000_000);
    expect(chunks).toBeGreaterThan(bytes / (2 * CHUNK));
    await until(async () => (await exportsOpen()).connections === 0);
  });

  it("a download cancelled midway ends its worker: the connection is closed and the COPY stops", async () => {
    const lines = consentExportCsv({}, now, CHUNK);
    expect((await lines.next()).done).toBe(false);
    await until(async () => (await exportsOpen()).waits.includes("ClientWrite"), 60_000, 50);
    await lines.return(undefined);
    await until(async () => (await exportsOpen()).connections === 0);
  });

  it("runs two downloads at once (BULK_POOL_MAX); a third waits for one of them to end", async () => {
    const first = consentExportCsv({}, now, CHUNK);
    const second = consentExportCsv({}, now, CHUNK);
    expect((await first.next()).done).toBe(false);
    expect((await second.next()).done).toBe(false);
    const third = consentExportCsv({}, now, CHUNK);
    let started = false;
    const thirdFirst = third.next().then((r) => {
      started = true;
      return r;
    });
    // While two are open (neither can finish: nothing takes their chunks) the third has no
    // worker and no connection.
    await until(async () => (await exportsOpen()).waits.filter((w) => w === "ClientWrite").length === 2, 60_000, 50);
    expect(started).toBe(false);
    expect((await exportsOpen()).connections).toBe(2);
    await first.return(undefined);
    expect((await thirdFirst).done).toBe(false);
    expect(started).toBe(true);
    await Promise.all([second.return(undefined), third.return(undefined)]);
    await until(async () => (await exportsOpen()).connections === 0);
  });

  it("a failure on the worker's side (its database refuses the connection) reaches the download as an error, and frees its turn", async () => {
    const url = process.env.DATABASE_URL_UNDER_TEST!;
    process.env.DATABASE_URL_UNDER_TEST = Object.assign(new URL(url), { pathname: "/wegovern_no_such_database" }).toString();
    try {
      await expect(consentExportCsv({}, now).next()).rejects.toThrow(/wegovern_no_such_database/);
    } finally {
      process.env.DATABASE_URL_UNDER_TEST = url;
    }
    // Its turn is given back: two more run at once.
    const a = consentExportCsv({}, now, CHUNK);
    const b = consentExportCsv({}, now, CHUNK);
    expect((await a.next()).done).toBe(false);
    expect((await b.next()).done).toBe(false);
    await Promise.all([a.return(undefined), b.return(undefined)]);
    await until(async () => (await exportsOpen()).connections === 0);
  });
});
