"use client";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { useI18n } from "@/lib/i18n/client";
import {
  assignCaseAction,
  closeCaseAction,
  createCaseAction,
  firstResponseAction,
  pauseCaseAction,
  resolveCaseAction,
  resumeCaseAction,
} from "@/lib/service/actions";
import { assignSchema, caseRefSchema, closeSchema, createCaseSchema, firstResponseSchema, pauseSchema, resolveSchema } from "@/lib/service/schemas";
import { CASE_TYPES, PRIORITIES, SERVICE_CHANNELS } from "@/lib/service/sla";

// The service case forms, each bound to its Server Action (the server decides again whatever the
// page offered). After a success the page is read again so the due times and state are fresh.

type Option = { value: string; label: string };

function useRefresh() {
  const router = useRouter();
  return useCallback(() => router.refresh(), [router]);
}

function Hidden({ values }: { values: Record<string, string | number> }) {
  return (
    <>
      {Object.entries(values).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={String(v)} />
      ))}
    </>
  );
}

export function CreateCaseForm({ teams, defaultTeamId, me, now }: { teams: Option[]; defaultTeamId: string; me: Option; now: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback((data: { id: string }) => router.push(`/service/${data.id}`), [router]);
  return (
    <ActionForm action={createCaseAction} schema={createCaseSchema} onSuccess={onSuccess} ariaLabel={t("service.newCase")}>
      <TextField name="title" label={t("service.fields.title")} required maxLength={200} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField name="customerName" label={t("service.fields.customerName")} required maxLength={100} />
        <TextField name="customerRef" label={t("service.fields.customerRef")} hint={t("service.fields.customerRefHint")} maxLength={100} autoComplete="off" />
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <SelectField name="channel" label={t("service.fields.channel")} required defaultValue="WECOM_CONTACT" options={SERVICE_CHANNELS.map((v) => ({ value: v, label: t(`service.channel.${v}`) }))} />
        <SelectField name="caseType" label={t("service.fields.caseType")} required defaultValue="INQUIRY" options={CASE_TYPES.map((v) => ({ value: v, label: t(`service.caseType.${v}`) }))} />
        <SelectField name="priority" label={t("service.fields.priority")} required defaultValue="NORMAL" options={PRIORITIES.map((v) => ({ value: v, label: t(`service.priority.${v}`) }))} />
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <SelectField name="teamId" label={t("service.fields.team")} hint={t("service.fields.teamHint")} defaultValue={defaultTeamId} options={teams} />
        <SelectField name="assigneeId" label={t("service.fields.assignee")} hint={t("service.fields.assigneeHint")} placeholder={t("service.unassigned")} defaultValue={me.value} options={[me]} />
        <TextField name="receivedAt" type="datetime-local" label={t("service.fields.receivedAt")} hint={t("service.fields.receivedAtHint")} max={now} />
      </div>
      <TextAreaField name="description" label={t("service.fields.description")} maxLength={2000} rows={4} />
      <SubmitButton>{t("service.actions.create")}</SubmitButton>
    </ActionForm>
  );
}

function Done({ show }: { show: boolean }) {
  const { t } = useI18n();
  return show ? <Alert tone="success">{t("service.actions.done")}</Alert> : null;
}

export function CaseActions({
  id,
  version,
  caseType,
  abilities,
  me,
  assignees,
}: {
  id: string;
  version: number;
  caseType: string;
  abilities: { take: boolean; assign: boolean; respond: boolean; pause: boolean; resume: boolean; resolve: boolean; close: boolean };
  me: string;
  assignees: Option[];
}) {
  const { t } = useI18n();
  const refresh = useRefresh();
  const [saved, setSaved] = useState(false);
  const onSuccess = useCallback(() => {
    setSaved(true);
    refresh();
  }, [refresh]);
  const ref = { id, version };
  const complaint = caseType === "COMPLAINT";
  return (
    <div className="space-y-4" data-testid="case-actions">
      <Done show={saved} />
      {abilities.take ? (
        <ActionForm action={assignCaseAction} schema={assignSchema} onSuccess={onSuccess} ariaLabel={t("service.actions.take")} className="flex">
          <Hidden values={{ ...ref, assigneeId: me }} />
          <SubmitButton>{t("service.actions.take")}</SubmitButton>
        </ActionForm>
      ) : null}
      {abilities.respond ? (
        <ActionForm action={firstResponseAction} schema={firstResponseSchema} onSuccess={onSuccess} ariaLabel={t("service.actions.respond")} className="space-y-2 border-t border-slate-100 pt-4">
          <Hidden values={ref} />
          <TextField name="at" type="datetime-local" label={t("service.fields.firstResponseAt")} hint={t("service.fields.atHint")} />
          <SubmitButton>{t("service.actions.respond")}</SubmitButton>
        </ActionForm>
      ) : null}
      {abilities.pause ? (
        <ActionForm action={pauseCaseAction} schema={pauseSchema} onSuccess={onSuccess} ariaLabel={t("service.actions.pause")} className="space-y-2 border-t border-slate-100 pt-4">
          <Hidden values={ref} />
          <TextField name="note" label={t("service.fields.note")} maxLength={500} />
          <SubmitButton variant="secondary">{t("service.actions.pause")}</SubmitButton>
        </ActionForm>
      ) : null}
      {abilities.resume ? (
        <ActionForm action={resumeCaseAction} schema={caseRefSchema} onSuccess={onSuccess} ariaLabel={t("service.actions.resume")} className="flex">
          <Hidden values={ref} />
          <SubmitButton>{t("service.actions.resume")}</SubmitButton>
        </ActionForm>
      ) : null}
      {abilities.resolve ? (
        <ActionForm action={resolveCaseAction} schema={resolveSchema} onSuccess={onSuccess} ariaLabel={t("service.actions.resolve")} className="space-y-2 border-t border-slate-100 pt-4">
          <Hidden values={ref} />
          <TextAreaField name="resolution" label={t("service.fields.resolution")} required maxLength={2000} rows={3} />
          <TextField name="at" type="datetime-local" label={t("service.fields.resolvedAt")} hint={t("service.fields.atHint")} />
          <SubmitButton>{t("service.actions.resolve")}</SubmitButton>
        </ActionForm>
      ) : null}
      {abilities.close ? (
        <div className="space-y-4 border-t border-slate-100 pt-4">
          <h3 className="text-sm font-semibold text-slate-900">{t("service.actions.closeTitle")}</h3>
          {complaint ? <p className="text-sm text-slate-600">{t("service.actions.closeHint")}</p> : null}
          <ActionForm action={closeCaseAction} schema={closeSchema} onSuccess={onSuccess} ariaLabel={t("service.actions.confirm")} className="space-y-2">
            <Hidden values={{ ...ref, closure: "CONFIRMED" }} />
            <TextField name="note" label={t("service.actions.confirmNote")} maxLength={1000} />
            <SubmitButton>{t("service.actions.confirm")}</SubmitButton>
          </ActionForm>
          <ActionForm action={closeCaseAction} schema={closeSchema} onSuccess={onSuccess} ariaLabel={t("service.actions.followUp")} className="space-y-2">
            <Hidden values={{ ...ref, closure: "NO_ANSWER" }} />
            <TextAreaField name="note" label={t("service.actions.followUpNote")} required maxLength={1000} rows={2} />
            <SubmitButton variant="secondary">{t("service.actions.followUp")}</SubmitButton>
          </ActionForm>
          {!complaint ? (
            <ActionForm action={closeCaseAction} schema={closeSchema} onSuccess={onSuccess} ariaLabel={t("service.actions.close")} className="flex">
              <Hidden values={ref} />
              <SubmitButton variant="secondary">{t("service.actions.close")}</SubmitButton>
            </ActionForm>
          ) : null}
        </div>
      ) : null}
      {abilities.assign && assignees.length > 0 ? (
        <ActionForm action={assignCaseAction} schema={assignSchema} onSuccess={onSuccess} ariaLabel={t("service.actions.assign")} className="space-y-2 border-t border-slate-100 pt-4">
          <Hidden values={ref} />
          <SelectField name="assigneeId" label={t("service.fields.assignee")} required placeholder="—" options={assignees} />
          <SubmitButton variant="secondary">{t("service.actions.assign")}</SubmitButton>
        </ActionForm>
      ) : null}
    </div>
  );
}
