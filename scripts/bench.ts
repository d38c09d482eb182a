import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

// `npm run bench`: runs every benchmark in scripts/bench/ (each a script of its own, so one's
// database and memory do not colour the next) and prints their figures. Pass names to run some:
// `npm run bench -- offboarding`.

const dir = path.join(import.meta.dirname, "bench");
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.ts$/, "")));
let failed = 0;
for (const file of files) {
  console.log(`\n=== bench: ${file.replace(/\.ts$/, "")} ===`);
  const run = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(dir, file)], { stdio: "inherit", env: process.env });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
