import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
import type { PreviewRow } from "@/lib/accounts/import/queries";
import { reasonText } from "@/lib/accounts/import/report";
import type { Translate } from "@/lib/i18n/translate";

/** Staged rows as the file gave them (React escapes the text; nothing is evaluated). */
export function RowTable({ t, caption, rows, showReason }: { t: Translate; caption: string; rows: PreviewRow[]; showReason: boolean }) {
  const cols = ["row", "externalId", "name", "company", "addedAt", "account"];
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          {cols.map((c) => (
            <Th key={c}>{t(`contactImport.col.${c}`)}</Th>
          ))}
          {showReason ? <Th>{t("contactImport.col.reason")}</Th> : null}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.length === 0 ? <EmptyRow colSpan={cols.length + (showReason ? 1 : 0)}>{t("contactImport.noRows")}</EmptyRow> : null}
        {rows.map((r) => (
          <tr key={r.rowNumber}>
            <Td className="tabular-nums">{r.rowNumber}</Td>
            <Td className="break-all">{r.rawExternalId}</Td>
            <Td className="max-w-xs break-words">{r.rawName}</Td>
            <Td className="max-w-xs break-words">{r.rawCompany}</Td>
            <Td className="whitespace-nowrap">{r.rawAddedAt}</Td>
            <Td className="break-all">{r.rawAccount}</Td>
            {showReason ? <Td className="text-red-800">{reasonText(t, r)}</Td> : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
