"use client";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { TextAreaField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { toast } from "@/components/ui/toast";
import { decideApprovalAction, withdrawApprovalAction } from "@/lib/approvals/actions";
import { COMMENT_MAX, decisionSchema, withdrawSchema } from "@/lib/approvals/schemas";
import { useI18n } from "@/lib/i18n/client";

// Approve / reject one step, and withdraw a request.
//
// Deciding works as in the approval apps people know (WeCom's, DingTalk's, Feishu's): on a phone
// the two buttons sit in a bar fixed to the bottom of the screen, under the thumb; 驳回 needs a
// comment (checked here and on the server) and asks for confirmation; after the decision the
// approver goes on to the next request waiting on them (else back to the inbox), with a toast
// saying what was decided. The bar stands on the shell's bottom tab bar (bottom = the tab bar's
// height and safe area, --wg-tab-bar-height in app/globals.css), so neither covers the other, and
// main pads itself by both bars (--wg-bottom-bars). No margin below it on the phone: the form's
// space-y-4 gives every child but the last a 16 px bottom margin, which lifted the fixed bar 16 px
// off the bottom edge it is placed by. No style attribute: the CSP (proxy.ts) refuses them.

export function DecisionForm({ requestId, stepId, version, title }: { requestId: string; stepId: string; version: number; title: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback(
    (data: { status: string; next: string | null }) => {
      toast(t(data.status === "REJECTED" ? "approvals.quick.rejectedToast" : "approvals.quick.approvedToast", { title }) + (data.next ? "" : ` ${t("approvals.quick.inboxEmptyToast")}`));
      router.push(data.next ? `/approvals/${data.next}` : "/approvals");
    },
    [router, t, title],
  );
  return (
    <ActionForm
      action={decideApprovalAction}
      schema={decisionSchema}
      onSuccess={onSuccess}
      ariaLabel={t("approvals.decide.title")}
      confirm={(data) =>
        data.get("decision") === "REJECT"
          ? { title: t("confirm.approvals.reject.title"), body: t("confirm.approvals.reject.body", { title }), confirmLabel: t("confirm.approvals.reject.action") }
          : null
      }
    >
      <input type="hidden" name="requestId" value={requestId} />
      <input type="hidden" name="stepId" value={stepId} />
      <input type="hidden" name="expectedVersion" value={version} />
      <TextAreaField name="comment" label={t("approvals.decide.comment")} hint={t("approvals.decide.commentHint")} maxLength={COMMENT_MAX} />
      <div
        role="group"
        aria-label={t("approvals.quick.barLabel")}
        data-testid="decision-bar"
        data-decision-bar=""
        className="fixed inset-x-0 bottom-(--wg-tab-bar-height) z-30 max-sm:mb-0! border-t border-slate-200 bg-white/95 px-4 py-3 shadow-[0_-4px_12px_rgba(15,23,42,0.08)] backdrop-blur sm:static sm:border-0 sm:bg-transparent sm:p-0 sm:shadow-none sm:backdrop-blur-none"
      >
        <div className="mx-auto grid max-w-3xl grid-cols-2 gap-3 sm:mx-0 sm:flex sm:flex-wrap">
          <SubmitButton name="decision" value="REJECT" variant="secondary" className="min-h-12 border-red-300 text-red-800 hover:bg-red-50 sm:min-h-10" pendingText={t("approvals.decide.approving")}>
            {t("approvals.decide.reject")}
          </SubmitButton>
          <SubmitButton name="decision" value="APPROVE" className="min-h-12 sm:min-h-10" pendingText={t("approvals.decide.approving")}>
            {t("approvals.decide.approve")}
          </SubmitButton>
        </div>
      </div>
    </ActionForm>
  );
}

export function WithdrawForm({ requestId, title }: { requestId: string; title: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback(() => router.replace(`/approvals/${requestId}?done=withdrawn`), [router, requestId]);
  return (
    <ActionForm
      action={withdrawApprovalAction}
      schema={withdrawSchema}
      onSuccess={onSuccess}
      ariaLabel={t("approvals.decide.withdrawTitle")}
      confirm={{ title: t("confirm.approvals.withdraw.title"), body: t("confirm.approvals.withdraw.body", { title }), confirmLabel: t("confirm.approvals.withdraw.action") }}
    >
      <input type="hidden" name="requestId" value={requestId} />
      <p className="text-sm text-slate-600">{t("approvals.decide.withdrawHint")}</p>
      <SubmitButton variant="danger" pendingText={t("approvals.decide.withdrawing")}>
        {t("approvals.decide.withdraw")}
      </SubmitButton>
    </ActionForm>
  );
}
