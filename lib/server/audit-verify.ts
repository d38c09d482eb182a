import pg from "pg";
import { auditHash, GENESIS_HASH } from "./audit-hash";

export type VerifyResult =
  | { ok: true; count: number }
  | { ok: false; count: number; brokenAt: string; reason: "HASH_MISMATCH" | "CHAIN_BROKEN" };

// Walks the chain in id order in pages, holding one page in memory at a time.
export async function verifyAuditChain(connectionString: string, pageSize = 5000): Promise<VerifyResult> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    let prev = GENESIS_HASH;
    let lastId = "0";
    let count = 0;
    for (;;) {
      const { rows } = await client.query(
        `SELECT id::text, actor_id, actor_label, action, entity_type, entity_id, before, after, ip,
                created_at, prev_hash, hash
           FROM audit_events WHERE id > $1::bigint ORDER BY audit_events.id LIMIT $2`, // qualified: a bare `id` would sort the text alias
        [lastId, pageSize],
      );
      if (rows.length === 0) return { ok: true, count };
      for (const r of rows) {
        if (r.prev_hash !== prev) return { ok: false, count, brokenAt: r.id, reason: "CHAIN_BROKEN" };
        const expected = auditHash({
          actorId: r.actor_id,
          actorLabel: r.actor_label,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          before: r.before,
          after: r.after,
          ip: r.ip,
          createdAt: r.created_at,
          prevHash: r.prev_hash,
        });
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
