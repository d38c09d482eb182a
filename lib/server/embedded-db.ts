import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

// PGlite (Postgres compiled to WebAssembly) served over the wire protocol on loopback, so the
// app, the migration runner and psql talk to it exactly as to a real server (STACK.md).

export type EmbeddedDb = { url: string; port: number; stop: () => Promise<void> };

export async function startEmbeddedDb(options: {
  dataDir?: string; // undefined = in memory
  port?: number; // 0 = any free port
  maxConnections: number;
}): Promise<EmbeddedDb> {
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : undefined);
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port ?? 0,
    maxConnections: options.maxConnections,
  });
  await server.start();
  const address = server.getServerConn();
  const port = Number(address.split(":").pop());
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
