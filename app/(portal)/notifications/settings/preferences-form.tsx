"use client";
import { CheckboxGroup, SelectField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { useI18n } from "@/lib/i18n/client";
import { savePreferencesAction } from "@/lib/notifications/actions";
import type { PreferencesView } from "@/lib/notifications/commands";
import { CATEGORIES, CHANNELS } from "@/lib/notifications/kinds";
import { preferencesSchema } from "@/lib/notifications/schemas";

// One fieldset per kind of notification (its channels), then quiet hours, digest and language.
// Plain checkboxes and a select: usable by keyboard and at 375 px (they wrap).
export function PreferencesForm({ view }: { view: PreferencesView }) {
  const { t } = useI18n();
  const channelOptions = CHANNELS.map((c) => ({ value: c, label: t(`notifications.channels.${c}`) }));
  return (
    <ActionForm action={savePreferencesAction} schema={preferencesSchema} successMessage={t("notifications.prefs.saved")} ariaLabel={t("notifications.prefs.title")}>
      <div className="space-y-4 rounded-md border border-slate-200 p-4">
        {CATEGORIES.map((c) => (
          <CheckboxGroup key={c} name={`ch_${c}`} label={t(`notifications.categories.${c}`)} options={channelOptions} defaultValues={view.channels[c]} />
        ))}
      </div>
      <div className="space-y-2 rounded-md border border-slate-200 p-4">
        <CheckboxGroup name="quietHours" label={<span className="sr-only">{t("notifications.prefs.quietHours")}</span>} options={[{ value: "on", label: t("notifications.prefs.quietHours") }]} defaultValues={view.quietHours ? ["on"] : []} />
        <p className="text-xs text-slate-500">{t("notifications.prefs.quietHoursHelp")}</p>
        <CheckboxGroup name="digest" label={<span className="sr-only">{t("notifications.prefs.digest")}</span>} options={[{ value: "on", label: t("notifications.prefs.digest") }]} defaultValues={view.digest ? ["on"] : []} />
        <p className="text-xs text-slate-500">{t("notifications.prefs.digestHelp")}</p>
      </div>
      <SelectField
        name="locale"
        label={t("notifications.prefs.language")}
        defaultValue={view.locale}
        options={[
          { value: "zh-CN", label: t("notifications.prefs.languages.zh-CN") },
          { value: "en", label: t("notifications.prefs.languages.en") },
        ]}
      />
      <SubmitButton>{t("notifications.prefs.save")}</SubmitButton>
    </ActionForm>
  );
}
