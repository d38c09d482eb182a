import { Link } from "@/components/ui/link";
import { payloadLines, subjectHref } from "@/lib/approvals/payload";
import type { Translate } from "@/lib/i18n/translate";

/** The request's payload as label/value lines (lib/approvals/payload.ts), stacked on a phone. */
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
