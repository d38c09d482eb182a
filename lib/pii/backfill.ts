import pg from "pg";
import { writeAuditEvent } from "@/lib/server/audit-write";
import { createPrismaClient } from "@/lib/server/prisma-client";
import { keyringFromEnv, PiiKeyError, protect, type PiiKeyring, type PiiKind } from "./index";

// Plain values of before lib/pii, encrypted where they lie (docs/pii-encryption.md, "Columns that
// were plain"). A migration can add the protected columns but cannot encrypt (SQL does not have
// the application's key), so lib/server/migrate.ts runs this after the SQL migrations, on every
// migrate: each row still holding a plain value gets its token, keyed hash and mask, and loses the
// plain value, in one UPDATE; a batch per transaction with one audit event (row count and key id,
// never a value). Idempotent and resumable: it only ever picks rows whose plain column is not
// null, so a stopped run is finished by the next, and a run with nothing to do costs one indexed
// query per table (the migrations give each plain column a partial index "WHERE plain IS NOT NULL").
// It needs PII_ENCRYPTION_KEY only when there is something to encrypt.

export type PlainColumn = { table: string; key: string; plain: string; cipher: string; hash: string; mask: string; kind: PiiKind };

export const PLAIN_COLUMNS: readonly PlainColumn[] = [
  { table: "customer_contacts", key: "id", plain: "external_id", cipher: "external_id_cipher", hash: "external_id_hash", mask: "external_id_mask", kind: "identifier" },
  { table: "contact_transfers", key: "id", plain: "external_id", cipher: "external_id_cipher", hash: "external_id_hash", mask: "external_id_mask", kind: "identifier" },
];

export type BackfillSummary = { table: string; encrypted: number; batches: number }[];

const IDENT = /^[a-z_][a-z0-9_]*$/;
const q = (name: string) => {
  if (!IDENT.test(name)) throw new Error(`Not a plain SQL identifier: ${name}`);
  return `"${name}"`;
};

async function exists(client: pg.Client, spec: PlainColumn): Promise<boolean> {
  const found = await client.query(`SELECT to_regclass($1) AS t`, [spec.table]);
  if (!found.rows[0]?.t) return false;
  const column = await client.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`, [spec.table, spec.cipher]);
  if (column.rowCount === 0) return false; // the migration that adds the protected columns has not run
  const plain = await client.query(`SELECT 1 FROM ${q(spec.table)} WHERE ${q(spec.plain)} IS NOT NULL LIMIT 1`);
  return (plain.rowCount ?? 0) > 0;
}

/**
 * Encrypts every plain value left in PLAIN_COLUMNS. `connectionString` is the schema owner's (the
 * migrations'); a client of the application is made only when there is work.
 */
export async function backfillPlainColumns(
  connectionString: string,
  options: { ring?: PiiKeyring; batchSize?: number; columns?: readonly PlainColumn[]; log?: (line: string) => void } = {},
): Promise<BackfillSummary> {
  const columns = options.columns ?? PLAIN_COLUMNS;
  const probe = new pg.Client({ connectionString });
  await probe.connect();
  const todo: PlainColumn[] = [];
  try {
    for (const spec of columns) if (await exists(probe, spec)) todo.push(spec);
  } finally {
    await probe.end();
  }
  if (todo.length === 0) return [];

  let ring: PiiKeyring;
  try {
    ring = options.ring ?? keyringFromEnv();
  } catch (error) {
    if (error instanceof PiiKeyError) {
      throw new PiiKeyError(`${todo.map((t) => t.table).join(" and ")} still hold plain personal information that must be encrypted, and ${error.message}. Set PII_ENCRYPTION_KEY (the key the application uses) and migrate again.`);
    }
    throw error;
  }
  const batchSize = Math.max(1, Math.trunc(options.batchSize ?? 2_000));
  const prisma = createPrismaClient(connectionString, 1);
  const summary: BackfillSummary = [];
  try {
    for (const spec of todo) {
      let encrypted = 0;
      let batches = 0;
      for (;;) {
        const n = await prisma.$transaction(
          async (tx) => {
            const rows = await tx.$queryRawUnsafe<{ key: string; plain: string }[]>(
              `SELECT ${q(spec.key)} AS key, ${q(spec.plain)} AS plain FROM ${q(spec.table)} WHERE ${q(spec.plain)} IS NOT NULL ORDER BY ${q(spec.key)} LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`,
            );
            if (rows.length === 0) return 0;
            const protectedRows = rows.map((r) => protect(spec.kind, r.plain, ring));
            try {
              await tx.$executeRawUnsafe(
                `UPDATE ${q(spec.table)} AS t SET ${q(spec.cipher)} = u.c, ${q(spec.hash)} = u.h, ${q(spec.mask)} = u.m, ${q(spec.plain)} = NULL
                 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(k, c, h, m)
                 WHERE t.${q(spec.key)} = u.k AND t.${q(spec.plain)} IS NOT NULL`,
                rows.map((r) => r.key),
                protectedRows.map((p) => p.cipher),
                protectedRows.map((p) => p.hash),
                protectedRows.map((p) => p.mask),
              );
            } catch (error) {
              if (/23505|unique/i.test(String((error as Error)?.message))) {
                throw new Error(
                  `${spec.table}: two rows of one account hold the same ${spec.plain} once normalised (trimmed, NFC), so they cannot both be kept under one keyed hash; merge them by hand (rows ${rows.map((r) => r.key).join(", ")} are in this batch) and migrate again.`,
                  { cause: error },
                );
              }
              throw error;
            }
            await writeAuditEvent(tx, { id: null, label: "system:pii-backfill", ip: null }, {
              action: "pii.backfill",
              entityType: spec.table,
              entityId: "*",
              after: { column: spec.plain, rows: rows.length, keyId: ring.current.id, throughKey: rows[rows.length - 1].key },
            });
            return rows.length;
          },
          { timeout: 120_000, maxWait: 30_000 },
        );
        if (n === 0) break;
        encrypted += n;
        batches++;
        options.log?.(`${spec.table}.${spec.plain}: ${encrypted} plain values encrypted`);
      }
      summary.push({ table: spec.table, encrypted, batches });
    }
  } finally {
    await prisma.$disconnect();
  }
  return summary;
}
