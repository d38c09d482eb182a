"use client";
import { CheckboxGroup, SelectField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { saveSignInSettingsAction } from "@/lib/auth/sign-in-actions";
import { signInSettingsSchema } from "@/lib/auth/sign-in-schemas";
import type { SignInSettingsView } from "@/lib/auth/sign-in-settings";
import { useI18n } from "@/lib/i18n/client";

const on = (v: boolean) => (v ? ["on"] : []);

// The client secret is write-only: the input starts empty (empty keeps the saved one) and the
// page passes only whether it is set and its last four characters.
export function SignInSettingsForm({ view, departments, callbackUrls }: { view: SignInSettingsView; departments: { value: string; label: string }[]; callbackUrls: { wecom: string; oidc: string } }) {
  const { t } = useI18n();
  const section = "space-y-4 rounded-md border border-slate-200 p-4";
  return (
    <ActionForm action={saveSignInSettingsAction} schema={signInSettingsSchema} successMessage={t("signIn.settings.saved")} ariaLabel={t("signIn.settings.title")}>
      <input type="hidden" name="version" value={view.version} />
      <section className={section} aria-label={t("signIn.settings.password")}>
        <CheckboxGroup name="passwordEnabled" label={t("signIn.settings.password")} options={[{ value: "on", label: t("signIn.settings.passwordEnabled") }]} defaultValues={on(view.passwordEnabled)} />
        <p className="text-xs text-slate-500">{t("signIn.settings.passwordHint")}</p>
        <TextField name="breakGlassEmail" type="email" label={t("signIn.settings.breakGlassEmail")} hint={t("signIn.settings.breakGlassHint")} defaultValue={view.breakGlass?.email ?? ""} maxLength={254} autoComplete="off" />
        {view.breakGlass ? <p className="text-sm text-slate-700">{t("signIn.settings.breakGlassCurrent", { name: view.breakGlass.name, email: view.breakGlass.email })}</p> : null}
      </section>
      <section className={section} aria-label={t("signIn.settings.wecom")}>
        <CheckboxGroup
          name="wecomOauthEnabled"
          label={t("signIn.settings.wecom")}
          options={[{ value: "on", label: t("signIn.settings.wecomOauthEnabled") }]}
          defaultValues={on(view.wecomOauthEnabled)}
        />
        <CheckboxGroup name="wecomQrEnabled" label={<span className="sr-only">{t("signIn.settings.wecomQrEnabled")}</span>} options={[{ value: "on", label: t("signIn.settings.wecomQrEnabled") }]} defaultValues={on(view.wecomQrEnabled)} />
        <p className="break-all text-xs text-slate-500">{t("signIn.settings.wecomHint", { url: callbackUrls.wecom })}</p>
      </section>
      <section className={section} aria-label={t("signIn.settings.oidc")}>
        <CheckboxGroup name="oidcEnabled" label={t("signIn.settings.oidc")} options={[{ value: "on", label: t("signIn.settings.oidcEnabled") }]} defaultValues={on(view.oidcEnabled)} />
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <TextField name="oidcIssuer" label={t("signIn.settings.oidcIssuer")} hint={t("signIn.settings.oidcIssuerHint", { url: callbackUrls.oidc })} defaultValue={view.oidcIssuer} maxLength={300} autoComplete="off" />
          <TextField name="oidcClientId" label={t("signIn.settings.oidcClientId")} defaultValue={view.oidcClientId} maxLength={200} autoComplete="off" />
          <TextField
            name="oidcClientSecret"
            type="password"
            autoComplete="new-password"
            label={t("signIn.settings.oidcClientSecret")}
            hint={`${view.oidcSecret.set ? t("signIn.settings.secretSet", { last4: view.oidcSecret.last4 ?? "" }) : t("signIn.settings.secretNotSet")} · ${t("signIn.settings.secretHint")}`}
            maxLength={500}
            data-testid="oidc-client-secret"
          />
          <SelectField
            name="oidcMatchBy"
            label={t("signIn.settings.oidcMatchBy")}
            defaultValue={view.oidcMatchBy}
            options={[
              { value: "EMAIL", label: t("signIn.settings.matchEMAIL") },
              { value: "EMPLOYEE_NO", label: t("signIn.settings.matchEMPLOYEE_NO") },
            ]}
          />
          <TextField name="oidcEmployeeNoClaim" label={t("signIn.settings.oidcEmployeeNoClaim")} defaultValue={view.oidcEmployeeNoClaim} maxLength={100} autoComplete="off" />
        </div>
        {view.oidcSecret.set ? <CheckboxGroup name="clearOidcClientSecret" label={<span className="sr-only">{t("signIn.settings.clearSecret")}</span>} options={[{ value: "on", label: t("signIn.settings.clearSecret") }]} /> : null}
        <CheckboxGroup name="oidcJitEnabled" label={<span className="sr-only">{t("signIn.settings.oidcJitEnabled")}</span>} options={[{ value: "on", label: t("signIn.settings.oidcJitEnabled") }]} defaultValues={on(view.oidcJitEnabled)} />
        <p className="text-xs text-slate-500">{t("signIn.settings.oidcJitHint")}</p>
        <SelectField name="oidcJitDepartmentId" label={t("signIn.settings.oidcJitDepartment")} defaultValue={view.oidcJitDepartmentId ?? ""} placeholder="—" options={departments} />
      </section>
      <TextField name="portalUrl" label={t("signIn.settings.portalUrl")} hint={t("signIn.settings.portalUrlHint")} defaultValue={view.portalUrl} maxLength={200} autoComplete="off" />
      <SubmitButton>{t("signIn.settings.save")}</SubmitButton>
    </ActionForm>
  );
}
