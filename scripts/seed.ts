import { migrate } from "../lib/server/migrate";
import { createPrismaClient } from "../lib/server/prisma-client";
import { DEMO_PASSWORD, DEMO_SIGN_INS, seedDemo } from "../prisma/seed";
import { ensureAuditKey, ensureDatabase, ensurePiiKey, pinAuditLegacy } from "./local-env";

// `npm run db:seed`: migrates, then seeds the demo organisation if the database is empty.
ensurePiiKey(console.log);
ensureAuditKey(console.log);
const embedded = await ensureDatabase(console.log);
const prisma = createPrismaClient(process.env.DATABASE_URL!, 2);
try {
  await migrate(process.env.DATABASE_URL!);
  await pinAuditLegacy(process.env.DATABASE_URL!, console.log);
  if (await seedDemo(prisma)) {
    console.log(`Demo sign-ins (password ${DEMO_PASSWORD}): ${DEMO_SIGN_INS.map((p) => p.email).join(", ")}`);
  } else {
    console.log("The database already has employees; nothing seeded.");
  }
} finally {
  await prisma.$disconnect();
  await embedded?.stop();
}
