"use client";
import { CheckboxGroup, SelectField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { useI18n } from "@/lib/i18n/client";
import { removeSmtpAction, saveSmtpAction, testSmtpAction } from "@/lib/notifications/actions";
import type { SmtpView } from "@/lib/notifications/commands";
import { smtpRemoveSchema, smtpSchema, smtpTestSchema, TLS_MODES } from "@/lib/notifications/schemas";

// ADMIN's SMTP server: the password is write-only (never sent back to the browser); a test e-mail
// goes through whichever server is in force (saved here, else the environment's).
export function SmtpForm({ view }: { view: SmtpView }) {
  const { t } = useI18n();
  return (
    <ActionForm action={saveSmtpAction} schema={smtpSchema} successMessage={t("notifications.smtp.saved")} ariaLabel={t("notifications.smtp.title")}>
      <input type="hidden" name="expectedVersion" value={view?.version ?? 0} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField name="host" label={t("notifications.smtp.host")} defaultValue={view?.host ?? ""} maxLength={253} autoComplete="off" inputMode="url" />
        <TextField name="port" label={t("notifications.smtp.port")} defaultValue={String(view?.port ?? 587)} inputMode="numeric" maxLength={5} />
        <SelectField name="tlsMode" label={t("notifications.smtp.tlsMode")} defaultValue={view?.tlsMode ?? "STARTTLS"} options={TLS_MODES.map((m) => ({ value: m, label: t(`notifications.smtp.tlsModes.${m}`) }))} />
        <TextField name="fromAddress" label={t("notifications.smtp.fromAddress")} hint={t("notifications.smtp.fromHint")} defaultValue={view?.fromAddress ?? ""} maxLength={200} autoComplete="off" />
        <TextField name="username" label={t("notifications.smtp.username")} defaultValue={view?.username ?? ""} maxLength={200} autoComplete="off" />
        <TextField name="password" type="password" label={t("notifications.smtp.password")} hint={view?.passwordSet ? t("notifications.smtp.passwordSet") : t("notifications.smtp.passwordNotSet")} maxLength={500} autoComplete="new-password" />
      </div>
      {view?.passwordSet ? <CheckboxGroup name="clearPassword" label={<span className="sr-only">{t("notifications.smtp.clearPassword")}</span>} options={[{ value: "on", label: t("notifications.smtp.clearPassword") }]} /> : null}
      <SubmitButton>{t("notifications.smtp.save")}</SubmitButton>
    </ActionForm>
  );
}

export function SmtpTestForm({ defaultTo }: { defaultTo: string }) {
  const { t } = useI18n();
  return (
    <ActionForm action={testSmtpAction} schema={smtpTestSchema} successMessage={t("notifications.smtp.tested")} ariaLabel={t("notifications.smtp.test")}>
      <div className="flex flex-wrap items-end gap-3">
        <TextField name="to" type="email" label={t("notifications.smtp.testTo")} defaultValue={defaultTo} maxLength={254} autoComplete="email" />
        <SubmitButton>{t("notifications.smtp.test")}</SubmitButton>
      </div>
    </ActionForm>
  );
}

export function RemoveSmtpButton() {
  const { t } = useI18n();
  return (
    <ActionForm action={removeSmtpAction} schema={smtpRemoveSchema} successMessage={t("notifications.smtp.removed")} className="inline">
      <SubmitButton variant="danger">{t("notifications.smtp.remove")}</SubmitButton>
    </ActionForm>
  );
}
