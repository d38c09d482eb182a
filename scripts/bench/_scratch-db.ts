import pg from "pg";
import { startEmbeddedDb } from "../../lib/server/embedded-db";

// A database of a benchmark's own, dropped afterwards: a new database on DATABASE_URL's server, or
// an in-memory PGlite without it. Shared by the benchmarks that fill their own data.

export type ScratchDb = { url: string; kind: string; drop: () => Promise<void> };

export async function scratchDatabase(prefix: string): Promise<ScratchDb> {
  const server = process.env.DATABASE_URL;
  if (server) {
    const name = `wg_bench_${prefix}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(server);
    u.pathname = `/${name}`;
    return {
      url: u.toString(),
      kind: `PostgreSQL (${u.host}, scratch database ${name}, dropped afterwards)`,
      async drop() {
        const c = new pg.Client({ connectionString: server });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const embedded = await startEmbeddedDb({ maxConnections: 12 });
  return { url: embedded.url, kind: "PGlite in memory", drop: embedded.stop };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const round = (n: number) => Math.round(n * 10) / 10;
