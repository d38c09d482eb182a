import pg from "pg";
import { auditKeyringFromEnv, GENESIS_HASH, KEYED_HASH, keyedAuditHash, legacyAuditHash, type AuditKeyring, type HashedAuditContent } from "./audit-hash";

/**
 * HASH_MISMATCH: the event's content does not match its hash. CHAIN_BROKEN: it does not chain to
 * the event before it. UNKEYED: it carries an unkeyed hash where only keyed ones may be (after the
 * legacy events the operator named: the mark of a chain recomputed without the key).
 * UNKNOWN_KEY: its hash names a key this verifier was not given.
 */
export type VerifyResult =
  | { ok: true; count: number; legacy?: number }
  | { ok: false; count: number; brokenAt: string; reason: "HASH_MISMATCH" | "CHAIN_BROKEN" | "UNKEYED" | "UNKNOWN_KEY" };

export type VerifyOptions = {
  keyring?: AuditKeyring;
  /** The id of the last event written before the key (AUDIT_HMAC_LEGACY_UNTIL); none by default. */
  legacyUntil?: bigint;
};

/** The operator's pin of the last unkeyed event, from AUDIT_HMAC_LEGACY_UNTIL (0 when unset). */
export function legacyUntilFromEnv(env: Record<string, string | undefined> = process.env): bigint {
  const raw = (env.AUDIT_HMAC_LEGACY_UNTIL ?? "").trim();
  return /^\d{1,19}$/.test(raw) ? BigInt(raw) : BigInt(0);
}

/** One row of audit_events as the verifier reads it (pg's names and types). */
export type AuditRow = { id: string; actor_id: string | null; actor_label: string; action: string; entity_type: string; entity_id: string; before: unknown; after: unknown; ip: string | null; created_at: Date; prev_hash: string; hash: string };

/** What an event's hash covers, from its row, linked to `prevHash`. */
export const auditContentOf = (r: Omit<AuditRow, "prev_hash" | "hash">, prevHash: string): HashedAuditContent => ({
  actorId: r.actor_id,
  actorLabel: r.actor_label,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  before: r.before,
  after: r.after,
  ip: r.ip,
  createdAt: r.created_at,
  prevHash,
});

// Walks the chain in id order in pages, holding one page in memory at a time.
export async function verifyAuditChain(connectionString: string, pageSize = 5000, options: VerifyOptions = {}): Promise<VerifyResult> {
  const keyring = options.keyring ?? auditKeyringFromEnv();
  const legacyUntil = options.legacyUntil ?? legacyUntilFromEnv();
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    let prev = GENESIS_HASH;
    let lastId = "0";
    let count = 0;
    let legacy = 0;
    for (;;) {
      const { rows } = await client.query<AuditRow>(
        `SELECT id::text, actor_id, actor_label, action, entity_type, entity_id, before, after, ip,
                created_at, prev_hash, hash
           FROM audit_events WHERE id > $1::bigint ORDER BY audit_events.id LIMIT $2`, // qualified: a bare `id` would sort the text alias
        [lastId, pageSize],
      );
      if (rows.length === 0) return legacy ? { ok: true, count, legacy } : { ok: true, count };
      for (const r of rows) {
        if (r.prev_hash !== prev) return { ok: false, count, brokenAt: r.id, reason: "CHAIN_BROKEN" };
        const content = auditContentOf(r, r.prev_hash);
        const keyed = KEYED_HASH.exec(r.hash);
        let expected: string;
        if (keyed) {
          const key = keyring.all.get(keyed[1]);
          if (!key) return { ok: false, count, brokenAt: r.id, reason: "UNKNOWN_KEY" };
          expected = keyedAuditHash(content, key);
        } else {
          // An unkeyed hash is accepted only for the events written before the key existed.
          if (BigInt(r.id) > legacyUntil) return { ok: false, count, brokenAt: r.id, reason: "UNKEYED" };
          expected = legacyAuditHash(content);
          legacy++;
        }
        if (expected !== r.hash) return { ok: false, count, brokenAt: r.id, reason: "HASH_MISMATCH" };
        prev = r.hash;
        lastId = r.id;
        count++;
      }
    }
  } finally {
    await client.end();
  }
}
