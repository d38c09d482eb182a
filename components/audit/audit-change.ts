import { tag, text } from "@/components/ui/list-markup";

export type AuditChangeLabels = {
  summary: string; // with {count}
  noChange: string;
  nothing: string;
  value: string;
};

/**
 * An event's change as markup for its row (components/audit/audit-table.tsx), from the names of
 * the fields it changed (lib/audit/diff.ts auditChangedFields; the page reads them from its
 * statement, not the values), folded inside <details> so a page of fifty events stays scannable: the summary (how many fields, the first
 * three by name) is written here; the per-field list is read when the reader opens it
 * (components/audit/audit-rows.tsx), not written folded for every event.
 */
export function auditChangeMarkup({
  changed,
  labels,
  name = (field) => field,
  chinese = false,
}: {
  /** The changed fields' names in order (null: the value as a whole); null when there was neither a before nor an after. */
  changed: readonly (string | null)[] | null;
  labels: AuditChangeLabels;
  /** A field's name in the reader's language (lib/audit/labels.ts auditFieldLabel). */
  name?: (field: string) => string;
  /** Chinese punctuation for the folded summary (、 and full-width brackets). */
  chinese?: boolean;
}): string {
  if (changed === null) return tag("span", { class: "text-slate-400" }, text(labels.nothing));
  if (changed.length === 0) return tag("span", { class: "text-slate-500" }, text(labels.noChange));
  const names = changed.slice(0, 3).map((field) => (field ? name(field) : labels.value)).join(chinese ? "、" : ", ");
  const more = changed.length > 3 ? (chinese ? "、…" : ", …") : "";
  const summary = labels.summary.replace("{count}", String(changed.length));
  const fields = chinese ? `（${names}${more}）` : `(${names}${more})`;
  return tag(
    "details",
    { class: "group max-w-md min-w-64", "data-testid": "audit-change" },
    tag("summary", { class: "cursor-pointer text-blue-800 hover:underline focus-visible:outline-2 focus-visible:outline-blue-600" }, `${text(summary)}${tag("span", { class: "ml-1 text-slate-500" }, text(fields))}`),
  );
}
