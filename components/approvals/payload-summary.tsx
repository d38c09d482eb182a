import Link from "next/link";
import type { ApprovalPayloadSummaryItem } from "@/lib/approvals/types";
import type { Translate } from "@/lib/i18n/translate";

// The request's payload for a reader: the capability's own summary when it gave one
// (payload.summary, see ApprovalPayload), otherwise every top-level key with its value.

const MAX_VALUE = 500;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isSummaryItem(v: unknown): v is ApprovalPayloadSummaryItem {
  return isRecord(v) && (typeof v.labelKey === "string" || typeof v.label === "string");
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

export function payloadLines(payload: unknown, t: Translate): { label: string; value: string }[] {
  if (!isRecord(payload)) return payload === null || payload === undefined ? [] : [{ label: "payload", value: show(payload) }];
  if (Array.isArray(payload.summary) && payload.summary.every(isSummaryItem)) {
    return payload.summary.map((item) => ({
      label: item.labelKey ? t(item.labelKey) : (item.label ?? ""),
      value: item.valueKey ? t(item.valueKey) : show(item.value),
    }));
  }
  return Object.entries(payload)
    .filter(([key]) => key !== "summary" && key !== "subjectHref")
    .map(([key, value]) => ({ label: key, value: show(value) }));
}

/** A link to the subject, only to a path inside the portal. */
export function subjectHref(payload: unknown): string | null {
  const href = isRecord(payload) ? payload.subjectHref : undefined;
  return typeof href === "string" && /^\/(?!\/)[^\s\\]*$/.test(href) ? href : null;
}

export function PayloadSummary({ payload, t }: { payload: unknown; t: Translate }) {
  const lines = payloadLines(payload, t);
  const href = subjectHref(payload);
  return (
    <div className="space-y-3">
      {lines.length === 0 ? (
        <p className="text-sm text-slate-600">{t("approvals.detail.noSummary")}</p>
      ) : (
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[minmax(6rem,max-content)_1fr]" data-testid="payload-summary">
          {lines.map((line, i) => (
            <div key={i} className="contents">
              <dt className="font-medium break-words text-slate-600">{line.label}</dt>
              <dd className="mb-2 break-words whitespace-pre-wrap text-slate-900 sm:mb-0">{line.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {href ? (
        <Link href={href} className="text-sm text-blue-800 hover:underline">
          {t("approvals.detail.subject")}
        </Link>
      ) : null}
    </div>
  );
}
