import type { Prisma } from "@/lib/generated/prisma/client";
import { decrypt, hashCandidates, keyringFromEnv, maskIdentifier, PiiKeyError, protect, tokenKeyId, type PiiKeyring } from "@/lib/pii";
import type { Actor } from "@/lib/server/actor";
import type { AuditInput } from "@/lib/server/audit-write";
import { DomainError } from "@/lib/server/errors";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { checkRow, cellsToRaw, decodeCsvBytes, LIMITS, mapHeader, readCsv, type ImportField } from "./parse";

// Staging and confirming a customer-contact import. Staging parses the file and writes each row,
// classified, to contact_import_rows in batches (committed per batch, reported through
// onProgress); nothing reaches customer_contacts until confirmImport copies the rows to add in
// one statement inside one transaction. External ids are personal information (lib/pii): a row
// to add is staged already encrypted, hashed and masked (the plain value is never stored, not
// even for the 24 hours a staged row lives); duplicates are found by the keyed hash.

export const STAGE_BATCH = 5_000;
/** Rows of imports older than this are deleted; unconfirmed imports become EXPIRED. */
export const STAGED_TTL_MS = 24 * 3600_000;
/** Accounts whose contacts can no longer change. */
export const CLOSED_ACCOUNT_STATUSES = ["DISSOLVED", "REJECTED", "WITHDRAWN"] as const;

export type StageProgress = { phase: "parsing" | "checking"; rows: number; percent: number };
export type StageResult = { importId: string; status: "READY" | "FAILED" };

type AccountRef = { id: string; displayName: string; status: string; platformIdHash: string };

/** Finds the holder account a cell names: by platform identifier (keyed hash, lib/pii), by
 * account id, or by display name when exactly one account carries it. */
function accountResolver(accounts: AccountRef[]) {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const byHash = new Map<string, AccountRef[]>();
  const byName = new Map<string, AccountRef[]>();
  for (const a of accounts) {
    byHash.set(a.platformIdHash, [...(byHash.get(a.platformIdHash) ?? []), a]);
    const key = a.displayName.trim().normalize("NFC");
    byName.set(key, [...(byName.get(key) ?? []), a]);
  }
  let piiAvailable = true;
  const cache = new Map<string, { account?: AccountRef; reason?: string }>();
  return (raw: string): { account?: AccountRef; reason?: string } => {
    const value = raw.trim().normalize("NFC");
    const hit = cache.get(value);
    if (hit) return hit;
    let result: { account?: AccountRef; reason?: string } = { reason: "unknownAccount" };
    let matches: AccountRef[] = [];
    if (piiAvailable) {
      try {
        const found = new Set<AccountRef>();
        for (const h of hashCandidates("identifier", value)) for (const a of byHash.get(h) ?? []) found.add(a);
        matches = [...found];
      } catch (error) {
        if (!(error instanceof PiiKeyError)) throw error;
        piiAvailable = false; // no key configured: identifiers cannot be matched, ids and names still can
      }
    }
    if (matches.length === 0 && byId.has(value)) matches = [byId.get(value)!];
    if (matches.length === 0) matches = byName.get(value) ?? [];
    if (matches.length > 1) result = { reason: "ambiguousAccount" };
    else if (matches.length === 1) {
      const account = matches[0];
      result = (CLOSED_ACCOUNT_STATUSES as readonly string[]).includes(account.status) ? { reason: "accountClosed" } : { account };
    }
    cache.set(value, result);
    return result;
  };
}

/** Opens an import whose file arrives in parts (or at once). */
export async function startUpload(client: DbClient, actor: Pick<Actor, "id">, fileName: string): Promise<string> {
  const created = await client.contactImport.create({
    data: { createdById: actor.id, fileName: fileName.slice(0, 255) || "contacts.csv", encoding: "" },
    select: { id: true },
  });
  return created.id;
}

