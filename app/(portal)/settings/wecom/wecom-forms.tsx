"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/card";
import { CheckboxGroup, SelectField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { useI18n } from "@/lib/i18n/client";
import { saveWeComSettingsAction, testWeComConnectionAction } from "@/lib/wecom/actions";
import type { ConnectionCheck } from "@/lib/wecom/connection";
import { settingsSchema } from "@/lib/wecom/schemas";
import type { SecretField, SettingsView } from "@/lib/wecom/settings";

const SECRETS: SecretField[] = ["contactSecret", "customerSecret", "archiveSecret", "callbackToken", "encodingAesKey"];

// The form never holds a secret: the secret inputs start empty (empty keeps the saved value) and
// the page passes only whether each is set and its last four characters.
export function WeComSettingsForm({ view }: { view: SettingsView }) {
  const { t } = useI18n();
  const setOnes = SECRETS.filter((f) => view.secrets[f].set);
  return (
    <ActionForm action={saveWeComSettingsAction} schema={settingsSchema} successMessage={t("wecom.settings.saved")} ariaLabel={t("wecom.settings.connection")}>
      <input type="hidden" name="version" value={view.version} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField name="corpId" label={t("wecom.settings.corpId")} hint={t("wecom.settings.corpIdHint")} defaultValue={view.corpId} maxLength={64} autoComplete="off" />
        <TextField name="agentId" label={t("wecom.settings.agentId")} defaultValue={view.agentId} inputMode="numeric" maxLength={12} autoComplete="off" />
        <TextField name="apiBaseUrl" label={t("wecom.settings.apiBaseUrl")} hint={t("wecom.settings.apiBaseUrlHint")} defaultValue={view.apiBaseUrl} required maxLength={200} />
        <TextField name="callsPerMinute" type="number" label={t("wecom.settings.callsPerMinute")} hint={t("wecom.settings.callsPerMinuteHint")} defaultValue={view.callsPerMinute} min={10} max={20000} required />
        <SelectField
          name="leaverAction"
          label={t("wecom.settings.leaverAction")}
          hint={t("wecom.settings.leaverActionHint")}
          defaultValue={view.leaverAction}
          options={[
            { value: "OPEN_CASE", label: t("wecom.settings.leaverActions.OPEN_CASE") },
            { value: "HR_TASK", label: t("wecom.settings.leaverActions.HR_TASK") },
          ]}
        />
        {SECRETS.map((f) => (
          <TextField
            key={f}
            name={f}
            type="password"
            autoComplete="new-password"
            label={t(`wecom.settings.${f}`)}
            hint={`${view.secrets[f].set ? t("wecom.settings.secretSet", { last4: view.secrets[f].last4 ?? "" }) : t("wecom.settings.secretNotSet")} · ${t("wecom.settings.secretHint")}`}
            maxLength={200}
            data-testid={`secret-${f}`}
          />
        ))}
      </div>
      {setOnes.length > 0 ? <CheckboxGroup name="clear" label={t("wecom.settings.clear")} options={setOnes.map((f) => ({ value: f, label: t(`wecom.settings.${f}`) }))} /> : null}
      <SubmitButton>{t("wecom.settings.save")}</SubmitButton>
    </ActionForm>
  );
}

export function TestConnectionForm() {
  const { t, locale } = useI18n();
  const [checks, setChecks] = useState<ConnectionCheck[] | null>(null);
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">{t("wecom.settings.testHint")}</p>
      <ActionForm action={testWeComConnectionAction} onSuccess={setChecks} ariaLabel={t("wecom.settings.testTitle")}>
        <SubmitButton variant="secondary">{t("wecom.settings.test")}</SubmitButton>
      </ActionForm>
      {checks ? (
        <ul className="space-y-2" data-testid="connection-checks">
          {checks.map((c) => (
            <li key={c.app}>
              <Alert tone={c.ok ? "success" : "error"}>
                <span className="font-medium">{t(`wecom.settings.app.${c.app}`)}</span> <Badge tone={c.ok ? "green" : "red"}>{c.ok ? t("wecom.settings.ok") : t("wecom.settings.failed")}</Badge> {locale.startsWith("zh") ? c.zh : c.en}
              </Alert>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
