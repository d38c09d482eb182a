"use server";
import { z } from "zod";
import { getI18n } from "@/lib/i18n/server";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import { IMPORT_MAX_BYTES, parseEmployeeFile, runEmployeeImport } from "./employee-import";
import type { FieldError } from "./problem";

// The employee import's two steps (docs/api.md): preview (the whole upsert, rolled back) and
// import (the same file, by its hash, for real). The file travels as base64 (Server Actions take
// strings here); HR (directory.manage) only, as the directory's own forms.

const fileSchema = z.object({
  fileName: z.string().trim().min(1).max(200),
  content: z.string().min(1).max(Math.ceil((IMPORT_MAX_BYTES * 4) / 3) + 8, { error: "privacy.apiImport.tooLarge" }),
});
const commitSchema = fileSchema.extend({ hash: z.string().regex(/^[a-f0-9]{64}$/) });

export type ImportPreview = { hash: string; encoding: string; count: number; created: number; updated: number; unchanged: number; leavers: number; errors: FieldError[] };

async function parse(input: z.output<typeof fileSchema>) {
  const { t } = await getI18n();
  const bytes = new Uint8Array(Buffer.from(input.content, "base64"));
  if (bytes.length > IMPORT_MAX_BYTES) throw new DomainError("VALIDATION", "privacy.apiImport.tooLarge", { field: "content" });
  return { t, parsed: await parseEmployeeFile(input.fileName, bytes, t) };
}

export const previewEmployeeImportAction = defineAction({
  schema: fileSchema,
  permission: "directory.manage",
  mutation: false,
  async run({ actor, input }): Promise<ImportPreview> {
    const { t, parsed } = await parse(input);
    const base = { hash: parsed.hash, encoding: parsed.encoding, count: parsed.count, created: 0, updated: 0, unchanged: 0, leavers: 0 };
    if (parsed.errors.length > 0) return { ...base, errors: parsed.errors.slice(0, 500) };
    const outcome = await runEmployeeImport(db(), actor, parsed.rows, t, { preview: true });
    if (!outcome.ok) return { ...base, errors: outcome.errors.slice(0, 500) };
    const { created, updated, unchanged, leavers } = outcome.result;
    return { ...base, created, updated, unchanged, leavers, errors: [] };
  },
});

export const commitEmployeeImportAction = defineAction({
  schema: commitSchema,
  permission: "directory.manage",
  revalidate: () => ["/directory", "/offboarding"],
  async run({ actor, input, tx, audit }) {
    const { t, parsed } = await parse(input);
    if (parsed.hash !== input.hash) throw new DomainError("STALE", "privacy.apiImport.notPreviewed");
    if (parsed.errors.length > 0 || parsed.rows.length === 0) throw new DomainError("VALIDATION", "privacy.apiImport.hasErrors");
    const outcome = await runEmployeeImport(db(), actor, parsed.rows, t, { preview: false, tx, audit });
    if (!outcome.ok) throw new DomainError("VALIDATION", "privacy.apiImport.hasErrors");
    const { created, updated, unchanged, leavers } = outcome.result;
    await audit({ action: "employeeImport.commit", entityType: "EmployeeImport", entityId: parsed.hash.slice(0, 32), after: { fileName: input.fileName, encoding: parsed.encoding, rows: parsed.count, created, updated, unchanged, leavers } });
    return { created, updated, unchanged, leavers };
  },
});
