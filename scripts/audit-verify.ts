import { verifyAuditChain } from "../lib/server/audit-verify";
import { ensureAuditKey, ensureDatabase } from "./local-env";

// `npm run audit:verify`: walks the keyed hash chain of the audit trail with the key from outside
// the database (AUDIT_HMAC_KEY, or the data folder's). Exit 0 and "OK" with the count, or exit 1
// naming the first event where the chain breaks.
const REASONS = {
  HASH_MISMATCH: "its content does not match its hash",
  CHAIN_BROKEN: "it does not chain to the event before it",
  UNKEYED: "it carries an unkeyed hash after the events written before the key (AUDIT_HMAC_LEGACY_UNTIL): the chain was recomputed without the key",
  UNKNOWN_KEY: "its hash names a key this verifier was not given (set AUDIT_HMAC_KEY, or AUDIT_HMAC_KEY_PREVIOUS after a rotation)",
} as const;
ensureAuditKey(() => {});
const embedded = await ensureDatabase(() => {});
try {
  const result = await verifyAuditChain(process.env.DATABASE_URL!);
  if (result.ok) {
    const legacy = result.legacy ? ` (the first ${result.legacy} predate the key and carry unkeyed hashes)` : "";
    console.log(`OK: ${result.count} audit events, hash chain intact${legacy}.`);
  } else {
    console.log(`BROKEN at audit event #${result.brokenAt} (${REASONS[result.reason]}); ${result.count} events before it verified.`);
    process.exitCode = 1;
  }
} finally {
  await embedded?.stop();
}
