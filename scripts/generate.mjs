// `prisma generate` without Prisma's engine download, which cannot succeed on these machines:
// generation runs on WebAssembly and never calls the schema engine (STACK.md).
import { spawnSync } from "node:child_process";

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
const result = spawnSync("npx", ["prisma", "generate"], { stdio: ["ignore", "inherit", "inherit"], env });
process.exit(result.status ?? 1);
