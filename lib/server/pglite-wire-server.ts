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
// takes a turn (FIFO) and keeps it until it is idle and outside a transaction. Prepared statements
// are per session too: each connection's names are its own (scopeStatementName), and what it
// prepared is deallocated when it goes.

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

const PARSE = 0x50; // 'P'
const BIND = 0x42; // 'B'
const DESCRIBE = 0x44; // 'D'
const CLOSE = 0x43; // 'C'
const STATEMENT = 0x53; // 'S', Describe's and Close's target kind

/**
 * A frontend message with its prepared statement's name (Parse, Bind, and Describe or Close of a
 * statement) moved into one connection's namespace, `prefix` + name. PostgreSQL keeps prepared
 * statements per session, and every connection here shares PGlite's one session: without this,
 * two connections preparing the same name (node-postgres names a statement once per connection;
 * lib/server/statement-names.ts) would collide. The unnamed statement ("") is left as it is: an
 * exchange has the session to itself. Returns the message and the name it prepares or closes.
 */
export function scopeStatementName(message: Uint8Array, prefix: string): { message: Uint8Array; parsed?: string; closed?: string } {
  const type = message[0];
  let at: number;
  if (type === PARSE) at = 5;
  else if (type === BIND) at = message.indexOf(0, 5) + 1;
  else if ((type === DESCRIBE || type === CLOSE) && message[5] === STATEMENT) at = 6;
  else return { message };
  const end = message.indexOf(0, at);
  if (at <= 0 || end < 0 || end === at) return { message };
  const name = Buffer.from(message.subarray(at, end)).toString("utf8");
  const scoped = Buffer.from(prefix + name, "utf8");
  const out = Buffer.concat([message.subarray(0, at), scoped, message.subarray(end)]);
  out.writeInt32BE(out.length - 1, 1);
  const scopedName = prefix + name;
  return { message: new Uint8Array(out), parsed: type === PARSE ? scopedName : undefined, closed: type === CLOSE ? scopedName : undefined };
}

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
    // The statements this connection prepared, deallocated when it goes (a server's own session
    // would end with it).
    const prefix = `c${id}_`;
    const prepared = new Set<string>();

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
        const scoped = scopeStatementName(new Uint8Array(buffer.subarray(0, length)), prefix);
        const message = scoped.message;
        if (scoped.parsed) prepared.add(scoped.parsed);
        if (scoped.closed) prepared.delete(scoped.closed);
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
        if (turn.heldBy(id) && db.isInTransaction()) await db.exec("ROLLBACK").catch(() => {});
        if (prepared.size > 0) {
          await turn.acquire(id);
          for (const name of prepared) await db.exec(`DEALLOCATE "${name.replaceAll('"', '""')}"`).catch(() => {});
        }
        turn.release(id);
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
