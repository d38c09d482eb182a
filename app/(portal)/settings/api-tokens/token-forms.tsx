"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { CheckboxGroup, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { issueTokenAction, revokeTokenAction } from "@/lib/api-tokens/actions";
import { issueTokenSchema } from "@/lib/api-tokens/schemas";
import { API_SCOPES } from "@/lib/api-tokens/scopes";
import { useI18n } from "@/lib/i18n/client";

export function IssueTokenForm({ people, departments }: { people: { value: string; label: string }[]; departments: { value: string; label: string }[] }) {
  const { t } = useI18n();
  const [token, setToken] = useState<string | null>(null);
  return (
    <div className="space-y-4">
      {token ? (
        <Alert tone="warning">
          <p className="font-medium">{t("privacy.apiTokens.shownOnce")}</p>
          <code className="mt-2 block font-mono text-sm break-all" data-testid="issued-token">
            {token}
          </code>
        </Alert>
      ) : null}
      <ActionForm action={issueTokenAction} schema={issueTokenSchema} onSuccess={(d) => setToken(d.token)} ariaLabel={t("privacy.apiTokens.issue")}>
        <TextField name="name" label={t("privacy.apiTokens.name")} hint={t("privacy.apiTokens.nameHint")} required maxLength={100} />
        <SelectField name="ownerId" label={t("privacy.apiTokens.owner")} hint={t("privacy.apiTokens.ownerHint")} placeholder={t("privacy.apiTokens.ownerSelf")} options={people} />
        <TextField name="expiresOn" type="date" label={t("privacy.apiTokens.expiresOn")} />
        <CheckboxGroup name="scopes" label={t("privacy.apiTokens.scopes")} options={API_SCOPES.map((s) => ({ value: s, label: s }))} defaultValues={["consents:read"]} />
        <SelectField name="departmentId" label={t("privacy.apiTokens.department")} hint={t("privacy.apiTokens.departmentHint")} placeholder={t("privacy.apiTokens.departmentAll")} options={departments} />
        <TextAreaField name="note" label={t("privacy.apiTokens.note")} maxLength={500} rows={2} />
        <SubmitButton>{t("privacy.apiTokens.issueSubmit")}</SubmitButton>
      </ActionForm>
    </div>
  );
}

export function RevokeTokenForm({ id, name }: { id: string; name: string }) {
  const { t } = useI18n();
  return (
    <ActionForm action={revokeTokenAction} ariaLabel={t("privacy.apiTokens.revokeLabel", { name })} confirm={{ title: t("confirm.privacy.revoke.title", { name }), body: t("confirm.privacy.revoke.body", { name }), confirmLabel: t("confirm.privacy.revoke.action", { name }), done: t("confirm.privacy.revoke.done", { name }) }}>
      <input type="hidden" name="id" value={id} />
      <SubmitButton variant="danger">{t("privacy.apiTokens.revoke")}</SubmitButton>
    </ActionForm>
  );
}
