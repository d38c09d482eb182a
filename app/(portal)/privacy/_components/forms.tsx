"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { CheckboxGroup, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { useI18n } from "@/lib/i18n/client";
import {
  completeRequestAction,
  confirmImportAction,
  createIncidentAction,
  createRequestAction,
  createSubjectAction,
  draftNoticeAction,
  publishNoticeAction,
  recordConsentAction,
  refuseRequestAction,
  renewConsentAction,
  retireNoticeAction,
  revealSubjectAction,
  stageImportAction,
  updateIncidentAction,
  updateNoticeAction,
  verifyRequestAction,
  withdrawConsentAction,
} from "@/lib/privacy/actions";
import {
  CHANNELS,
  completeSchema,
  consentSchema,
  incidentSchema,
  incidentUpdateSchema,
  noticeDraftSchema,
  noticeRefSchema,
  noticeUpdateSchema,
  refuseSchema,
  requestSchema,
  REQUEST_TYPES,
  SEPARATE_CONSENTS,
  SEVERITIES,
  subjectSchema,
  verifySchema,
  withdrawSchema,
} from "@/lib/privacy/schemas";

// The privacy forms (client components bound to the Server Actions in lib/privacy/actions.ts).
// The server checks again whatever these send.

const useOptions = () => {
  const { t } = useI18n();
  return {
    channels: CHANNELS.map((c) => ({ value: c, label: t(`privacy.channel.${c}`) })),
    separate: SEPARATE_CONSENTS.map((s) => ({ value: s, label: t(`privacy.separate.${s}`) })),
  };
};

// ---------------------------------------------------------------------------------------------
// Notices

export type NoticeFormValues = {
  noticeKey: string;
  title: string;
  processorName: string;
  processorContact: string;
  purposes: string;
  methods: string;
  categories: string;
  sensitiveCategories: string;
  retentionDays: string;
  rightsText: string;
  separateConsents: string[];
};

export function NoticeForm({ values, draft }: { values?: NoticeFormValues; draft?: { id: string; version: number } }) {
  const { t } = useI18n();
  const router = useRouter();
  const { separate } = useOptions();
  const v = values;
  const fields = (
    <>
      <TextField name="noticeKey" label={t("privacy.notice.noticeKey")} hint={t("privacy.notice.noticeKeyHint")} defaultValue={v?.noticeKey} required maxLength={40} readOnly={!!draft} />
      <TextField name="title" label={t("privacy.notice.title")} defaultValue={v?.title} required maxLength={200} />
      <TextField name="processorName" label={t("privacy.notice.processorName")} defaultValue={v?.processorName} maxLength={200} />
      <TextField name="processorContact" label={t("privacy.notice.processorContact")} defaultValue={v?.processorContact} maxLength={300} />
      <TextAreaField name="purposes" label={t("privacy.notice.purposes")} hint={t("privacy.notice.codedHint")} defaultValue={v?.purposes} required rows={3} />
      <TextAreaField name="methods" label={t("privacy.notice.methods")} defaultValue={v?.methods} rows={2} />
      <TextAreaField name="categories" label={t("privacy.notice.categories")} hint={t("privacy.notice.codedHint")} defaultValue={v?.categories} required rows={3} />
      <TextField name="sensitiveCategories" label={t("privacy.notice.sensitiveCategories")} hint={t("privacy.notice.sensitiveHint")} defaultValue={v?.sensitiveCategories} maxLength={500} />
      <TextField name="retentionDays" type="number" min={1} label={t("privacy.notice.retentionDays")} defaultValue={v?.retentionDays} />
      <TextAreaField name="rightsText" label={t("privacy.notice.rightsText")} defaultValue={v?.rightsText} rows={2} />
      <CheckboxGroup name="separateConsents" label={t("privacy.notice.separateConsents")} options={separate} defaultValues={v?.separateConsents ?? []} />
    </>
  );
  if (draft) {
    return (
      <ActionForm action={updateNoticeAction} schema={noticeUpdateSchema} successMessage={t("privacy.notice.saved")} ariaLabel={t("privacy.notice.editDraft")}>
        <input type="hidden" name="id" value={draft.id} />
        <input type="hidden" name="version" value={draft.version} />
        {fields}
        <SubmitButton>{t("privacy.notice.save")}</SubmitButton>
      </ActionForm>
    );
  }
  return (
    <ActionForm action={draftNoticeAction} schema={noticeDraftSchema} onSuccess={(d) => router.push(`/privacy/notices/${d.id}`)} ariaLabel={t("privacy.notice.new")}>
      {fields}
      <SubmitButton>{t("privacy.notice.createDraft")}</SubmitButton>
    </ActionForm>
  );
}