/** Keeps one part of a file being uploaded by the person who opened the import. */
export async function storeChunk(client: DbClient, actor: Pick<Actor, "id">, importId: string, index: number, data: Uint8Array): Promise<void> {
  const found = await client.contactImport.findUnique({ where: { id: importId }, select: { createdById: true, status: true, encoding: true } });
  if (!found || found.createdById !== actor.id) throw new DomainError("NOT_FOUND", "errors.notFound");
  if (found.status !== "STAGING" || found.encoding !== "") throw new DomainError("INVALID_STATE", "contactImport.errors.notReady");
  const bytes = new Uint8Array(data);
  await client.contactImportChunk.upsert({ where: { importId_index: { importId, index } }, create: { importId, index, data: bytes }, update: { data: bytes } });
}

/** The parts of a file joined in order, or null when one is missing or the size differs from the
 * size the browser announced (a truncated upload is never staged). The parts are deleted. */
export async function assembleChunks(client: DbClient, importId: string, parts: number, size: number): Promise<Uint8Array | null> {
  const chunks = await client.contactImportChunk.findMany({ where: { importId }, orderBy: { index: "asc" }, select: { index: true, data: true } });
  await client.contactImportChunk.deleteMany({ where: { importId } });
  if (chunks.length !== parts || chunks.some((c, i) => c.index !== i)) return null;
  const total = chunks.reduce((n, c) => n + c.data.byteLength, 0);
  if (total !== size) return null;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c.data, at);
    at += c.data.byteLength;
  }
  return out;
}

/** Refuses an upload that arrived incomplete, keeping nothing of it. */
export async function refuseIncomplete(client: DbClient, actor: Pick<Actor, "id" | "email" | "ip">, importId: string): Promise<StageResult> {
  return refuse(client, actor, importId, "uploadIncomplete", null);
}

/** Deletes staged rows older than the TTL and marks unconfirmed imports of that age EXPIRED. */
export async function purgeStaleImports(client: DbClient, now = new Date()): Promise<void> {
  const cutoff = new Date(now.getTime() - STAGED_TTL_MS);
  await client.contactImportRow.deleteMany({ where: { import: { createdAt: { lt: cutoff } } } });
  await client.contactImportChunk.deleteMany({ where: { import: { createdAt: { lt: cutoff } } } });
  await client.contactImport.updateMany({ where: { createdAt: { lt: cutoff }, status: { in: ["STAGING", "READY"] } }, data: { status: "EXPIRED" } });
}

async function refuse(client: DbClient, actor: Pick<Actor, "id" | "email" | "ip">, importId: string, errorKey: string, errorDetail: string | null): Promise<StageResult> {
  await client.contactImportRow.deleteMany({ where: { importId } });
  await client.contactImportChunk.deleteMany({ where: { importId } });
  await inUnitOfWork(client, actor, async ({ tx, audit }) => {
    await tx.contactImport.update({ where: { id: importId }, data: { status: "FAILED", errorKey, errorDetail, totalRows: 0, addCount: 0, duplicateCount: 0, invalidCount: 0 } });
    await audit({ action: "contactImport.refuse", entityType: "ContactImport", entityId: importId, after: { errorKey, errorDetail } });
  });
  return { importId, status: "FAILED" };
}

/**
 * Parses a file and stages its rows. A file that cannot be read as a whole (missing columns, a
 * quote that never closes, too many rows, no data) is refused with one precise message and
 * keeps no rows; otherwise every row is staged as ADD, DUPLICATE or INVALID with its reasons.
 */
