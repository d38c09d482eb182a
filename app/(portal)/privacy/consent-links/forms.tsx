"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { CheckboxGroup, SelectField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { useI18n } from "@/lib/i18n/client";
import { LINK_DEFAULT_DAYS } from "@/lib/privacy/consent-links-limits";
import { createConsentLinkAction, revokeConsentLinkAction } from "@/lib/privacy/consent-links-actions";

export type LinkNotice = { id: string; title: string; noticeVersion: number; purposes: { code: string; description: string }[]; separateConsents: string[] };

/** The collector picks an account, a published notice version and the purposes to ask for. */
export function ConsentLinkForm({ accounts, notices }: { accounts: { id: string; label: string }[]; notices: LinkNotice[] }) {
  const { t } = useI18n();
  const router = useRouter();
  const [noticeId, setNoticeId] = useState(notices[0]?.id ?? "");
  const notice = notices.find((n) => n.id === noticeId);
  return (
    <ActionForm action={createConsentLinkAction} ariaLabel={t("consentPage.links.create")} successMessage={t("consentPage.links.created")} onSuccess={() => router.refresh()}>
      <SelectField name="accountId" label={t("consentPage.links.account")} options={accounts.map((a) => ({ value: a.id, label: a.label }))} />
      <SelectField name="noticeId" label={t("consentPage.links.notice")} value={noticeId} onChange={(e) => setNoticeId(e.target.value)} options={notices.map((n) => ({ value: n.id, label: `${n.title} v${n.noticeVersion}` }))} />
      {notice ? (
        <div key={notice.id} className="space-y-4">
          <CheckboxGroup name="purposes" label={t("consentPage.links.purposes")} options={notice.purposes.map((p) => ({ value: p.code, label: `${p.description}（${p.code}）` }))} />
          {notice.separateConsents.length ? <CheckboxGroup name="separateConsents" label={t("consentPage.links.separate")} options={notice.separateConsents.map((s) => ({ value: s, label: t(`privacy.separate.${s}`) }))} /> : null}
        </div>
      ) : null}
      <TextField name="validDays" type="number" min={1} max={90} defaultValue={String(LINK_DEFAULT_DAYS)} label={t("consentPage.links.validDays")} />
      <TextField name="label" maxLength={100} label={t("consentPage.links.label")} />
      <SubmitButton>{t("consentPage.links.create")}</SubmitButton>
    </ActionForm>
  );
}

export function RevokeLinkForm({ id }: { id: string }) {
  const { t } = useI18n();
  const router = useRouter();
  return (
    <ActionForm action={revokeConsentLinkAction} ariaLabel={t("consentPage.links.revoke")} onSuccess={() => router.refresh()} className="inline">
      <input type="hidden" name="id" value={id} />
      <SubmitButton variant="danger">{t("consentPage.links.revoke")}</SubmitButton>
    </ActionForm>
  );
}
