import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // server-only throws outside React's server build; tests run the server code directly.
      "server-only": path.resolve(import.meta.dirname, "tests/helpers/server-only-stub.ts"),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "tests/**/*.test.ts", "prisma/**/*.test.ts", "scripts/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    // Vitest's default is one fork per core less one: a single fork on a 2-core machine, which then
    // idles while PostgreSQL answers (most files are integration tests). Three files at a time keep
    // both cores busy (each file has its own database): on the 2-core CI machine, with `npm test`'s
    // build beside them, 383 s against 429 s with two (2026-12-06). VITEST_MAX_WORKERS overrides.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? Math.max(3, os.availableParallelism() - 1)),
    // Limits for a test gone wrong, not for speed: a busy machine can be several times slower.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: {
      // Prisma's 5 s default for an interactive transaction expires on a busy machine (a test's
      // beforeAll then fails with an unrelated-looking error): every transaction the tests open
      // through createPrismaClient or inUnitOfWork gets two minutes (lib/server/transaction-limits.ts).
      DB_TRANSACTION_TIMEOUT_MS: process.env.DB_TRANSACTION_TIMEOUT_MS ?? "120000",
    },
    setupFiles: ["tests/helpers/fail-on-console-error.ts"],
  },
});
