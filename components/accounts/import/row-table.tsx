import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import type { PreviewRow } from "@/lib/accounts/import/queries";
import { reasonText } from "@/lib/accounts/import/report";
import type { Translate } from "@/lib/i18n/translate";

/** Staged rows as the file gave them (React escapes the text; nothing is evaluated); cards on a phone,
 * the reason a row is not added first. */
export function RowTable({ t, caption, rows, showReason }: { t: Translate; caption: string; rows: PreviewRow[]; showReason: boolean }) {
  const cols = ["row", "externalId", "name", "company", "addedAt", "account"];
  const label = (c: string) => t(`contactImport.col.${c}`);
  return (
    <DataList caption={caption}>
      <ListHead>
        {cols.map((c) => (
          <Th key={c}>{label(c)}</Th>
        ))}
        {showReason ? <Th>{label("reason")}</Th> : null}
      </ListHead>
      <ListBody>
        {rows.length === 0 ? <ListEmpty colSpan={cols.length + (showReason ? 1 : 0)}>{t("contactImport.noRows")}</ListEmpty> : null}
        {rows.map((r) => (
          <ListRow key={r.rowNumber}>
            <Cell label={label("row")} className="tabular-nums">{r.rowNumber}</Cell>
            <Cell label={label("externalId")} className="break-all">{r.rawExternalId}</Cell>
            <Cell kind="title" className="sm:max-w-xs break-words">{r.rawName}</Cell>
            <Cell label={label("company")} className="sm:max-w-xs break-words">{r.rawCompany}</Cell>
            <Cell label={label("addedAt")} className="sm:whitespace-nowrap">{r.rawAddedAt}</Cell>
            <Cell label={label("account")} className="break-all">{r.rawAccount}</Cell>
            {showReason ? <Cell kind="status" className="text-red-800">{reasonText(t, r)}</Cell> : null}
          </ListRow>
        ))}
      </ListBody>
    </DataList>
  );
}