export async function stageImport(
  client: DbClient,
  actor: Pick<Actor, "id" | "email" | "ip">,
  file: { name: string; bytes: Uint8Array; importId?: string },
  onProgress: (p: StageProgress) => void | Promise<void> = () => {},
  now = new Date(),
): Promise<StageResult> {
  await purgeStaleImports(client, now);
  const { text, encoding } = decodeCsvBytes(file.bytes);
  const importId = file.importId ?? (await startUpload(client, actor, file.name));
  await client.contactImport.update({ where: { id: importId }, data: { encoding } });
  let ring: PiiKeyring;
  try {
    ring = keyringFromEnv();
  } catch (error) {
    if (!(error instanceof PiiKeyError)) throw error;
    console.warn(`[pii] ${error.message}`);
    return await refuse(client, actor, importId, "piiKey", null);
  }

  let totalLines = 1;
  for (let k = text.indexOf("\n"); k !== -1; k = text.indexOf("\n", k + 1)) totalLines++;

  const records = readCsv(text);
  {
    const first = records.next();
    if (first.done) return await refuse(client, actor, importId, "empty", null);
    if (first.value.error) return await refuse(client, actor, importId, first.value.error, String(first.value.line));
    const header = mapHeader(first.value.cells);
    if (header.missing.length > 0) return await refuse(client, actor, importId, "missingColumns", header.missing.join(","));
    // Two columns for one field: taking either would silently drop the other's values.
    if (header.repeated.length > 0) return await refuse(client, actor, importId, "repeatedColumns", header.repeated.join(", "));

    const accounts = await client.account.findMany({ select: { id: true, displayName: true, status: true, platformIdHash: true } });
    const resolve = accountResolver(accounts);
    const seen = new Map<string, number>();
    let batch: StagedRow[] = [];
    let rows = 0;

    const flush = async (line: number) => {
      if (batch.length === 0) return;
      await insertStagedRows(client, batch);
      batch = [];
      await onProgress({ phase: "parsing", rows, percent: Math.min(99, Math.floor((line / totalLines) * 100)) });
    };

    for (const record of records) {
      rows++;
      if (rows > LIMITS.maxRows) return await refuse(client, actor, importId, "tooManyRows", String(LIMITS.maxRows));
      const raw = cellsToRaw(record.cells, header.columns);
      const checked = checkRow(raw, now);
      const reasons = checked.reasons;
      // A line that is not valid CSV is this row's problem; the rows after it are still read.
      if (record.error) reasons.unshift(record.error);
      let accountId: string | null = null;
      if (raw.account.trim()) {
        const found = resolve(raw.account);
        if (found.account) accountId = found.account.id;
        else reasons.push(found.reason!);
      }
      let category: "ADD" | "DUPLICATE" | "INVALID" = reasons.length > 0 ? "INVALID" : "ADD";
      let duplicateOfRow: number | null = null;
      const id = category === "ADD" && checked.externalId ? protect("identifier", checked.externalId, ring) : null;
      if (category === "ADD") {
        const key = `${accountId}\u0000${id!.hash}`;
        const prior = seen.get(key);
        if (prior !== undefined) {
          category = "DUPLICATE";
          duplicateOfRow = prior;
          reasons.push("duplicateInFile");
        } else seen.set(key, record.line);
      }
      batch.push({
        importId,
        rowNumber: record.line,
        category,
        reasons: reasons.join(","),
        duplicateOfRow,
        // A well-formed external id is kept as its mask even in the report's raw cells.
        rawExternalId: id ? id.mask : checked.externalId && !reasons.some((r) => r.startsWith("externalId")) ? maskIdentifier(checked.externalId) : clip(raw.externalId),
        rawName: clip(raw.name),
        rawCompany: clip(raw.company),
        rawAddedAt: clip(raw.addedAt),
        rawAccount: clip(raw.account),
        accountId,
        externalIdCipher: id?.cipher ?? null,
        externalIdHash: id?.hash ?? null,
        externalIdMask: id?.mask ?? null,
        externalIdPreviousHash: id && ring.previous ? hashCandidates("identifier", checked.externalId!, ring)[1] : null,
        name: category === "INVALID" ? null : checked.name,
        company: category === "INVALID" ? null : checked.company,
        addedAt: category === "INVALID" ? null : checked.addedAt,
      });
      if (batch.length >= STAGE_BATCH) await flush(record.line);
    }
    await flush(totalLines);
    if (rows === 0) return await refuse(client, actor, importId, "empty", null);
  }

  await onProgress({ phase: "checking", rows: 0, percent: 99 });
  // Rows already on their account in the database (whatever the contact's status) are duplicates:
  // by the keyed hash, and during a key rotation by the previous key's hash too.
  await client.$executeRaw`
    UPDATE "contact_import_rows" AS r SET "category" = 'DUPLICATE', "reasons" = 'duplicateExisting'
    FROM "customer_contacts" AS c
    WHERE r."import_id" = ${importId} AND r."category" = 'ADD' AND c."account_id" = r."account_id"
      AND (c."external_id_hash" = r."external_id_hash" OR c."external_id_hash" = r."external_id_previous_hash")`;

  await inUnitOfWork(client, actor, async ({ tx, audit }) => {
    const counts = await countsOf(tx, importId);
    await tx.contactImport.update({ where: { id: importId }, data: { status: "READY", ...counts } });
    await audit({ action: "contactImport.stage", entityType: "ContactImport", entityId: importId, after: { fileName: file.name, encoding, ...counts } });
  });
  return { importId, status: "READY" };
}