export function NoticeStateForm({ id, version, mode }: { id: string; version: number; mode: "publish" | "retire" }) {
  const { t } = useI18n();
  return (
    <ActionForm action={mode === "publish" ? publishNoticeAction : retireNoticeAction} schema={noticeRefSchema} ariaLabel={t(`privacy.notice.${mode}`)} successMessage={t(`privacy.notice.${mode}Done`)} confirm={mode === "retire" ? { title: t("confirm.privacy.retire.title"), body: t("confirm.privacy.retire.body"), confirmLabel: t("confirm.privacy.retire.action") } : undefined}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <SubmitButton variant={mode === "retire" ? "danger" : "primary"}>{t(`privacy.notice.${mode}`)}</SubmitButton>
    </ActionForm>
  );
}

// ---------------------------------------------------------------------------------------------
// Subjects and consents

export function SubjectForm() {
  const { t } = useI18n();
  const router = useRouter();
  return (
    <ActionForm action={createSubjectAction} schema={subjectSchema} onSuccess={(d) => router.push(`/privacy/subjects/${d.id}`)} ariaLabel={t("privacy.subject.new")}>
      <SelectField name="kind" label={t("privacy.subject.kind")} options={[{ value: "CUSTOMER", label: t("privacy.subjectKind.CUSTOMER") }, { value: "EMPLOYEE", label: t("privacy.subjectKind.EMPLOYEE") }]} />
      <TextField name="name" label={t("privacy.subject.name")} required maxLength={100} autoComplete="off" />
      <TextField name="phone" type="tel" label={t("privacy.subject.phone")} hint={t("privacy.subject.identifierHint")} maxLength={20} autoComplete="off" />
      <TextField name="wecomId" label={t("privacy.subject.wecomId")} maxLength={128} autoComplete="off" />
      <TextField name="email" type="email" label={t("privacy.subject.email")} maxLength={254} autoComplete="off" />
      <SubmitButton>{t("privacy.subject.create")}</SubmitButton>
    </ActionForm>
  );
}

export type NoticeChoice = { id: string; title: string; noticeVersion: number; purposes: { code: string; description: string }[]; categories: { code: string; name: string; sensitive: boolean }[]; separateConsents: string[] };

