import type { DbClient, Tx } from "@/lib/server/prisma-client";

// Reads of staged imports. Imports are seen by everyone who may import (accounts.manage, checked
// by the page or route); rows are read a page at a time.

export const PREVIEW_ROWS = 200;
export const CATEGORIES = ["ADD", "DUPLICATE", "INVALID"] as const;
export type Category = (typeof CATEGORIES)[number];

const importSelect = {
  id: true,
  fileName: true,
  encoding: true,
  status: true,
  totalRows: true,
  addCount: true,
  duplicateCount: true,
  invalidCount: true,
  insertedCount: true,
  errorKey: true,
  errorDetail: true,
  createdAt: true,
  confirmedAt: true,
  createdById: true,
} as const;

export async function getImport(client: DbClient | Tx, id: string) {
  return client.contactImport.findUnique({ where: { id }, select: importSelect });
}
export type ImportSummary = NonNullable<Awaited<ReturnType<typeof getImport>>>;

export async function recentImports(client: DbClient, take = 10) {
  return client.contactImport.findMany({ orderBy: { createdAt: "desc" }, take, select: importSelect });
}

const rowSelect = {
  rowNumber: true,
  category: true,
  reasons: true,
  duplicateOfRow: true,
  rawExternalId: true,
  rawName: true,
  rawCompany: true,
  rawAddedAt: true,
  rawAccount: true,
  addedAt: true,
} as const;

export async function previewRows(client: DbClient, importId: string, category: Category, take = PREVIEW_ROWS) {
  return client.contactImportRow.findMany({ where: { importId, category }, orderBy: { rowNumber: "asc" }, take, select: rowSelect });
}
export type PreviewRow = Awaited<ReturnType<typeof previewRows>>[number];

/** Every staged row of an import in file order, a page at a time (for the CSV report). */
export async function* allRows(client: DbClient, importId: string, pageSize = 5_000): AsyncGenerator<PreviewRow[]> {
  let after = 0;
  for (;;) {
    const page = await client.contactImportRow.findMany({ where: { importId, rowNumber: { gt: after } }, orderBy: { rowNumber: "asc" }, take: pageSize, select: rowSelect });
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1].rowNumber;
  }
}
