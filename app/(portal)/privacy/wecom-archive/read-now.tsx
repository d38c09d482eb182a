"use client";
import { useRouter } from "next/navigation";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { useI18n } from "@/lib/i18n/client";
import { readArchiveConsentNowAction } from "@/lib/privacy/wecom-archive-actions";

export function ReadNowButton() {
  const { t } = useI18n();
  const router = useRouter();
  return (
    <ActionForm action={readArchiveConsentNowAction} onSuccess={() => router.refresh()} successMessage={t("privacy.wecomArchive.queued")} ariaLabel={t("privacy.wecomArchive.readNow")}>
      <SubmitButton>{t("privacy.wecomArchive.readNow")}</SubmitButton>
    </ActionForm>
  );
}
