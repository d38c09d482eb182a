import { createPrismaClient } from "../lib/server/prisma-client";
import { runSync, startSync } from "../lib/wecom/sync/runner";
import { PHASES } from "../lib/wecom/sync/steps";
import { ensureAuditKey, ensurePiiKey } from "./local-env";

// `npm run wecom:sync [-- <run id>]`: runs a WeCom sync in the foreground, outside the job queue —
// starts one (or resumes the one whose worker died), or, given a run id, takes that run over once
// its lease has lapsed. The same runner, lease and checkpoints as the queue's worker
// (lib/wecom/sync/runner.ts), so it may be started beside a server or a worker: the lease decides
// who runs. Needs DATABASE_URL (the embedded database lives inside `npm start`).

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: with the embedded database, start the sync from 设置 → 企业微信连接 in `npm start`'s portal.");
  process.exit(1);
}
ensurePiiKey(console.log);
ensureAuditKey(console.log);
const prisma = createPrismaClient(url, Number(process.env.WECOM_SYNC_POOL ?? 4));
try {
  const runId = process.argv[2] ?? (await startSync(prisma, { trigger: "MANUAL", startedById: null })).runId;
  const outcome = await runSync(prisma, runId, { phases: PHASES, log: (line) => console.log(line) });
  console.log(`run ${runId}: ${outcome}`);
  process.exitCode = outcome === "SUCCEEDED" ? 0 : 1;
} finally {
  await prisma.$disconnect();
}
