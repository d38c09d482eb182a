import { auditDiff } from "@/lib/audit/diff";
import { AuditChangeDetails } from "./audit-change-details";

export type AuditChangeLabels = {
  summary: string; // with {count}
  noChange: string;
  nothing: string;
  value: string;
};

/**
 * An event's before → after, folded inside <details> so a page of fifty events stays scannable: the
 * summary (how many fields, the first three by name) is rendered here; the per-field list is read
 * when the reader opens it (AuditChangeDetails), not rendered folded for every event.
 */
export function AuditChange({
  id,
  before,
  after,
  labels,
  name = (field) => field,
  chinese = false,
}: {
  /** The event's id: its fields are read from /api/audit/changes when the list is opened. */
  id: string;
  before: unknown;
  after: unknown;
  labels: AuditChangeLabels;
  /** A field's name in the reader's language (lib/audit/labels.ts auditFieldLabel). */
  name?: (field: string) => string;
  /** Chinese punctuation for the folded summary (、 and full-width brackets). */
  chinese?: boolean;
}) {
  if ((before === null || before === undefined) && (after === null || after === undefined)) {
    return <span className="text-slate-400">{labels.nothing}</span>;
  }
  const changes = auditDiff(before, after);
  if (changes.length === 0) return <span className="text-slate-500">{labels.noChange}</span>;
  const names = changes.map((c) => (c.field ? name(c.field) : labels.value)).slice(0, 3).join(chinese ? "、" : ", ");
  const more = changes.length > 3 ? (chinese ? "、…" : ", …") : "";
  // The summary's two texts as props of the one client component per event (its markup and
  // classes are rendered there, not sent with every event in the RSC payload).
  return (
    <AuditChangeDetails
      id={id}
      summary={labels.summary.replace("{count}", String(changes.length))}
      fields={chinese ? `（${names}${more}）` : `(${names}${more})`}
    />
  );
}
