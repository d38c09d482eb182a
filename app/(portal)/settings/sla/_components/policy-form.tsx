"use client";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { SelectField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { useI18n } from "@/lib/i18n/client";
import { deletePolicyAction, savePolicyAction } from "@/lib/service/actions";
import { policyRefSchema, policySchema } from "@/lib/service/schemas";
import { CASE_TYPES, PRIORITIES, SERVICE_CHANNELS, SLA_CLOCKS } from "@/lib/service/sla";

export type PolicyValues = {
  id?: string;
  version?: number;
  name: string;
  nameEn: string;
  position: number;
  channel: string | null;
  caseType: string | null;
  priority: string | null;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  clock: string;
  calendarId: string | null;
  active: boolean;
};

export function PolicyForm({ policy, calendars }: { policy: PolicyValues; calendars: { value: string; label: string }[] }) {
  const { t } = useI18n();
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const onSuccess = useCallback(() => {
    setSaved(true);
    router.push("/settings/sla");
    router.refresh();
  }, [router]);
  return (
    <ActionForm action={savePolicyAction} schema={policySchema} onSuccess={onSuccess} ariaLabel={policy.id ? t("service.policies.edit") : t("service.policies.add")}>
      {saved ? <Alert tone="success">{t("service.policies.saved")}</Alert> : null}
      {policy.id ? <input type="hidden" name="id" value={policy.id} /> : null}
      {policy.version ? <input type="hidden" name="version" value={policy.version} /> : null}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <TextField name="position" type="number" inputMode="numeric" label={t("service.policies.position")} required defaultValue={policy.position} min={0} max={100000} />
        <TextField name="name" label={t("service.policies.name")} required defaultValue={policy.name} maxLength={100} />
        <TextField name="nameEn" label={t("service.policies.nameEn")} required defaultValue={policy.nameEn} maxLength={100} />
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <SelectField name="channel" label={t("service.fields.channel")} placeholder={t("service.policies.anyChannel")} defaultValue={policy.channel ?? ""} options={SERVICE_CHANNELS.map((v) => ({ value: v, label: t(`service.channel.${v}`) }))} />
        <SelectField name="caseType" label={t("service.fields.caseType")} placeholder={t("service.policies.anyType")} defaultValue={policy.caseType ?? ""} options={CASE_TYPES.map((v) => ({ value: v, label: t(`service.caseType.${v}`) }))} />
        <SelectField name="priority" label={t("service.fields.priority")} placeholder={t("service.policies.anyPriority")} defaultValue={policy.priority ?? ""} options={PRIORITIES.map((v) => ({ value: v, label: t(`service.priority.${v}`) }))} />
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField name="firstResponseMinutes" type="number" inputMode="numeric" label={t("service.policies.firstResponseMinutes")} required defaultValue={policy.firstResponseMinutes} min={1} hint={t("service.policies.minutesHint")} />
        <TextField name="resolutionMinutes" type="number" inputMode="numeric" label={t("service.policies.resolutionMinutes")} required defaultValue={policy.resolutionMinutes} min={1} />
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <SelectField name="clock" label={t("service.fields.clock")} required defaultValue={policy.clock} options={SLA_CLOCKS.map((v) => ({ value: v, label: t(`service.clock.${v}`) }))} />
        <SelectField name="calendarId" label={t("service.policies.calendar")} placeholder={t("service.policies.defaultCalendar")} defaultValue={policy.calendarId ?? ""} options={calendars} />
      </div>
      <label className="flex min-h-10 items-center gap-2 text-sm text-slate-800">
        <input type="checkbox" name="active" value="on" defaultChecked={policy.active} className="h-4 w-4 rounded border-slate-400" />
        {t("service.policies.active")}
      </label>
      <SubmitButton>{t("service.policies.save")}</SubmitButton>
    </ActionForm>
  );
}

export function DeletePolicyForm({ id, version }: { id: string; version: number }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback(() => {
    router.push("/settings/sla");
    router.refresh();
  }, [router]);
  return (
    <ActionForm action={deletePolicyAction} schema={policyRefSchema} onSuccess={onSuccess} ariaLabel={t("service.policies.deleteConfirm")} className="space-y-2" confirm={{ title: t("confirm.service.deletePolicy.title"), body: t("confirm.service.deletePolicy.body"), confirmLabel: t("confirm.service.deletePolicy.action"), done: t("confirm.service.deletePolicy.done") }}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
      <SubmitButton variant="danger">{t("service.policies.delete")}</SubmitButton>
    </ActionForm>
  );
}
