"use client";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { addExemptionAction, addTermAction, createRuleAction, removeExemptionAction, removeTermAction, updateRuleAction } from "@/lib/content/actions";
import { RULE_KINDS } from "@/lib/content/default-rules";
import { exemptionAddSchema, exemptionRemoveSchema, ruleCreateSchema, ruleUpdateSchema, termAddSchema, termRemoveSchema } from "@/lib/content/schemas";
import { useI18n } from "@/lib/i18n/client";

// The rule lists' forms (content.configure). Each refreshes the page after success.

function useRefresh() {
  const router = useRouter();
  return useCallback(() => router.refresh(), [router]);
}

export function AddTermForm({ ruleId, ruleName }: { ruleId: string; ruleName: string }) {
  const { t } = useI18n();
  const refresh = useRefresh();
  return (
    <ActionForm action={addTermAction} schema={termAddSchema} onSuccess={refresh} className="flex flex-wrap items-end gap-3" ariaLabel={`${t("content.rules.addTerm")} ${ruleName}`}>
      <input type="hidden" name="ruleId" value={ruleId} />
      <div className="min-w-40 flex-1">
        <TextField name="term" label={t("content.rules.term")} required maxLength={50} autoComplete="off" />
      </div>
      <label className="flex min-h-10 items-center gap-2 text-sm" title={t("content.rules.standsAloneHint")}>
        <input type="checkbox" name="standsAlone" className="h-4 w-4 rounded border-slate-400" />
        {t("content.rules.standsAlone")}
      </label>
      <SubmitButton variant="secondary">{t("content.rules.addTerm")}</SubmitButton>
    </ActionForm>
  );
}

export function RemoveTermButton({ termId, term }: { termId: string; term: string }) {
  const { t } = useI18n();
  const refresh = useRefresh();
  return (
    <ActionForm action={removeTermAction} schema={termRemoveSchema} onSuccess={refresh} className="inline" ariaLabel={`${t("content.rules.remove")} ${term}`} confirm={{ title: t("confirm.content.removeTerm.title", { term }), body: t("confirm.content.removeTerm.body", { term }), confirmLabel: t("confirm.content.removeTerm.action", { term }), done: t("confirm.content.removeTerm.done", { term }) }}>
      <input type="hidden" name="termId" value={termId} />
      <button type="submit" className="ml-1 rounded px-1 text-slate-500 hover:bg-red-100 hover:text-red-800" aria-label={`${t("content.rules.remove")} ${term}`}>
        ×
      </button>
    </ActionForm>
  );
}

export function RuleUpdateForm({ rule }: { rule: { id: string; version: number; article: string; nameZh: string; nameEn: string; active: boolean } }) {
  const { t } = useI18n();
  const refresh = useRefresh();
  return (
    <ActionForm action={updateRuleAction} schema={ruleUpdateSchema} onSuccess={refresh} className="grid grid-cols-1 gap-3 sm:grid-cols-2" ariaLabel={`${t("content.rules.save")} ${rule.nameZh}`}>
      <input type="hidden" name="ruleId" value={rule.id} />
      <input type="hidden" name="version" value={rule.version} />
      <TextField name="nameZh" label={t("content.rules.nameZh")} required maxLength={100} defaultValue={rule.nameZh} />
      <TextField name="nameEn" label={t("content.rules.nameEn")} required maxLength={100} defaultValue={rule.nameEn} />
      <TextField name="article" label={t("content.rules.article")} required maxLength={200} defaultValue={rule.article} />
      <label className="flex min-h-10 items-center gap-2 self-end text-sm">
        <input type="checkbox" name="active" defaultChecked={rule.active} className="h-4 w-4 rounded border-slate-400" />
        {t("content.rules.active")}
      </label>
      <div>
        <SubmitButton variant="secondary">{t("content.rules.save")}</SubmitButton>
      </div>
    </ActionForm>
  );
}

export function AddExemptionForm() {
  const { t } = useI18n();
  const refresh = useRefresh();
  return (
    <ActionForm action={addExemptionAction} schema={exemptionAddSchema} onSuccess={refresh} className="flex flex-wrap items-end gap-3" ariaLabel={t("content.rules.addExemption")}>
      <div className="min-w-40 flex-1">
        <TextField name="phrase" label={t("content.rules.phrase")} required maxLength={50} autoComplete="off" />
      </div>
      <div className="min-w-40 flex-1">
        <TextField name="reason" label={t("content.rules.reason")} required maxLength={200} autoComplete="off" />
      </div>
      <SubmitButton variant="secondary">{t("content.rules.addExemption")}</SubmitButton>
    </ActionForm>
  );
}

export function RemoveExemptionButton({ exemptionId, phrase }: { exemptionId: string; phrase: string }) {
  const { t } = useI18n();
  const refresh = useRefresh();
  return (
    <ActionForm action={removeExemptionAction} schema={exemptionRemoveSchema} onSuccess={refresh} className="inline" ariaLabel={`${t("content.rules.remove")} ${phrase}`} confirm={{ title: t("confirm.content.removeExemption.title", { phrase }), body: t("confirm.content.removeExemption.body", { phrase }), confirmLabel: t("confirm.content.removeExemption.action", { phrase }), done: t("confirm.content.removeExemption.done", { phrase }) }}>
      <input type="hidden" name="exemptionId" value={exemptionId} />
      <SubmitButton variant="secondary">{t("content.rules.remove")}</SubmitButton>
    </ActionForm>
  );
}

export function CreateRuleForm() {
  const { t } = useI18n();
  const refresh = useRefresh();
  return (
    <ActionForm action={createRuleAction} schema={ruleCreateSchema} onSuccess={refresh} className="grid grid-cols-1 gap-3 sm:grid-cols-2" ariaLabel={t("content.rules.newRule")}>
      <TextField name="code" label={t("content.rules.code")} hint={t("content.rules.codeHint")} required maxLength={40} autoComplete="off" />
      <SelectField name="kind" label={t("content.rules.kind")} required defaultValue="CATEGORY" options={RULE_KINDS.map((k) => ({ value: k, label: t(`content.ruleKind.${k}`) }))} />
      <TextField name="nameZh" label={t("content.rules.nameZh")} required maxLength={100} />
      <TextField name="nameEn" label={t("content.rules.nameEn")} required maxLength={100} />
      <TextField name="article" label={t("content.rules.article")} required maxLength={200} />
      <div className="self-end">
        <SubmitButton>{t("content.rules.newRule")}</SubmitButton>
      </div>
    </ActionForm>
  );
}
