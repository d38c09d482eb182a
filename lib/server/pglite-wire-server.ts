import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

// A Postgres wire-protocol server in front of one PGlite instance, for the embedded default.
//
// PGlite is a single database session. Several client connections can share it only if each one
// has the session to itself for a whole exchange: from its first message until the server's
// ReadyForQuery (after Sync or a simple Query), and for as long as it holds a transaction open.
// @electric-sql/pglite-socket 0.2.17 queues single messages instead, so outside a transaction one
// connection's Parse/Bind/Execute/Sync can be split by another's and a query runs with another
// request's parameters or returns another request's rows (pglite issue 1046). Here a connection
// takes a turn (FIFO) and keeps it until it is idle and outside a transaction.

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;

/** A FIFO lock: whoever holds it owns the PGlite session. */
class Turn {
  private holder: number | null = null;
  private waiting: Array<{ id: number; grant: () => void }> = [];

  async acquire(id: number): Promise<void> {
    if (this.holder === id) return;
    if (this.holder === null) {
      this.holder = id;
      return;
    }
    await new Promise<void>((grant) => this.waiting.push({ id, grant }));
  }

  release(id: number): void {
    if (this.holder !== id) {
      this.waiting = this.waiting.filter((w) => w.id !== id);
      return;
    }
    const next = this.waiting.shift();
    this.holder = next ? next.id : null;
    next?.grant();
  }

  heldBy(id: number): boolean {
    return this.holder === id;
  }
}

export type WireServer = { port: number; stop: () => Promise<void> };

export async function serveOverWire(db: PGlite, options: { host?: string; port?: number; maxConnections: number }): Promise<WireServer> {
  const turn = new Turn();
  const sockets = new Set<net.Socket>();
  let nextId = 1;

  const server = net.createServer((socket) => {
    if (sockets.size >= options.maxConnections) {
      socket.end();
      return;
    }
    sockets.add(socket);
    socket.setNoDelay(true);
    const id = nextId++;
    let buffer = Buffer.alloc(0);
    let started = false;
    let chain = Promise.resolve();

    const run = async (message: Uint8Array, endsExchange: boolean) => {
      await turn.acquire(id);
      try {
        await db.runExclusive(() =>
          db.execProtocolRawStream(message, {
            onRawData: (data) => {
              if (data.length > 0 && socket.writable) socket.write(Buffer.from(data));
            },
          }),
        );
      } finally {
        if (endsExchange && !db.isInTransaction()) turn.release(id);
      }
    };

    const drain = () => {
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          if (buffer.length < length) return;
          const message = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            socket.write("N");
            continue;
          }
          if (code === CANCEL_REQUEST) continue; // not supported; the query simply runs to its end
          started = true;
          const copy = new Uint8Array(message);
          chain = chain.then(() => run(copy, true));
          continue;
        }
        if (buffer.length < 5) return;
        const length = 1 + buffer.readInt32BE(1);
        if (buffer.length < length) return;
        const type = String.fromCharCode(buffer[0]);
        const message = new Uint8Array(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        if (type === "X") {
          socket.end();
          return;
        }
        // Sync and simple Query end an exchange with ReadyForQuery.
        const endsExchange = type === "S" || type === "Q";
        chain = chain.then(() => run(message, endsExchange));
      }
    };

    socket.on("data", (data) => {
      buffer = Buffer.concat([buffer, data]);
      drain();
      chain = chain.catch((error: unknown) => {
        socket.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });

    const close = () => {
      if (!sockets.delete(socket)) return;
      // Let whatever this connection queued finish, then give the session back clean.
      void chain.finally(async () => {
        if (turn.heldBy(id)) {
          if (db.isInTransaction()) await db.exec("ROLLBACK").catch(() => {});
          turn.release(id);
        } else {
          turn.release(id);
        }
      });
    };
    socket.on("close", close);
    socket.on("error", close);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("The embedded database server has no address");
  return {
    port: address.port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
