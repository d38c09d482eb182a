"use client";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton, useFieldErrors } from "@/components/ui/form";
import { updateApprovalChainAction } from "@/lib/approvals/actions";
import { chainUpdateSchema, FALLBACK_SLOTS, MAX_CHAIN_STEPS, MAX_OVERDUE_WORKING_DAYS } from "@/lib/approvals/schemas";
import { CLASSIFICATIONS, STEP_KINDS, type StepKind } from "@/lib/approvals/types";
import { ROLES } from "@/lib/auth/permissions";
import { useI18n } from "@/lib/i18n/client";

// One approval chain's editor: the limit, the calendar and the ordered steps. The steps are
// edited here and travel as one JSON field; the version rides along for optimistic concurrency
// (taken from the props, so the page refreshed after a save hands the next save the new one).

export type ChainEditorChain = {
  id: string;
  requestType: string;
  version: number;
  overdueWorkingDays: number;
  calendarId: string | null;
  fallbackRoles: string[];
  steps: { kind: StepKind; role: string | null; person: { employeeNo: string; name: string; active: boolean } | null; classifications: string[] }[];
};

type EditStep = { key: number; kind: StepKind; role: string; person: string; classifications: string[]; current?: { employeeNo: string; name: string; active: boolean } };

function StepErrors({ index }: { index: number }) {
  const errors = useFieldErrors(`steps.${index}.classifications`);
  return errors?.length ? (
    <p className="text-sm text-red-700" role="alert">
      {errors.join(" ")}
    </p>
  ) : null;
}

function StepsErrors() {
  const errors = useFieldErrors("steps");
  return errors?.length ? (
    <p className="text-sm text-red-700" role="alert">
      {errors.join(" ")}
    </p>
  ) : null;
}

