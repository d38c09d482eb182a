"use client";
import { useId, useMemo, useState } from "react";
import { Card } from "@/components/ui/card";
import { CheckboxGroup, TextAreaField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { savePolicyAction } from "@/lib/groups/actions";
import { checkGroupName, parseBlockedWords, parseTemplate, validateNamingRule, type RuleProblem } from "@/lib/groups/naming-rule";
import { CLASSIFICATION_ORDER, MAX_MAX_MEMBERS, maxMembersField, MIN_MAX_MEMBERS, type MembershipRules } from "@/lib/groups/membership";
import { MAX_ARCHIVE_WINDOW_DAYS, MAX_REVIEW_DAYS, MIN_ARCHIVE_WINDOW_DAYS, MIN_REVIEW_DAYS, policySchema } from "@/lib/groups/schemas";
import { useI18n } from "@/lib/i18n/client";
import type { Translate } from "@/lib/i18n/translate";
import { NamePreview } from "./name-preview";
import { partLabel } from "./part-label";

export type PolicyFormValues = {
  version: number;
  template: string;
  maxLength: number;
  blockedWords: readonly string[];
  blockedWordExemptions: readonly string[];
  archiveWindowDays: number;
  reviewDays: { PUBLIC: number; INTERNAL: number; CONFIDENTIAL: number; SECRET: number };
  membership: MembershipRules;
};

function ruleProblemText(t: Translate, problem: RuleProblem): string {
  const { code, ...params } = problem;
  return t(`groups.naming.ruleProblems.${code}`, params as Record<string, string | number>);
}

/** Sample free parts an administrator can type to try the rule before saving it (not submitted). */
function SamplePart({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        maxLength={100}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-blue-600"
      />
    </div>
  );
}

// ADMIN's form for the work-group policy (/settings/naming-rule). The rule is checked and tried
// here with the same pure functions the server runs; saving makes a new version.
export function PolicyForm({ initial }: { initial: PolicyFormValues }) {
  const { t } = useI18n();
  const [template, setTemplate] = useState(initial.template);
  const [maxLength, setMaxLength] = useState(String(initial.maxLength));
  const [blockedText, setBlockedText] = useState(initial.blockedWords.join("\n"));
  const [exemptionText, setExemptionText] = useState(initial.blockedWordExemptions.join("\n"));
  const [samples, setSamples] = useState<Record<string, string>>({});

  const blockedWords = useMemo(() => parseBlockedWords(blockedText), [blockedText]);
  const blockedWordExemptions = useMemo(() => parseBlockedWords(exemptionText), [exemptionText]);
  const freeParts = useMemo(() => parseTemplate(template).freeParts, [template]);
  const max = Number(maxLength);
  const rule = { template, maxLength: Number.isInteger(max) ? max : 0, blockedWords, blockedWordExemptions };
  const problems = validateNamingRule(rule);
  const sampleCheck = checkGroupName(rule, {
    department: { name: t("groups.settings.sampleDepartment"), code: t("groups.settings.sampleDepartmentCode") },
    parts: freeParts.map((key) => samples[key] ?? t("groups.settings.samplePart")),
  });

  return (
    <ActionForm action={savePolicyAction} schema={policySchema} ariaLabel={t("groups.settings.title")} successMessage={t("common.saved")}>
      <input type="hidden" name="version" value={initial.version} />
      <Card title={t("groups.settings.namingTitle")}>
        <div className="space-y-4">
          <TextField name="template" label={t("groups.settings.template")} hint={t("groups.settings.templateHint")} required maxLength={100} value={template} onChange={(e) => setTemplate(e.target.value)} />
          <TextField
            name="maxLength"
            label={t("groups.settings.maxLength")}
            hint={t("groups.settings.maxLengthHint")}
            required
            type="number"
            inputMode="numeric"
            min={5}
            max={200}
            value={maxLength}
            onChange={(e) => setMaxLength(e.target.value)}
          />
          <TextAreaField name="blockedWords" label={t("groups.settings.blockedWords")} hint={t("groups.settings.blockedWordsHint")} rows={6} value={blockedText} onChange={(e) => setBlockedText(e.target.value)} />
          <TextAreaField
            name="blockedWordExemptions"
            label={t("groups.settings.blockedWordExemptions")}
            hint={t("groups.settings.blockedWordExemptionsHint")}
            rows={4}
            value={exemptionText}
            onChange={(e) => setExemptionText(e.target.value)}
          />
          {problems.length ? (
            <ul className="list-disc space-y-1 pl-5 text-sm text-red-700" aria-live="polite" data-testid="rule-problems">
              {problems.map((p, i) => (
                <li key={i}>{ruleProblemText(t, p)}</li>
              ))}
            </ul>
          ) : null}
          <div className="space-y-3">
            <h3 className="text-sm font-semibold text-slate-900">{t("groups.settings.preview")}</h3>
            <p className="text-xs text-slate-500">{t("groups.settings.previewHint")}</p>
            {freeParts.length ? (
              <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
                {freeParts.map((key) => (
                  <SamplePart key={key} label={partLabel(key, t)} value={samples[key] ?? t("groups.settings.samplePart")} onChange={(v) => setSamples((s) => ({ ...s, [key]: v }))} />
                ))}
              </div>
            ) : null}
            <NamePreview check={sampleCheck} max={rule.maxLength} t={t} label={t("groups.request.preview")} okText={t("groups.request.nameOk")} />
          </div>
        </div>
      </Card>

      <Card title={t("groups.settings.policyTitle")}>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <TextField
            name="archiveWindowDays"
            label={t("groups.settings.archiveWindowDays")}
            hint={t("groups.settings.archiveWindowHint")}
            required
            type="number"
            inputMode="numeric"
            min={MIN_ARCHIVE_WINDOW_DAYS}
            max={MAX_ARCHIVE_WINDOW_DAYS}
            defaultValue={initial.archiveWindowDays}
          />
          <div className="hidden sm:block" />
          {(["PUBLIC", "INTERNAL", "CONFIDENTIAL", "SECRET"] as const).map((c) => {
            const name = `reviewDays${c.charAt(0)}${c.slice(1).toLowerCase()}`;
            return (
              <TextField
                key={c}
                name={name}
                label={t(`groups.settings.${name}`)}
                required
                type="number"
                inputMode="numeric"
                min={MIN_REVIEW_DAYS}
                max={MAX_REVIEW_DAYS}
                defaultValue={initial.reviewDays[c]}
              />
            );
          })}
        </div>
        <p className="mt-3 text-xs text-slate-500">{t("groups.settings.reviewHint")}</p>
      </Card>

      <Card title={t("groups.settings.membershipTitle")}>
        <p className="mb-4 text-sm text-slate-600">{t("groups.settings.membershipHint")}</p>
        <div className="space-y-4">
          <CheckboxGroup
            name="externalAllowed"
            label={t("groups.settings.externalAllowed")}
            options={CLASSIFICATION_ORDER.map((c) => ({ value: c, label: t(`groups.classification.${c}`) }))}
            defaultValues={CLASSIFICATION_ORDER.filter((c) => initial.membership[c].externalAllowed)}
          />
          <CheckboxGroup
            name="departedMayStay"
            label={t("groups.settings.departedMayStay")}
            options={CLASSIFICATION_ORDER.map((c) => ({ value: c, label: t(`groups.classification.${c}`) }))}
            defaultValues={CLASSIFICATION_ORDER.filter((c) => initial.membership[c].departedMayStay)}
          />
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            {CLASSIFICATION_ORDER.map((c) => (
              <TextField
                key={c}
                name={maxMembersField(c)}
                label={t(`groups.settings.${maxMembersField(c)}`)}
                hint={t("groups.settings.maxMembersHint")}
                required
                type="number"
                inputMode="numeric"
                min={MIN_MAX_MEMBERS}
                max={MAX_MAX_MEMBERS}
                defaultValue={initial.membership[c].maxMembers}
              />
            ))}
          </div>
        </div>
      </Card>

      <div className="flex flex-wrap gap-2">
        <SubmitButton>{t("groups.settings.save")}</SubmitButton>
      </div>
    </ActionForm>
  );
}
