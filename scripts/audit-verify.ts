import { verifyAuditChain } from "../lib/server/audit-verify";
import { ensureDatabase } from "./local-env";

// `npm run audit:verify`: walks the hash chain of the audit trail. Exit 0 and "OK" with the
// count, or exit 1 naming the first event where the chain breaks.
const embedded = await ensureDatabase(() => {});
try {
  const result = await verifyAuditChain(process.env.DATABASE_URL!);
  if (result.ok) {
    console.log(`OK: ${result.count} audit events, hash chain intact.`);
  } else {
    console.log(`BROKEN at audit event #${result.brokenAt} (${result.reason === "HASH_MISMATCH" ? "its content does not match its hash" : "it does not chain to the event before it"}); ${result.count} events before it verified.`);
    process.exitCode = 1;
  }
} finally {
  await embedded?.stop();
}
