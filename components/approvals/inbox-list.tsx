import { Link } from "@/components/ui/link";
import { Badge } from "@/components/ui/card";
import { ProvisionalBadge } from "@/components/ui/provisional-badge";
import type { InboxItem } from "@/lib/approvals/queries";
import type { InboxTab } from "@/lib/approvals/schemas";
import type { Translate } from "@/lib/i18n/translate";
import { formatDateTime, overdueText, REQUEST_STATUS_TONE, STEP_STATUS_TONE } from "./format";

/**
 * One page of the inbox as a list of cards rather than a table: approvers act from phones
 * (SPEC §14), and a 375 px screen must not scroll sideways.
 */
export function InboxList({ items, tab, t, locale, timeZone, emptyText, batchFormId }: { items: InboxItem[]; tab: InboxTab; t: Translate; locale: string; timeZone: string; emptyText: string; batchFormId?: string }) {
  if (items.length === 0) {
    return <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-8 text-center text-sm text-slate-600">{emptyText}</p>;
  }
  const time = (d: Date) => formatDateTime(locale, timeZone, d);
  return (
    <ul aria-label={t("approvals.inbox.listLabel")} className="space-y-3" data-testid="approval-inbox">
      {items.map((item) => {
        const step = item.step;
        const who = step?.approverName ?? (step?.role ? t(`roles.${step.role}`) : null);
        return (
          <li key={`${item.requestId}-${step?.position ?? 0}`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="approval-item">
            <div className="flex flex-wrap items-start justify-between gap-2">
              {batchFormId && item.batchable && step ? (
                // Belongs to the batch form above the list (form attribute), so the list stays server-rendered.
                <input
                  type="checkbox"
                  form={batchFormId}
                  name="items"
                  value={`${item.requestId}:${step.id}`}
                  aria-label={t("approvals.quick.select", { title: item.title })}
                  className="mt-0.5 h-6 w-6 shrink-0 rounded border-slate-400 sm:h-5 sm:w-5"
                />
              ) : null}
              <Link href={`/approvals/${item.requestId}`} className="min-w-0 flex-1 font-medium break-words text-blue-800 hover:underline">
                {item.title}
              </Link>
              <Badge tone={tab === "decided" && step ? STEP_STATUS_TONE[step.status] : REQUEST_STATUS_TONE[item.status]}>
                {tab === "decided" && step ? t(`approvals.stepStatus.${step.status}`) : t(`approvals.requestStatus.${item.status}`)}
              </Badge>
            </div>
            <p className="mt-1 text-sm break-words text-slate-600">
              {t(`approvals.types.${item.type}`)} · {t("approvals.inbox.requester")} {item.requesterName} · {t("approvals.inbox.submitted")} {time(item.submittedAt)}
            </p>
            {step ? (
              <p className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700">
                <span>{t("approvals.inbox.step", { position: step.position })}</span>
                {tab === "mine" && who ? <span className="break-words">{t("approvals.inbox.waitingOn", { who })}</span> : null}
                {tab === "decided" && step.decidedAt ? (
                  <span>
                    {t("approvals.inbox.decidedAt")} {time(step.decidedAt)}
                  </span>
                ) : null}
                {tab !== "decided" && step.dueAt ? (
                  <span>
                    {t("approvals.inbox.due")} {time(step.dueAt)}
                    <ProvisionalBadge year={step.provisionalYear} t={t} />
                  </span>
                ) : null}
                {item.overdue ? (
                  <span data-testid="overdue">
                    <Badge tone="red">{overdueText(t, item.overdue)}</Badge>
                  </span>
                ) : null}
              </p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
