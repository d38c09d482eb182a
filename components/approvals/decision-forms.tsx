"use client";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { cn } from "@/components/ui/cn";
import { TextAreaField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { decideApprovalAction, withdrawApprovalAction } from "@/lib/approvals/actions";
import { COMMENT_MAX, decisionSchema, withdrawSchema } from "@/lib/approvals/schemas";
import { useI18n } from "@/lib/i18n/client";

// Approve / reject one step, and withdraw a request. After a success the page is shown again
// with a note of what happened (the form itself is gone once the step is decided).

function CommentField({ required }: { required: boolean }) {
  const { t } = useI18n();
  return <TextAreaField name="comment" label={t("approvals.decide.comment")} hint={t("approvals.decide.commentHint")} maxLength={COMMENT_MAX} required={required} />;
}

export function DecisionForm({ requestId, stepId, version }: { requestId: string; stepId: string; version: number }) {
  const { t } = useI18n();
  const router = useRouter();
  const [decision, setDecision] = useState<"APPROVE" | "REJECT">("APPROVE");
  const onSuccess = useCallback(
    (data: { status: string }) => router.replace(`/approvals/${requestId}?done=${data.status === "REJECTED" ? "rejected" : "approved"}`),
    [router, requestId],
  );
  return (
    <ActionForm action={decideApprovalAction} schema={decisionSchema} onSuccess={onSuccess} ariaLabel={t("approvals.decide.title")}>
      <input type="hidden" name="requestId" value={requestId} />
      <input type="hidden" name="stepId" value={stepId} />
      <input type="hidden" name="expectedVersion" value={version} />
      <fieldset>
        <legend className="sr-only">{t("approvals.decide.title")}</legend>
        <div className="grid grid-cols-2 gap-2">
          {(["APPROVE", "REJECT"] as const).map((value) => (
            <label
              key={value}
              className={cn(
                "flex min-h-11 cursor-pointer items-center justify-center gap-2 rounded-md border px-3 py-2 text-sm font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-blue-600",
                decision === value
                  ? value === "APPROVE"
                    ? "border-green-700 bg-green-50 text-green-900"
                    : "border-red-700 bg-red-50 text-red-900"
                  : "border-slate-300 bg-white text-slate-700",
              )}
            >
              <input type="radio" name="decision" value={value} checked={decision === value} onChange={() => setDecision(value)} className="h-4 w-4" />
              {value === "APPROVE" ? t("approvals.decide.approve") : t("approvals.decide.reject")}
            </label>
          ))}
        </div>
      </fieldset>
      <CommentField required={decision === "REJECT"} />
      <SubmitButton variant={decision === "REJECT" ? "danger" : "primary"} pendingText={t("approvals.decide.approving")}>
        {decision === "APPROVE" ? t("approvals.decide.approve") : t("approvals.decide.reject")}
      </SubmitButton>
    </ActionForm>
  );
}

export function WithdrawForm({ requestId }: { requestId: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback(() => router.replace(`/approvals/${requestId}?done=withdrawn`), [router, requestId]);
  return (
    <ActionForm action={withdrawApprovalAction} schema={withdrawSchema} onSuccess={onSuccess} ariaLabel={t("approvals.decide.withdrawTitle")}>
      <input type="hidden" name="requestId" value={requestId} />
      <p className="text-sm text-slate-600">{t("approvals.decide.withdrawHint")}</p>
      <SubmitButton variant="danger" pendingText={t("approvals.decide.withdrawing")}>
        {t("approvals.decide.withdraw")}
      </SubmitButton>
    </ActionForm>
  );
}
