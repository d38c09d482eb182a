import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { preparedStatementsEnabled, statementNamer } from "./statement-names";
import { transactionLimits } from "./transaction-limits";

/** Session settings of every connection of the app's pool, sent in the connection's start-up
 * message (libpq's `options`): set before its first query, without a round trip of their own.
 * PostgreSQL's JIT compiles a plan whose estimated cost passes jit_above_cost; the portal's
 * statements are short, their row estimates over a subtree of departments rough, and a
 * compilation costs more than the statement (over a second in scripts/bench/training.ts). It was
 * turned off per statement (`BEGIN; SET LOCAL jit = off; …; COMMIT`, three round trips more);
 * docs/performance.md, "The home page's round trips". The bulk reads' pool sets the same
 * (lib/server/bulk-read.ts). */
export const APP_SESSION_OPTIONS = "-c jit=off";

/** How long the pool keeps an idle connection. node-postgres's default is 10 s: a company's portal
 * is often quiet for longer than that, and the request after the pause then opened new connections,
 * each with a new PostgreSQL backend whose caches (the catalog, the plans' metadata, the zh_pinyin
 * collator) were cold. `npm run bench -- idle`, medians after 11 s quiet: the home page 43.6 ms
 * against 26.3 warm, the employee list 58.6 against 32.6; with 5 minutes 28.1 and 35.2
 * (docs/performance.md, "Connections kept warm"). Five idle backends per server process cost
 * PostgreSQL a few MB each. */
export const POOL_IDLE_MS = 300_000;

// Kept free of "server-only" so scripts (migrate, seed, verify) and tests can build a client too.
/** `preparedStatements`: whether statements run more than once are prepared (DB_PREPARED_STATEMENTS
 * by default). */
export function createPrismaClient(connectionString: string, max = 5, options: { preparedStatements?: boolean } = {}) {
  // allowExitOnIdle: a script or test whose connections are idle may still exit at once (the idle
  // connections no longer hold Node's event loop open for the idle timeout).
  const adapter = new PrismaPg(
    { connectionString, max, options: APP_SESSION_OPTIONS, idleTimeoutMillis: POOL_IDLE_MS, allowExitOnIdle: true },
    // Statements run again and again are named, so each connection parses them once
    // (lib/server/statement-names.ts); the adapter hands the name to node-postgres as it is, and
    // undefined is an unnamed statement.
    (options.preparedStatements ?? preparedStatementsEnabled()) ? { statementNameGenerator: statementNamer() as (query: { sql: string }) => string } : undefined,
  );
  return new PrismaClient({
    adapter,
    // Secrets never leave the database unless a query asks for them by name.
    omit: { employee: { passwordHash: true } },
    // Every interactive transaction that names no limits of its own gets ones fit for a busy machine.
    transactionOptions: transactionLimits(),
  });
}

export type DbClient = ReturnType<typeof createPrismaClient>;
/** The client inside an interactive transaction. */
export type Tx = Omit<DbClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
