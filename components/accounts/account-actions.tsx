"use client";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { requestDissolutionAction, resumeAccountAction, suspendAccountAction } from "@/lib/accounts/actions";
import { reasonSchema, resumeSchema } from "@/lib/accounts/schemas";
import { useI18n } from "@/lib/i18n/client";
import { TextAreaField } from "@/components/ui/field";

function Section({ id, title, description, children }: { id: string; title: string; description: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-3 border-t border-slate-100 pt-4 first:border-t-0 first:pt-0">
      <h3 id={`${id}-title`} className="text-sm font-semibold text-slate-900">
        {title}
      </h3>
      <p className="text-sm text-slate-600">{description}</p>
      {children}
    </section>
  );
}

// Suspend / resume (accounts.manage) and the dissolution request (holder or accounts.manage).
// The server decides again whatever the page offered.
export function AccountActions({ account, abilities }: { account: { id: string; version: number }; abilities: { suspend: boolean; resume: boolean; requestDissolution: boolean } }) {
  const { t } = useI18n();
  const hidden = (
    <>
      <input type="hidden" name="id" value={account.id} />
      <input type="hidden" name="version" value={account.version} />
    </>
  );
  return (
    <div className="space-y-4">
      {abilities.suspend ? (
        <Section id="suspend" title={t("accounts.actions.suspend.title")} description={t("accounts.actions.suspend.description")}>
          <ActionForm action={suspendAccountAction} schema={reasonSchema} successMessage={t("accounts.actions.suspend.done")} ariaLabel={t("accounts.actions.suspend.title")} confirm={{ title: t("confirm.accounts.suspend.title"), body: t("confirm.accounts.suspend.body"), confirmLabel: t("confirm.accounts.suspend.action") }}>
            {hidden}
            <TextAreaField name="reason" label={t("accounts.fields.reason")} required maxLength={500} rows={2} />
            <SubmitButton variant="danger">{t("accounts.actions.suspend.submit")}</SubmitButton>
          </ActionForm>
        </Section>
      ) : null}
      {abilities.resume ? (
        <Section id="resume" title={t("accounts.actions.resume.title")} description={t("accounts.actions.resume.description")}>
          <ActionForm action={resumeAccountAction} schema={resumeSchema} successMessage={t("accounts.actions.resume.done")} ariaLabel={t("accounts.actions.resume.title")}>
            {hidden}
            <TextAreaField name="reason" label={t("accounts.fields.reason")} maxLength={500} rows={2} />
            <SubmitButton>{t("accounts.actions.resume.submit")}</SubmitButton>
          </ActionForm>
        </Section>
      ) : null}
      {abilities.requestDissolution ? (
        <Section id="dissolve" title={t("accounts.actions.dissolve.title")} description={t("accounts.actions.dissolve.description")}>
          <ActionForm action={requestDissolutionAction} schema={reasonSchema} successMessage={t("accounts.actions.dissolve.done")} ariaLabel={t("accounts.actions.dissolve.title")} confirm={{ title: t("confirm.accounts.dissolve.title"), body: t("confirm.accounts.dissolve.body"), confirmLabel: t("confirm.accounts.dissolve.action") }}>
            {hidden}
            <TextAreaField name="reason" label={t("accounts.fields.reason")} required maxLength={500} rows={2} />
            <SubmitButton variant="danger">{t("accounts.actions.dissolve.submit")}</SubmitButton>
          </ActionForm>
        </Section>
      ) : null}
    </div>
  );
}
