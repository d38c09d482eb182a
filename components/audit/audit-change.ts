import { auditDiff } from "@/lib/audit/diff";
import { tag, text } from "@/components/ui/list-markup";

export type AuditChangeLabels = {
  summary: string; // with {count}
  noChange: string;
  nothing: string;
  value: string;
};

/**
 * An event's before → after as markup for its row (components/audit/audit-table.tsx), folded inside
 * <details> so a page of fifty events stays scannable: the summary (how many fields, the first
 * three by name) is written here; the per-field list is read when the reader opens it
 * (components/audit/audit-rows.tsx), not written folded for every event.
 */
export function auditChangeMarkup({
  before,
  after,
  labels,
  name = (field) => field,
  chinese = false,
}: {
  before: unknown;
  after: unknown;
  labels: AuditChangeLabels;
  /** A field's name in the reader's language (lib/audit/labels.ts auditFieldLabel). */
  name?: (field: string) => string;
  /** Chinese punctuation for the folded summary (、 and full-width brackets). */
  chinese?: boolean;
}): string {
  if ((before === null || before === undefined) && (after === null || after === undefined)) {
    return tag("span", { class: "text-slate-400" }, text(labels.nothing));
  }
  const changes = auditDiff(before, after);
  if (changes.length === 0) return tag("span", { class: "text-slate-500" }, text(labels.noChange));
  const names = changes.map((c) => (c.field ? name(c.field) : labels.value)).slice(0, 3).join(chinese ? "、" : ", ");
  const more = changes.length > 3 ? (chinese ? "、…" : ", …") : "";
  const summary = labels.summary.replace("{count}", String(changes.length));
  const fields = chinese ? `（${names}${more}）` : `(${names}${more})`;
  return tag(
    "details",
    { class: "group max-w-md min-w-64", "data-testid": "audit-change" },
    tag("summary", { class: "cursor-pointer text-blue-800 hover:underline focus-visible:outline-2 focus-visible:outline-blue-600" }, `${text(summary)}${tag("span", { class: "ml-1 text-slate-500" }, text(fields))}`),
  );
}
