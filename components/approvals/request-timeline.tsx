import { Badge } from "@/components/ui/card";
import { ProvisionalBadge } from "@/components/ui/provisional-badge";
import type { TimelineStep } from "@/lib/approvals/queries";
import type { Translate } from "@/lib/i18n/translate";
import { formatDateTime, overdueText, resolutionText, STEP_STATUS_TONE } from "./format";

/** Each step of a request: who may decide, who decided and when, the comment, due and overdue. */
export function RequestTimeline({ steps, t, locale, timeZone }: { steps: TimelineStep[]; t: Translate; locale: string; timeZone: string }) {
  const colon = locale.startsWith("zh") ? "：" : ": ";
  const time = (d: Date) => formatDateTime(locale, timeZone, d);
  return (
    <ol className="space-y-4" data-testid="approval-timeline">
      {steps.map((step) => {
        const auto = step.resolution?.code === "AUTO_PASSED";
        const who = auto ? t("approvals.detail.noOtherDecider") : step.approver ? step.approver.name : step.role ? t("approvals.detail.anyHolder", { role: t(`roles.${step.role}`) }) : "—";
        const note = resolutionText(t, step.resolution, step.status);
        const condition = step.condition?.classifications?.length
          ? t("approvals.detail.condition", { list: step.condition.classifications.map((c) => t(`approvals.classifications.${c}`)).join(t("common.listSeparator")) })
          : null;
        return (
          <li key={step.id} className="relative border-l-2 border-slate-200 pl-4" data-testid="timeline-step" data-status={step.status}>
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="text-sm font-semibold text-slate-900">
                {t("approvals.detail.stepTitle", { position: step.position, kind: step.kind === "ROLE" && step.role ? t(`roles.${step.role}`) : t(`approvals.kinds.${step.kind}`) })}
              </h3>
              <Badge tone={STEP_STATUS_TONE[step.status]}>{t(`approvals.stepStatus.${step.status}`)}</Badge>
              {step.overdue ? <Badge tone="red">{overdueText(t, step.overdue)}</Badge> : null}
            </div>
            <div className="mt-2 space-y-1 text-sm text-slate-700">
              {step.status !== "SKIPPED" ? (
                <div>
                  <p>
                    <span className="font-medium">{t("approvals.detail.whoDecides")}{colon}</span>
                    <span className="break-words">{who}</span>
                  </p>
                  {note ? <p className="text-xs break-words text-amber-800">{note}</p> : null}
                </div>
              ) : null}
              {condition ? <p className="text-xs text-slate-500">{condition}</p> : null}
              {step.decidedBy || step.status === "AUTO_APPROVED" ? (
                <p>
                  <span className="font-medium">{t("approvals.detail.decidedBy")}{colon}</span>
                  <span>
                    {step.decidedBy ? step.decidedBy.name : t("approvals.detail.system")}
                    {step.decidedAt ? ` · ${time(step.decidedAt)}` : ""}
                  </span>
                </p>
              ) : null}
              {step.comment ? (
                <p>
                  <span className="font-medium">{t("approvals.detail.comment")}{colon}</span>
                  <span className="break-words whitespace-pre-wrap">{step.comment}</span>
                </p>
              ) : null}
              {step.activatedAt && step.status === "PENDING" ? (
                <p>
                  <span className="font-medium">{t("approvals.detail.activatedAt")}{colon}</span>
                  <span>{time(step.activatedAt)}</span>
                </p>
              ) : null}
              {step.dueAt && step.status === "PENDING" ? (
                <p>
                  <span className="font-medium">{t("approvals.detail.dueAt")}{colon}</span>
                  <span>{time(step.dueAt)}</span>
                  <ProvisionalBadge year={step.provisionalYear} t={t} />
                </p>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
