import { PiiDecryptError, PiiKeyError, keyringFromEnv } from "../lib/pii";
import { rotatePii } from "../lib/pii/rotation";
import { migrate } from "../lib/server/migrate";
import { createPrismaClient } from "../lib/server/prisma-client";
import { ensureAuditKey, ensureDatabase } from "./local-env";

// `npm run pii:rotate-key`: with PII_ENCRYPTION_KEY (the new key) and PII_ENCRYPTION_KEY_PREVIOUS
// (the old one) set, re-encrypts and re-hashes every encrypted column, a batch per transaction.
// Safe to stop and run again: rows already under the new key are skipped. docs/pii-encryption.md.

const log = (line: string) => console.log(line);
try {
  const ring = keyringFromEnv();
  if (!ring.previous) {
    log("PII_ENCRYPTION_KEY_PREVIOUS is not set (or equals the new key): only rows already under PII_ENCRYPTION_KEY can be read. Set it to the old key to rotate.");
  }
  log(`Rotating personal information to key ${ring.current.id}${ring.previous ? ` (from ${ring.previous.id})` : ""}.`);
  ensureAuditKey(log);
  const embedded = await ensureDatabase(log);
  const prisma = createPrismaClient(process.env.DATABASE_URL!, 2);
  try {
    await migrate(process.env.DATABASE_URL!);
    const batchSize = Number(process.env.PII_ROTATE_BATCH ?? 500);
    const summary = await rotatePii(prisma, { ring, batchSize, onProgress: (p) => log(`  ${p.table}: ${p.rewritten} rows re-encrypted (batch ${p.batch})`) });
    for (const t of summary.tables) log(`${t.table}: ${t.rewritten} re-encrypted, ${t.alreadyCurrent} already under the new key, ${t.batches} batches.`);
    log(`Done. Every encrypted value is under key ${summary.keyId}; PII_ENCRYPTION_KEY_PREVIOUS may now be removed.`);
  } finally {
    await prisma.$disconnect();
    await embedded?.stop();
  }
} catch (error) {
  if (error instanceof PiiKeyError || error instanceof PiiDecryptError) {
    console.error(`pii:rotate-key stopped: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
