import { writeAuditEvent } from "@/lib/server/audit-write";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import { decrypt, encrypt, hashValue, keyringFromEnv, normalise, tokenKeyId, type PiiKeyring, type PiiKind } from "./index";

// Key rotation (scripts/pii-rotate-key.ts, docs/pii-encryption.md): every encrypted column is
// re-encrypted and re-hashed under the current key, a batch per transaction, so a rotation
// stopped half-way is resumed by running it again: rows whose tokens already carry the current
// key's id are skipped. Table-driven: a capability with encrypted columns adds its table here.
// Each batch is one UPDATE over unnest() (the customer contacts run to a million rows).

/** `hash` null: a secret kept only encrypted (never looked up by value), re-encrypted exactly as it
 * is, without the normalisation identifiers get. */
export type EncryptedColumn = { cipher: string; hash: string | null; kind: PiiKind };
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
  { table: "consent_submissions", key: "id", columns: [{ cipher: "phone_cipher", hash: "phone_hash", kind: "phone" }] },
  {
    table: "customer_contacts",
    key: "id",
    columns: [{ cipher: "external_id_cipher", hash: "external_id_hash", kind: "identifier" }],
  },
  {
    table: "wecom_unassigned_customers",
    key: "id",
    columns: [{ cipher: "external_id_cipher", hash: "external_id_hash", kind: "identifier" }],
  },
  {
    table: "contact_transfers",
    key: "id",
    columns: [{ cipher: "external_id_cipher", hash: "external_id_hash", kind: "identifier" }],
  },
  {
    table: "wecom_settings",
    key: "id",
    columns: [
      { cipher: "contact_secret_cipher", hash: null, kind: "identifier" },
      { cipher: "customer_secret_cipher", hash: null, kind: "identifier" },
      { cipher: "archive_secret_cipher", hash: null, kind: "identifier" },
      { cipher: "callback_token_cipher", hash: null, kind: "identifier" },
      { cipher: "encoding_aes_key_cipher", hash: null, kind: "identifier" },
    ],
  },
  {
    table: "wecom_callback_events",
    key: "id",
    columns: [{ cipher: "payload_cipher", hash: null, kind: "identifier" }],
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
  // One UPDATE for the batch: per column, the new token and hash (null where that column stays).
  const keys: string[] = [];
  const arrays: (string | null)[][] = spec.columns.flatMap(() => [[], []]);
  for (const row of rows) {
    const fresh = spec.columns.map((c) => {
      const token = row[c.cipher];
      if (token === null || token === undefined || tokenKeyId(token) === ring.current.id) return null;
      if (c.hash === null) return [encrypt(decrypt(token, ring), ring), null] as const;
      const clear = normalise(c.kind, decrypt(token, ring));
      return [encrypt(clear, ring), hashValue(c.kind, clear, ring)] as const;
    });
    if (fresh.every((f) => f === null)) continue;
    keys.push(row.__key!);
    fresh.forEach((f, i) => {
      arrays[2 * i].push(f?.[0] ?? null);
      arrays[2 * i + 1].push(f?.[1] ?? null);
    });
  }
  if (keys.length > 0) {
    const sets = spec.columns.map((c, i) => `${quote(c.cipher)} = COALESCE(u.c${i}, t.${quote(c.cipher)})${c.hash === null ? "" : `, ${quote(c.hash)} = COALESCE(u.h${i}, t.${quote(c.hash)})`}`).join(", ");
    const params = spec.columns.map((_, i) => `$${2 * i + 2}::text[], $${2 * i + 3}::text[]`).join(", ");
    const names = spec.columns.map((_, i) => `c${i}, h${i}`).join(", ");
    await tx.$executeRawUnsafe(`UPDATE ${quote(spec.table)} AS t SET ${sets} FROM unnest($1::text[], ${params}) AS u(k, ${names}) WHERE t.${key} = u.k`, keys, ...arrays);
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