export function ChainEditor({ chain, calendars }: { chain: ChainEditorChain; calendars: { value: string; label: string }[] }) {
  const { t } = useI18n();
  const next = useRef(chain.steps.length);
  const [steps, setSteps] = useState<EditStep[]>(() =>
    chain.steps.map((s, i) => ({
      key: i,
      kind: s.kind,
      role: s.role ?? "",
      person: s.person?.employeeNo ?? "",
      classifications: s.classifications,
      current: s.person ?? undefined,
    })),
  );
  // Removing a step asks first (it is saved with the chain, for every request submitted after).
  const [removing, setRemoving] = useState<number | null>(null);
  const update = (i: number, change: Partial<EditStep>) => setSteps((list) => list.map((s, j) => (j === i ? { ...s, ...change } : s)));
  const move = (i: number, by: -1 | 1) =>
    setSteps((list) => {
      const copy = [...list];
      const [item] = copy.splice(i, 1);
      copy.splice(i + by, 0, item);
      return copy;
    });
  const payload = JSON.stringify(steps.map((s) => ({ kind: s.kind, role: s.kind === "ROLE" ? s.role : "", person: s.kind === "PERSON" ? s.person : "", classifications: s.classifications })));
  const typeLabel = t(`approvals.types.${chain.requestType}`);

  return (
    <ActionForm action={updateApprovalChainAction} schema={chainUpdateSchema} successMessage={t("approvals.chains.saved")} ariaLabel={typeLabel}>
      <input type="hidden" name="id" value={chain.id} />
      <input type="hidden" name="version" value={chain.version} />
      <input type="hidden" name="steps" value={payload} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField
          name="overdueWorkingDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_OVERDUE_WORKING_DAYS}
          label={t("approvals.chains.overdueLimit")}
          hint={t("approvals.chains.overdueHint")}
          defaultValue={chain.overdueWorkingDays}
          required
        />
        <SelectField
          name="calendarId"
          label={t("approvals.chains.calendar")}
          options={calendars}
          placeholder={t("approvals.chains.defaultCalendar")}
          defaultValue={chain.calendarId ?? ""}
        />
      </div>

      <fieldset className="space-y-3">
        <legend className="mb-2 text-sm font-medium text-slate-800">{t("approvals.chains.steps")}</legend>
        <StepsErrors />
        <ol className="space-y-3">
          {steps.map((step, i) => (
            <li key={step.key} className="rounded-md border border-slate-200 bg-slate-50 p-3" data-testid="chain-step">
              <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
                <span className="text-sm font-semibold text-slate-900">{t("approvals.chains.stepN", { position: i + 1 })}</span>
                <div className="flex flex-wrap gap-1">
                  <Button variant="ghost" className="min-h-9 px-2" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`${t("approvals.chains.moveUp")} ${i + 1}`}>
                    ↑ <span className="sr-only sm:not-sr-only">{t("approvals.chains.moveUp")}</span>
                  </Button>
                  <Button variant="ghost" className="min-h-9 px-2" disabled={i === steps.length - 1} onClick={() => move(i, 1)} aria-label={`${t("approvals.chains.moveDown")} ${i + 1}`}>
                    ↓ <span className="sr-only sm:not-sr-only">{t("approvals.chains.moveDown")}</span>
                  </Button>
                  <Button variant="ghost" className="min-h-9 px-2 text-red-800" disabled={steps.length === 1} onClick={() => setRemoving(i)}>
                    {t("approvals.chains.removeStep")}
                  </Button>
                </div>
              </div>
              <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
                <SelectField
                  name={`steps.${i}.kind`}
                  label={t("approvals.chains.kind")}
                  options={STEP_KINDS.map((k) => ({ value: k, label: t(`approvals.kinds.${k}`) }))}
                  value={step.kind}
                  onChange={(e) => update(i, { kind: e.target.value as StepKind })}
                />
                {step.kind === "ROLE" ? (
                  <SelectField
                    name={`steps.${i}.role`}
                    label={t("approvals.chains.role")}
                    options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                    placeholder={t("approvals.chains.choose")}
                    value={step.role}
                    onChange={(e) => update(i, { role: e.target.value })}
                    required
                  />
                ) : null}
                {step.kind === "PERSON" ? (
                  <TextField
                    name={`steps.${i}.person`}
                    label={t("approvals.chains.person")}
                    hint={
                      step.current && step.person === step.current.employeeNo
                        ? `${t("approvals.chains.personCurrent", { name: step.current.name, no: step.current.employeeNo })}${step.current.active ? "" : t("approvals.chains.personInactive")}`
                        : undefined
                    }
                    value={step.person}
                    onChange={(e) => update(i, { person: e.target.value })}
                    autoComplete="off"
                    required
                  />
                ) : null}
              </div>
              <fieldset className="mt-3">
                <legend className="text-sm text-slate-700">{t("approvals.chains.condition")}</legend>
                <div className="mt-1 flex flex-wrap gap-x-4 gap-y-2">
                  {CLASSIFICATIONS.map((c) => (
                    <label key={c} className="inline-flex min-h-8 items-center gap-2 text-sm">
                      <input
                        type="checkbox"
                        className="h-4 w-4 rounded border-slate-400"
                        checked={step.classifications.includes(c)}
                        onChange={(e) =>
                          update(i, { classifications: e.target.checked ? [...step.classifications, c] : step.classifications.filter((x) => x !== c) })
                        }
                      />
                      {t(`approvals.classifications.${c}`)}
                    </label>
                  ))}
                </div>
                <StepErrors index={i} />
              </fieldset>
            </li>
          ))}
        </ol>
        <Button
          variant="secondary"
          disabled={steps.length >= MAX_CHAIN_STEPS}
          onClick={() => setSteps((list) => [...list, { key: next.current++, kind: "ROLE", role: "ADMIN", person: "", classifications: [] }])}
        >
          + {t("approvals.chains.addStep")}
        </Button>
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">{t("approvals.chains.fallback")}</legend>
        <p className="text-sm text-slate-600">{t("approvals.chains.fallbackHint")}</p>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          {Array.from({ length: FALLBACK_SLOTS }, (_, n) => (
            <SelectField
              key={n}
              name={`fallback${n + 1}`}
              label={t("approvals.chains.fallbackN", { n: n + 1 })}
              options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
              placeholder={t("approvals.chains.fallbackNone")}
              defaultValue={chain.fallbackRoles[n] ?? ""}
            />
          ))}
        </div>
      </fieldset>
      <ConfirmDialog
        open={removing !== null}
        title={t("confirm.approvals.removeStep.title", { position: (removing ?? 0) + 1 })}
        body={t("confirm.approvals.removeStep.body")}
        confirmLabel={t("confirm.approvals.removeStep.action")}
        cancelLabel={t("common.cancel")}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          const index = removing;
          setRemoving(null);
          if (index !== null) setSteps((list) => list.filter((_, j) => j !== index));
        }}
      />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton>{t("approvals.chains.save")}</SubmitButton>
        <span className="text-xs text-slate-500">{t("approvals.chains.version", { version: chain.version })}</span>
      </div>
    </ActionForm>
  );
}
