import { writeAuditEvent } from "@/lib/server/audit-write";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import { decrypt, encrypt, hashValue, keyringFromEnv, normalise, tokenKeyId, type PiiKeyring, type PiiKind } from "./index";

// Key rotation (scripts/pii-rotate-key.ts, docs/pii-encryption.md): every encrypted column is
// re-encrypted and re-hashed under the current key, a batch per transaction, so a rotation
// stopped half-way is resumed by running it again: rows whose tokens already carry the current
// key's id are skipped. Table-driven: a capability with encrypted columns adds its table here
// (the consent register will).

export type EncryptedColumn = { cipher: string; hash: string; kind: PiiKind };
export type EncryptedTable = { table: string; key: string; columns: EncryptedColumn[] };

export const ENCRYPTED_TABLES: readonly EncryptedTable[] = [
  {
    table: "accounts",
    key: "id",
    columns: [
      { cipher: "platform_id_cipher", hash: "platform_id_hash", kind: "identifier" },
      { cipher: "phone_cipher", hash: "phone_hash", kind: "phone" },
    ],
  },
  {
    table: "privacy_subjects",
    key: "id",
    columns: [
      { cipher: "phone_cipher", hash: "phone_hash", kind: "phone" },
      { cipher: "wecom_id_cipher", hash: "wecom_id_hash", kind: "identifier" },
      { cipher: "email_cipher", hash: "email_hash", kind: "identifier" },
    ],
  },
];

export type RotationProgress = { table: string; rewritten: number; batch: number };
export type RotationSummary = { keyId: string; tables: { table: string; rewritten: number; alreadyCurrent: number; batches: number }[] };

const IDENT = /^[a-z_][a-z0-9_]*$/;
const quote = (name: string) => {
  if (!IDENT.test(name)) throw new Error(`Not a plain SQL identifier: ${name}`);
  return `"${name}"`;
};

async function rotateBatch(tx: Tx, spec: EncryptedTable, ring: PiiKeyring, after: string, batchSize: number): Promise<{ last: string | null; rewritten: number }> {
  const prefix = `v1.${ring.current.id}.`;
  const key = quote(spec.key);
  const stale = spec.columns.map((c) => `(${quote(c.cipher)} IS NOT NULL AND left(${quote(c.cipher)}, ${prefix.length}) <> $2)`).join(" OR ");
  const columns = spec.columns.map((c) => quote(c.cipher)).join(", ");
  const rows = await tx.$queryRawUnsafe<Record<string, string | null>[]>(
    `SELECT ${key} AS "__key", ${columns} FROM ${quote(spec.table)} WHERE ${key} > $1 AND (${stale}) ORDER BY ${key} LIMIT ${Math.trunc(batchSize)} FOR UPDATE`,
    after,
    prefix,
  );
  for (const row of rows) {
    const sets: string[] = [];
    const values: string[] = [];
    for (const c of spec.columns) {
      const token = row[c.cipher];
      if (token === null || token === undefined || tokenKeyId(token) === ring.current.id) continue;
      const clear = normalise(c.kind, decrypt(token, ring));
      values.push(encrypt(clear, ring), hashValue(c.kind, clear, ring));
      sets.push(`${quote(c.cipher)} = $${values.length - 1}, ${quote(c.hash)} = $${values.length}`);
    }
    if (sets.length === 0) continue;
    values.push(row.__key!);
    await tx.$executeRawUnsafe(`UPDATE ${quote(spec.table)} SET ${sets.join(", ")} WHERE ${key} = $${values.length}`, ...values);
  }
  return { last: rows.length ? rows[rows.length - 1].__key! : null, rewritten: rows.length };
}

/**
 * Re-encrypts every encrypted column under the ring's current key (the old one must be the
 * ring's previous key, or the current one for rows already rotated). One audit event per batch,
 * in the batch's transaction; never a clear value in it.
 */
export async function rotatePii(
  client: DbClient,
  options: { ring?: PiiKeyring; batchSize?: number; tables?: readonly EncryptedTable[]; onProgress?: (p: RotationProgress) => void } = {},
): Promise<RotationSummary> {
  const ring = options.ring ?? keyringFromEnv();
  const batchSize = options.batchSize ?? 500;
  const summary: RotationSummary = { keyId: ring.current.id, tables: [] };
  for (const spec of options.tables ?? ENCRYPTED_TABLES) {
    const total = await client.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM ${quote(spec.table)}`);
    let after = "";
    let rewritten = 0;
    let batches = 0;
    for (;;) {
      const result = await client.$transaction(
        async (tx) => {
          const r = await rotateBatch(tx, spec, ring, after, batchSize);
          if (r.rewritten > 0) {
            await writeAuditEvent(tx, { id: null, label: "system:pii-rotate-key", ip: null }, {
              action: "pii.rotate",
              entityType: spec.table,
              entityId: "*",
              after: { keyId: ring.current.id, previousKeyId: ring.previous?.id ?? null, rows: r.rewritten, throughKey: r.last },
            });
          }
          return r;
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
      if (!result.last) break;
      after = result.last;
      rewritten += result.rewritten;
      batches++;
      options.onProgress?.({ table: spec.table, rewritten, batch: batches });
    }
    summary.tables.push({ table: spec.table, rewritten, alreadyCurrent: Number(total[0]?.n ?? 0) - rewritten, batches });
  }
  return summary;
}
