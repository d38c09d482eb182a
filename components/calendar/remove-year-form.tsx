"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { removeCalendarYearAction } from "@/lib/calendar/actions";
import { removeYearSchema } from "@/lib/calendar/admin-schemas";
import { useI18n } from "@/lib/i18n/client";

// Removes a year's holidays and 调休 days after a second, explicit confirmation: the year is then
// computed with the weekly hours only, which changes deadlines.

export function RemoveYearForm({ calendarId, version, year }: { calendarId: string; version: number; year: number }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <Button variant="secondary" onClick={() => setConfirming(true)}>
        {t("calendar.years.remove", { year })}
      </Button>
    );
  }
  return (
    <ActionForm action={removeCalendarYearAction} schema={removeYearSchema} ariaLabel={t("calendar.years.remove", { year })} className="space-y-2 rounded-md border border-red-200 bg-red-50 p-3">
      <input type="hidden" name="calendarId" value={calendarId} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="year" value={year} />
      <p className="text-sm text-red-900">{t("calendar.years.removeConfirm", { year })}</p>
      <div className="flex flex-wrap gap-2">
        <SubmitButton variant="danger">{t("calendar.years.confirmRemove")}</SubmitButton>
        <Button variant="secondary" onClick={() => setConfirming(false)}>
          {t("common.cancel")}
        </Button>
      </div>
    </ActionForm>
  );
}
