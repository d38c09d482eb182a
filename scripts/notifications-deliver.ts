import { deliverOne, dueDeliveries } from "../lib/notifications/deliver";
import { createPrismaClient } from "../lib/server/prisma-client";
import { ensureAuditKey, ensurePiiKey } from "./local-env";

// `npm run notifications:deliver`: sends every notification delivery now due, in the foreground —
// the same code the queue's notifications.deliver job runs, safe beside it (each row is claimed
// before it is sent; docs/notifications.md "Delivery"). Needs DATABASE_URL.

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set.");
  process.exit(1);
}
ensurePiiKey(console.log);
ensureAuditKey(console.log);
const prisma = createPrismaClient(url, 2);
try {
  const ids = await dueDeliveries(prisma);
  const states: Record<string, number> = {};
  for (const id of ids) {
    const r = await deliverOne(prisma, id);
    states[r.state] = (states[r.state] ?? 0) + 1;
  }
  console.log(`deliveries: ${JSON.stringify(states)}`);
} finally {
  await prisma.$disconnect();
}
