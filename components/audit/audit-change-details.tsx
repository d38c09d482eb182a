"use client";
import { useState, type ReactNode, type SyntheticEvent } from "react";
import type { FieldChange } from "@/lib/audit/diff";
import { auditFieldLabel } from "@/lib/audit/labels";
import { useI18n } from "@/lib/i18n/client";

type State = { changes: FieldChange[] } | "loading" | "failed" | null;

/**
 * An audit event's folded change list. The summary (how many fields, the first three) comes with
 * the page; the fields' before → after are read when the reader opens it, from
 * /api/audit/changes (audit.read, like the trail): a page of fifty events no longer renders and
 * sends fifty folded lists that are mostly never opened (docs/performance.md). Values are JSON text
 * rendered by React (escaped), never HTML.
 */
export function AuditChangeDetails({ id, summary, fields }: { id: string; /** "2 个字段" */ summary: string; /** "（method、sessionId）" */ fields: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<State>(null);
  const onToggle = (event: SyntheticEvent<HTMLDetailsElement>) => {
    if (!event.currentTarget.open || state === "loading" || (state !== null && state !== "failed")) return;
    setState("loading");
    fetch(`/api/audit/changes?id=${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? (r.json() as Promise<{ changes: FieldChange[] }>) : Promise.reject(new Error(String(r.status)))))
      .then(
        (body) => setState({ changes: body.changes }),
        () => setState("failed"),
      );
  };
  let body: ReactNode = null;
  if (state === "loading") {
    body = (
      <p className="mt-2 text-xs text-slate-500" aria-busy="true">
        {t("audit.diff.loading")}
      </p>
    );
  } else if (state === "failed") {
    body = (
      <p className="mt-2 text-xs text-red-800" role="alert">
        {t("audit.diff.failed")}
      </p>
    );
  } else if (state) {
    body = (
      <dl className="mt-2 space-y-2 text-xs *:rounded *:border *:border-slate-200 *:bg-slate-50 *:p-2 [&_dd]:mt-1 [&_dd]:grid [&_dd]:grid-cols-[auto_1fr] [&_dd]:gap-x-2 [&_dd]:gap-y-1 [&_dt]:font-medium [&_dt]:text-slate-800 [&_dd>span:nth-child(odd)]:text-slate-500" data-testid="audit-change-fields">
        {state.changes.map((c) => (
          <div key={c.field ?? ""}>
            <dt data-field={c.field ?? undefined}>{c.field ? auditFieldLabel(c.field, t) : t("audit.diff.value")}</dt>
            <dd>
              <span>{t("audit.diff.before")}</span>
              <span className={c.before === undefined ? "text-slate-400" : "font-mono break-all whitespace-pre-wrap text-red-800"}>{c.before ?? t("audit.diff.absent")}</span>
              <span>{t("audit.diff.after")}</span>
              <span className={c.after === undefined ? "text-slate-400" : "font-mono break-all whitespace-pre-wrap text-green-800"}>{c.after ?? t("audit.diff.absent")}</span>
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return (
    <details className="group max-w-md min-w-64" data-testid="audit-change" onToggle={onToggle}>
      <summary className="cursor-pointer text-blue-800 hover:underline focus-visible:outline-2 focus-visible:outline-blue-600">
        {summary}
        <span className="ml-1 text-slate-500">{fields}</span>
      </summary>
      {body}
    </details>
  );
}
