import { auditDiff } from "@/lib/audit/diff";

export type AuditChangeLabels = {
  summary: string; // with {count}
  noChange: string;
  nothing: string;
  before: string;
  after: string;
  absent: string;
  value: string;
};

/**
 * An event's before → after as a compact per-field list, folded inside <details> so a page of
 * fifty events stays scannable. Values are JSON text rendered by React (escaped), never HTML.
 */
export function AuditChange({
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
}) {
  if ((before === null || before === undefined) && (after === null || after === undefined)) {
    return <span className="text-slate-400">{labels.nothing}</span>;
  }
  const changes = auditDiff(before, after);
  if (changes.length === 0) return <span className="text-slate-500">{labels.noChange}</span>;
  return (
    <details className="group max-w-md min-w-64" data-testid="audit-change">
      <summary className="cursor-pointer text-blue-800 hover:underline focus-visible:outline-2 focus-visible:outline-blue-600">
        {labels.summary.replace("{count}", String(changes.length))}
        <span className="ml-1 text-slate-500">
          {chinese ? "（" : "("}
          {changes.map((c) => (c.field ? name(c.field) : labels.value)).slice(0, 3).join(chinese ? "、" : ", ")}
          {changes.length > 3 ? (chinese ? "、…" : ", …") : ""}
          {chinese ? "）" : ")"}
        </span>
      </summary>
      {/* The boxes', names' and labels' classes are set once on the list (a page holds fifty of
          these, folded: each class repeated per field was rendered and sent twice, in the HTML and
          the RSC payload, for what is mostly never opened). */}
      <dl className="mt-2 space-y-2 text-xs *:rounded *:border *:border-slate-200 *:bg-slate-50 *:p-2 [&_dd]:mt-1 [&_dd]:grid [&_dd]:grid-cols-[auto_1fr] [&_dd]:gap-x-2 [&_dd]:gap-y-1 [&_dt]:font-medium [&_dt]:text-slate-800 [&_dd>span:nth-child(odd)]:text-slate-500">
        {changes.map((c) => (
          <div key={c.field ?? ""}>
            <dt data-field={c.field ?? undefined}>{c.field ? name(c.field) : labels.value}</dt>
            <dd>
              <span>{labels.before}</span>
              <span className={c.before === undefined ? "text-slate-400" : "font-mono break-all whitespace-pre-wrap text-red-800"}>{c.before ?? labels.absent}</span>
              <span>{labels.after}</span>
              <span className={c.after === undefined ? "text-slate-400" : "font-mono break-all whitespace-pre-wrap text-green-800"}>{c.after ?? labels.absent}</span>
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