type StagedRow = Prisma.ContactImportRowCreateManyInput;

/** One INSERT of a batch through unnest(): one array parameter per column (eighteen parameters
 * whatever the batch size), several times faster than a multi-row VALUES list. */
async function insertStagedRows(client: DbClient, rows: StagedRow[]): Promise<void> {
  const col = <K extends keyof StagedRow>(k: K) => rows.map((r) => r[k] ?? null);
  await client.$executeRaw`
    INSERT INTO "contact_import_rows" ("import_id", "row_number", "category", "reasons", "duplicate_of_row", "raw_external_id", "raw_name", "raw_company", "raw_added_at", "raw_account", "account_id",
                                       "external_id_cipher", "external_id_hash", "external_id_mask", "external_id_previous_hash", "name", "company", "added_at")
    SELECT * FROM unnest(
      ${col("importId")}::text[], ${col("rowNumber")}::int[], ${col("category")}::"ContactImportCategory"[], ${col("reasons")}::text[],
      ${col("duplicateOfRow")}::int[], ${col("rawExternalId")}::text[], ${col("rawName")}::text[], ${col("rawCompany")}::text[],
      ${col("rawAddedAt")}::text[], ${col("rawAccount")}::text[], ${col("accountId")}::text[],
      ${col("externalIdCipher")}::text[], ${col("externalIdHash")}::text[], ${col("externalIdMask")}::text[], ${col("externalIdPreviousHash")}::text[],
      ${col("name")}::text[], ${col("company")}::text[], ${col("addedAt")}::timestamptz[])`;
}

/** A raw cell as kept for the report: bounded so a hostile file cannot fill the staging table. */
const clip = (s: string) => (s.length > 1000 ? `${s.slice(0, 1000)}…` : s).replace(/\u0000/g, "");

async function countsOf(tx: Tx, importId: string) {
  const groups = await tx.contactImportRow.groupBy({ by: ["category"], where: { importId }, _count: { _all: true } });
  const of = (c: string) => groups.find((g) => g.category === c)?._count._all ?? 0;
  const addCount = of("ADD");
  const duplicateCount = of("DUPLICATE");
  const invalidCount = of("INVALID");
  return { addCount, duplicateCount, invalidCount, totalRows: addCount + duplicateCount + invalidCount };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } }; message?: unknown };
  return (
    e?.code === "P2002" ||
    e?.meta?.code === "23505" ||
    e?.meta?.driverAdapterError?.cause?.originalCode === "23505" ||
    e?.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation" ||
    (typeof e?.message === "string" && /23505|unique constraint/i.test(e.message))
  );
}

export type ConfirmResult = { importId: string; inserted: number };

/** Rows staged before a key rotation was deployed carry the old key's token and hash: rewritten
 * under the current key, so `npm run pii:rotate-key` run before this confirmation stays complete. */
