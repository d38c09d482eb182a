import { PGlite } from "@electric-sql/pglite";
import { serveOverWire } from "./pglite-wire-server";

// PGlite (Postgres compiled to WebAssembly) served over the wire protocol on loopback, so the
// app, the migration runner and psql talk to it exactly as to a real server (STACK.md). The
// server is our own (pglite-wire-server.ts): it keeps each connection's exchange together.

export type EmbeddedDb = { url: string; port: number; stop: () => Promise<void> };

export async function startEmbeddedDb(options: {
  dataDir?: string; // undefined = in memory
  port?: number; // 0 = any free port
  maxConnections: number;
}): Promise<EmbeddedDb> {
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : undefined);
  const server = await serveOverWire(db, { host: "127.0.0.1", port: options.port ?? 0, maxConnections: options.maxConnections });
  return {
    url: `postgresql://postgres@127.0.0.1:${server.port}/postgres?sslmode=disable`,
    port: server.port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
