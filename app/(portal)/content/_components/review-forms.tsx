"use client";
import { useRouter } from "next/navigation";
import { useCallback, useRef } from "react";
import { TextAreaField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton, type ConfirmSpec } from "@/components/ui/form";
import { abandonSubmissionAction, acceptFindingAction, decideReviewAction, submitSubmissionAction, withdrawReviewAction } from "@/lib/content/actions";
import { acceptFindingSchema, reviewDecisionSchema, submissionRefSchema } from "@/lib/content/schemas";
import { useI18n } from "@/lib/i18n/client";

// The content page's forms: accepting a finding, approving or sending back (the reviewer), and
// the author's submit / withdraw / abandon. Each refreshes the page after success.

function useRefresh() {
  const router = useRouter();
  return useCallback(() => router.refresh(), [router]);
}

export function AcceptFindingForm({ id, revision, findingId }: { id: string; revision: number; findingId: string }) {
  const { t } = useI18n();
  const refresh = useRefresh();
  return (
    <ActionForm action={acceptFindingAction} schema={acceptFindingSchema} onSuccess={refresh} className="mt-2 flex flex-wrap items-end gap-2" ariaLabel={t("content.detail.accept")}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="revision" value={revision} />
      <input type="hidden" name="findingId" value={findingId} />
      <div className="min-w-0 flex-1">
        <TextField name="reason" label={t("content.fields.reason")} hint={t("content.detail.acceptReasonHint")} required maxLength={500} autoComplete="off" />
      </div>
      <SubmitButton variant="secondary">{t("content.detail.accept")}</SubmitButton>
    </ActionForm>
  );
}

export function ReviewDecisionForm({ id, revision }: { id: string; revision: number }) {
  const { t } = useI18n();
  const refresh = useRefresh();
  const decision = useRef<HTMLInputElement>(null);
  return (
    <ActionForm action={decideReviewAction} schema={reviewDecisionSchema} onSuccess={refresh} ariaLabel={t("content.detail.reviewTitle")} successMessage={t("content.detail.decided")} confirm={(data) => (data.get("decision") === "REJECT" ? { title: t("confirm.content.sendBack.title"), body: t("confirm.content.sendBack.body"), confirmLabel: t("confirm.content.sendBack.action") } : null)}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="revision" value={revision} />
      <input ref={decision} type="hidden" name="decision" defaultValue="APPROVE" />
      <TextAreaField name="comment" label={t("content.fields.comment")} maxLength={2000} rows={3} />
      <div className="flex flex-wrap gap-2">
        <span onClickCapture={() => decision.current && (decision.current.value = "APPROVE")}>
          <SubmitButton>{t("content.detail.approve")}</SubmitButton>
        </span>
        <span onClickCapture={() => decision.current && (decision.current.value = "REJECT")}>
          <SubmitButton variant="danger">{t("content.detail.sendBack")}</SubmitButton>
        </span>
      </div>
    </ActionForm>
  );
}

type RefAction = typeof submitSubmissionAction;

function RefButton({ action, id, version, label, variant, confirm }: { action: RefAction; id: string; version: number; label: string; variant?: "primary" | "secondary" | "danger"; confirm?: ConfirmSpec }) {
  const refresh = useRefresh();
  return (
    <ActionForm action={action} schema={submissionRefSchema} onSuccess={refresh} ariaLabel={label} className="space-y-2" confirm={confirm}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <SubmitButton variant={variant}>{label}</SubmitButton>
    </ActionForm>
  );
}

export function AuthorActions({ id, version, status }: { id: string; version: number; status: string }) {
  const { t } = useI18n();
  return (
    <div className="flex flex-wrap gap-2">
      {status === "DRAFT" || status === "CHANGES_REQUESTED" ? <RefButton action={submitSubmissionAction} id={id} version={version} label={t("content.detail.submit")} /> : null}
      {status === "IN_REVIEW" ? <RefButton action={withdrawReviewAction} id={id} version={version} label={t("content.detail.withdrawReview")} variant="secondary" /> : null}
      {status === "DRAFT" || status === "CHANGES_REQUESTED" ? <RefButton action={abandonSubmissionAction} id={id} version={version} label={t("content.detail.abandon")} variant="danger" confirm={{ title: t("confirm.content.abandon.title"), body: t("confirm.content.abandon.body"), confirmLabel: t("confirm.content.abandon.action"), done: t("confirm.content.abandon.done") }} /> : null}
    </div>
  );
}
