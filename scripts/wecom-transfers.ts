import { DEFAULT_LEASE_MS, sendOutbox } from "../lib/offboarding/outbox";
import { createPrismaClient } from "../lib/server/prisma-client";
import { clientsFor } from "../lib/wecom/connection";
import { loadConnection } from "../lib/wecom/settings";
import { ensureAuditKey, ensurePiiKey } from "./local-env";

// `npm run wecom:transfers`: sends the WeCom outbox in the foreground (customer transfers decided
// by the offboarding cases), reconciling first any batch whose worker died (lib/offboarding/outbox.ts).
// The same code the queue's job runs; safe beside it (rows are claimed, never sent twice).
// Needs DATABASE_URL. WECOM_OUTBOX_LEASE_MS sets the claim's lease (default 5 minutes).

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set.");
  process.exit(1);
}
ensurePiiKey(console.log);
ensureAuditKey(console.log);
const prisma = createPrismaClient(url, 2);
try {
  const { customers } = clientsFor(prisma, await loadConnection(prisma));
  if (!customers) {
    console.error("WeCom's customer-contact secret is not set: nothing can be sent.");
    process.exitCode = 1;
  } else {
    const result = await sendOutbox(prisma, customers, { leaseMs: Number(process.env.WECOM_OUTBOX_LEASE_MS ?? DEFAULT_LEASE_MS), log: (line) => console.log(line) });
    console.log(`outbox: ${JSON.stringify(result)}`);
  }
} finally {
  await prisma.$disconnect();
}
