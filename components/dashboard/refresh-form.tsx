"use client";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { refreshSnapshotsAction } from "@/lib/dashboard/actions";
import { useI18n } from "@/lib/i18n/client";

/** ADMIN refreshes this week's trend snapshot without waiting for the nightly job. */
export function RefreshSnapshotsForm() {
  const { t } = useI18n();
  return (
    <ActionForm action={refreshSnapshotsAction} successMessage={t("dashboard.refresh.done")} ariaLabel={t("dashboard.refresh.now")}>
      <SubmitButton variant="secondary">{t("dashboard.refresh.now")}</SubmitButton>
    </ActionForm>
  );
}
