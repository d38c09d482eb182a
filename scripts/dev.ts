import { spawn } from "node:child_process";
import { migrate } from "../lib/server/migrate";
import { createPrismaClient } from "../lib/server/prisma-client";
import { seedDemo } from "../prisma/seed";
import { ensureAuditKey, ensureAuthSecret, ensureDatabase, ensurePiiKey, pinAuditLegacy } from "./local-env";

// `npm run dev`: the same database preparation as `npm start`, then `next dev` with hot reload.
const log = (line: string) => console.log(`[wegovern] ${line}`);
ensureAuthSecret(log);
ensurePiiKey(log);
ensureAuditKey(log);
const embedded = await ensureDatabase(log);
await migrate(process.env.DATABASE_URL!, { log });
await pinAuditLegacy(process.env.DATABASE_URL!, log);
const prisma = createPrismaClient(process.env.DATABASE_URL!, 2);
await seedDemo(prisma, log);
await prisma.$disconnect();
const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "dev", "-p", process.env.PORT ?? "3000"], { stdio: "inherit", env: process.env });
const stop = (signal: NodeJS.Signals) => server.kill(signal);
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", async (code) => {
  await embedded?.stop();
  process.exit(code ?? 0);
});