export function ConsentForm({ subjectId, notices }: { subjectId: string; notices: NoticeChoice[] }) {
  const { t } = useI18n();
  const { channels, separate } = useOptions();
  const [noticeId, setNoticeId] = useState(notices[0]?.id ?? "");
  const [minor, setMinor] = useState(false);
  const notice = notices.find((n) => n.id === noticeId);
  if (notices.length === 0) return <p className="text-sm text-slate-600">{t("privacy.consent.noNotice")}</p>;
  return (
    <ActionForm action={recordConsentAction} schema={consentSchema} successMessage={t("privacy.consent.recorded")} ariaLabel={t("privacy.consent.record")}>
      <input type="hidden" name="subjectId" value={subjectId} />
      <SelectField name="noticeId" label={t("privacy.consent.notice")} value={noticeId} onChange={(e) => setNoticeId(e.target.value)} options={notices.map((n) => ({ value: n.id, label: `${n.title} v${n.noticeVersion}` }))} />
      {notice ? (
        <div key={notice.id} className="space-y-4">
          <CheckboxGroup name="purposes" label={t("privacy.consent.purposes")} options={notice.purposes.map((p) => ({ value: p.code, label: `${p.description}（${p.code}）` }))} />
          <CheckboxGroup name="categories" label={t("privacy.consent.categories")} options={notice.categories.map((c) => ({ value: c.code, label: `${c.name}${c.sensitive ? t("privacy.consent.sensitiveMark") : ""}` }))} />
          {notice.separateConsents.length ? <CheckboxGroup name="separateConsents" label={t("privacy.consent.separateConsents")} options={separate.filter((s) => notice.separateConsents.includes(s.value))} /> : null}
        </div>
      ) : null}
      <SelectField name="channel" label={t("privacy.consent.channel")} options={channels} />
      <TextField name="method" label={t("privacy.consent.method")} hint={t("privacy.consent.methodHint")} required maxLength={200} />
      <TextField name="evidenceRef" label={t("privacy.consent.evidenceRef")} maxLength={300} />
      <TextField name="occurredAt" type="datetime-local" label={t("privacy.consent.occurredAt")} hint={t("privacy.consent.occurredAtHint")} />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="subjectMinor" checked={minor} onChange={(e) => setMinor(e.target.checked)} className="h-4 w-4" />
        {t("privacy.consent.subjectMinor")}
      </label>
      {minor ? (
        <div className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-3">
          <TextField name="guardianName" label={t("privacy.consent.guardianName")} maxLength={100} required />
          <TextField name="guardianRelation" label={t("privacy.consent.guardianRelation")} maxLength={50} required />
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="guardianConsent" className="h-4 w-4" />
            {t("privacy.consent.guardianConsent")}
          </label>
        </div>
      ) : null}
      <SubmitButton>{t("privacy.consent.record")}</SubmitButton>
    </ActionForm>
  );
}

export function WithdrawForm({ consentId }: { consentId: string }) {
  const { t } = useI18n();
  const { channels } = useOptions();
  return (
    <ActionForm action={withdrawConsentAction} schema={withdrawSchema} ariaLabel={t("privacy.consent.withdraw")} className="flex flex-wrap items-end gap-2" confirm={{ title: t("confirm.privacy.withdraw.title"), body: t("confirm.privacy.withdraw.body"), confirmLabel: t("confirm.privacy.withdraw.action"), done: t("confirm.privacy.withdraw.done") }}>
      <input type="hidden" name="consentId" value={consentId} />
      <SelectField name="channel" label={t("privacy.consent.withdrawChannel")} options={channels} />
      <SubmitButton variant="danger">{t("privacy.consent.withdraw")}</SubmitButton>
    </ActionForm>
  );
}

export function RenewForm({ consentId }: { consentId: string }) {
  const { t } = useI18n();
  const { channels } = useOptions();
  return (
    <ActionForm action={renewConsentAction} ariaLabel={t("privacy.consent.renew")} className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="consentId" value={consentId} />
      <SelectField name="channel" label={t("privacy.consent.channel")} options={channels} />
      <TextField name="method" label={t("privacy.consent.method")} required maxLength={200} defaultValue={t("privacy.consent.renewMethod")} />
      <SubmitButton variant="secondary">{t("privacy.consent.renew")}</SubmitButton>
    </ActionForm>
  );
}

export function RevealIdentifier({ subjectId, field, mask, canReveal }: { subjectId: string; field: "phone" | "wecomId" | "email"; mask: string; canReveal: boolean }) {
  const { t } = useI18n();
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span className="font-mono break-all" data-testid={`subject-${field}`}>
        {value ?? mask}
      </span>
      {canReveal && value === null ? (
        <Button
          variant="secondary"
          className="min-h-8 px-2 py-1 text-xs"
          disabled={pending}
          onClick={() =>
            start(async () => {
              const r = await revealSubjectAction(null, { subjectId, field });
              if (r.ok) setValue(r.data.value);
              else setError(r.formError ?? "");
            })
          }
        >
          {t("privacy.subject.reveal")}
        </Button>
      ) : null}
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}

