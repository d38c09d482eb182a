import type { Translate } from "@/lib/i18n/translate";
import type { PreviewRow } from "./queries";

// The words of a staged row's reasons and the rows of the downloadable report. The report holds
// the cells exactly as the file gave them; lib/csv escapes any that a spreadsheet would run.

export function reasonText(t: Translate, row: Pick<PreviewRow, "reasons" | "duplicateOfRow">): string {
  if (!row.reasons) return "";
  return row.reasons
    .split(",")
    .filter(Boolean)
    .map((code) => t(`contactImport.reasons.${code}`, { row: row.duplicateOfRow ?? "" }))
    .join("; ");
}

export function reportHeader(t: Translate): string[] {
  return ["row", "category", "reason", "externalId", "name", "company", "addedAt", "account"].map((c) => t(`contactImport.col.${c}`));
}

export function reportRow(t: Translate, row: PreviewRow): unknown[] {
  return [row.rowNumber, t(`contactImport.counts.${row.category}`), reasonText(t, row), row.rawExternalId, row.rawName, row.rawCompany, row.rawAddedAt, row.rawAccount];
}

/** The message of a file refused as a whole. */
export function refusalText(t: Translate, errorKey: string, errorDetail: string | null): string {
  if (errorKey === "missingColumns") {
    const columns = (errorDetail ?? "").split(",").filter(Boolean).map((f) => t(`contactImport.fields.${f}`));
    return t("contactImport.errors.missingColumns", { columns: columns.join(", ") });
  }
  return t(`contactImport.errors.${errorKey}`, { detail: errorDetail ?? "" });
}