async function reprotectStale(tx: Tx, rows: { id: string; token: string }[]): Promise<void> {
  if (rows.length === 0) return;
  const ring = keyringFromEnv();
  const stale = rows.filter((r) => tokenKeyId(r.token) !== ring.current.id);
  if (stale.length === 0) return;
  const fresh = stale.map((r) => protect("identifier", decrypt(r.token, ring), ring));
  await tx.$executeRaw`
    UPDATE "customer_contacts" AS c SET "external_id_cipher" = u.c, "external_id_hash" = u.h
    FROM unnest(${stale.map((r) => r.id)}::text[], ${fresh.map((f) => f.cipher)}::text[], ${fresh.map((f) => f.hash)}::text[]) AS u(id, c, h)
    WHERE c."id" = u.id`;
}

/**
 * Adds every row staged as ADD to customer_contacts in one statement of the caller's
 * transaction, with one audit event. Claiming the import (READY → CONFIRMED) comes first, so a
 * second confirmation waits for the first and then finds nothing to claim: it never inserts
 * twice. A contact added elsewhere since the preview (a unique-index violation) or an account
 * closed since then rolls everything back with a message saying so.
 */
export async function confirmImport(actor: Pick<Actor, "id">, input: { importId: string }, tx: Tx, audit: (e: AuditInput) => Promise<void>): Promise<ConfirmResult> {
  const claimed = await tx.contactImport.updateMany({
    where: { id: input.importId, status: "READY" },
    data: { status: "CONFIRMED", confirmedById: actor.id, confirmedAt: new Date() },
  });
  if (claimed.count === 0) {
    const current = await tx.contactImport.findUnique({ where: { id: input.importId }, select: { status: true, insertedCount: true } });
    if (!current) throw new DomainError("NOT_FOUND", "errors.notFound");
    if (current.status === "CONFIRMED") {
      throw new DomainError("INVALID_STATE", "contactImport.errors.alreadyConfirmed", { params: { count: current.insertedCount ?? 0 } });
    }
    throw new DomainError("INVALID_STATE", `contactImport.errors.notReady`);
  }
  const expected = await tx.contactImportRow.count({ where: { importId: input.importId, category: "ADD" } });
  let insertedRows: { id: string; token: string }[];
  try {
    insertedRows = await tx.$queryRaw<{ id: string; token: string }[]>`
      INSERT INTO "customer_contacts" ("id", "account_id", "external_id_cipher", "external_id_hash", "external_id_mask", "name", "company", "added_at", "updated_at")
      SELECT replace(gen_random_uuid()::text, '-', ''), r."account_id", r."external_id_cipher", r."external_id_hash", r."external_id_mask", r."name", r."company", r."added_at", CURRENT_TIMESTAMP
      FROM "contact_import_rows" AS r
      JOIN "accounts" AS a ON a."id" = r."account_id"
      WHERE r."import_id" = ${input.importId} AND r."category" = 'ADD'
        AND a."status" NOT IN ('DISSOLVED', 'REJECTED', 'WITHDRAWN')
      RETURNING "id", "external_id_cipher" AS token`;
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("CONFLICT", "contactImport.errors.race");
    throw error;
  }
  const inserted = insertedRows.length;
  await reprotectStale(tx, insertedRows);
  if (inserted !== expected) throw new DomainError("CONFLICT", "contactImport.errors.accountsChanged");
  const counts = await tx.contactImport.update({
    where: { id: input.importId },
    data: { insertedCount: inserted },
    select: { fileName: true, totalRows: true, duplicateCount: true, invalidCount: true },
  });
  await audit({
    action: "contactImport.confirm",
    entityType: "ContactImport",
    entityId: input.importId,
    after: { fileName: counts.fileName, inserted, duplicates: counts.duplicateCount, invalid: counts.invalidCount, totalRows: counts.totalRows },
  });
  return { importId: input.importId, inserted };
}

export type { ImportField };