// ---------------------------------------------------------------------------------------------
// Requests

export function RequestForm({ subjectId }: { subjectId: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const { channels } = useOptions();
  return (
    <ActionForm action={createRequestAction} schema={requestSchema} onSuccess={(d) => router.push(`/privacy/requests/${d.id}`)} ariaLabel={t("privacy.request.new")}>
      <input type="hidden" name="subjectId" value={subjectId} />
      <SelectField name="type" label={t("privacy.request.type")} options={REQUEST_TYPES.map((r) => ({ value: r, label: t(`privacy.requestType.${r}`) }))} />
      <SelectField name="channel" label={t("privacy.request.channel")} placeholder="—" options={channels} />
      <TextField name="receivedAt" type="datetime-local" label={t("privacy.request.receivedAt")} hint={t("privacy.request.receivedAtHint")} />
      <TextAreaField name="details" label={t("privacy.request.details")} rows={3} maxLength={2000} />
      <SubmitButton>{t("privacy.request.create")}</SubmitButton>
    </ActionForm>
  );
}

export function RequestActions({ id, version, status, type, inventory }: { id: string; version: number; status: string; type: string; inventory: { key: string; count: number; detail?: string }[] | null }) {
  const { t } = useI18n();
  const hidden = (
    <>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
    </>
  );
  const erasable = (inventory ?? []).filter((i) => ["name", "phone", "wecomId", "email"].includes(i.key));
  return (
    <div className="space-y-6">
      {status === "RECEIVED" ? (
        <ActionForm action={verifyRequestAction} schema={verifySchema} ariaLabel={t("privacy.request.verify")} successMessage={t("privacy.request.verified")}>
          {hidden}
          <TextField name="identityMethod" label={t("privacy.request.identityMethod")} hint={t("privacy.request.identityMethodHint")} required maxLength={300} />
          <SubmitButton>{t("privacy.request.verify")}</SubmitButton>
        </ActionForm>
      ) : null}
      {status === "VERIFIED" ? (
        <ActionForm action={completeRequestAction} schema={completeSchema} ariaLabel={t("privacy.request.complete")}>
          {hidden}
          {type === "DELETION" ? (
            <CheckboxGroup name="erase" label={t("privacy.request.erase")} options={erasable.map((i) => ({ value: i.key, label: `${t(`privacy.inventory.${i.key}`)}${i.detail ? `（${i.detail}）` : ""}` }))} defaultValues={erasable.map((i) => i.key)} />
          ) : null}
          <TextAreaField name="resolution" label={t("privacy.request.resolution")} required rows={3} maxLength={4000} />
          <SubmitButton>{t("privacy.request.complete")}</SubmitButton>
        </ActionForm>
      ) : null}
      {status === "RECEIVED" || status === "VERIFIED" ? (
        <ActionForm action={refuseRequestAction} schema={refuseSchema} ariaLabel={t("privacy.request.refuse")} confirm={{ title: t("confirm.privacy.refuse.title"), body: t("confirm.privacy.refuse.body"), confirmLabel: t("confirm.privacy.refuse.action"), done: t("confirm.privacy.refuse.done") }}>
          {hidden}
          <TextAreaField name="refusalReason" label={t("privacy.request.refusalReason")} required rows={2} maxLength={2000} />
          <SubmitButton variant="danger">{t("privacy.request.refuse")}</SubmitButton>
        </ActionForm>
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Incidents

export function IncidentForm() {
  const { t } = useI18n();
  const router = useRouter();
  return (
    <ActionForm action={createIncidentAction} schema={incidentSchema} onSuccess={(d) => router.push(`/privacy/incidents/${d.id}`)} ariaLabel={t("privacy.incident.new")}>
      <TextField name="title" label={t("privacy.incident.title")} required maxLength={200} />
      <TextAreaField name="description" label={t("privacy.incident.description")} required rows={3} maxLength={4000} />
      <TextField name="detectedAt" type="datetime-local" label={t("privacy.incident.detectedAt")} required />
      <SelectField name="severity" label={t("privacy.incident.severity")} hint={t("privacy.incident.severityHint")} options={SEVERITIES.map((s) => ({ value: s, label: t(`privacy.severity.${s}`) }))} />
      <TextField name="dataCategories" label={t("privacy.incident.dataCategories")} required maxLength={1000} />
      <TextField name="affectedSubjects" type="number" min={0} label={t("privacy.incident.affectedSubjects")} required />
      <TextAreaField name="cause" label={t("privacy.incident.cause")} rows={2} maxLength={2000} />
      <TextAreaField name="remedialActions" label={t("privacy.incident.remedialActions")} rows={2} maxLength={4000} />
      <SubmitButton>{t("privacy.incident.create")}</SubmitButton>
    </ActionForm>
  );
}

export function IncidentUpdateForm({ id, version, remedialActions, individualsNotice }: { id: string; version: number; remedialActions: string; individualsNotice: string }) {
  const { t } = useI18n();
  return (
    <ActionForm action={updateIncidentAction} schema={incidentUpdateSchema} ariaLabel={t("privacy.incident.update")} successMessage={t("privacy.incident.updated")}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <TextAreaField name="remedialActions" label={t("privacy.incident.remedialActions")} defaultValue={remedialActions} rows={3} maxLength={4000} />
      <TextField name="regulatorNotifiedAt" type="datetime-local" label={t("privacy.incident.regulatorNotifiedAt")} />
      <TextField name="individualsNotifiedAt" type="datetime-local" label={t("privacy.incident.individualsNotifiedAt")} />
      <TextField name="individualsNotice" label={t("privacy.incident.individualsNotice")} defaultValue={individualsNotice} maxLength={1000} />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="close" className="h-4 w-4" />
        {t("privacy.incident.close")}
      </label>
      <SubmitButton>{t("privacy.incident.save")}</SubmitButton>
    </ActionForm>
  );
}

// ---------------------------------------------------------------------------------------------
// Import

export function ImportForm() {
  const { t } = useI18n();
  const router = useRouter();
  const [csv, setCsv] = useState("");
  const [fileName, setFileName] = useState("consents.csv");
  return (
    <ActionForm action={stageImportAction} onSuccess={(d) => router.push(`/privacy/import/${d.importId}`)} ariaLabel={t("privacy.import.title")}>
      <div className="space-y-1">
        <label htmlFor="consent-import-file" className="block text-sm font-medium text-slate-800">
          {t("privacy.import.file")}
        </label>
        <input
          id="consent-import-file"
          type="file"
          accept=".csv,text/csv"
          className="block w-full text-sm"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            setFileName(f.name);
            setCsv(await f.text());
          }}
        />
      </div>
      <input type="hidden" name="fileName" value={fileName} />
      <TextAreaField name="csv" label={t("privacy.import.csv")} hint={t("privacy.import.csvHint")} rows={6} value={csv} onChange={(e) => setCsv(e.target.value)} />
      <SubmitButton>{t("privacy.import.preview")}</SubmitButton>
    </ActionForm>
  );
}

export function ConfirmImportForm({ importId }: { importId: string }) {
  const { t } = useI18n();
  return (
    <ActionForm action={confirmImportAction} ariaLabel={t("privacy.import.confirm")} successMessage={t("privacy.import.confirmed")}>
      <input type="hidden" name="importId" value={importId} />
      <SubmitButton>{t("privacy.import.confirm")}</SubmitButton>
    </ActionForm>
  );
}
