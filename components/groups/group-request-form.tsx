"use client";
import { useRouter } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { Card } from "@/components/ui/card";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton, useFieldErrors } from "@/components/ui/form";
import { requestGroupAction } from "@/lib/groups/actions";
import { checkGroupName, parseTemplate, type NamingRule } from "@/lib/groups/naming-rule";
import { CLASSIFICATIONS, groupRequestSchema, KINDS, MAX_ADMINISTRATORS, MAX_EXPECTED_SIZE, MIN_EXPECTED_SIZE, PLATFORMS } from "@/lib/groups/schemas";
import { useI18n } from "@/lib/i18n/client";
import { EmployeePicker, type PickedPerson } from "./employee-picker";
import { NamePreview } from "./name-preview";
import { partLabel } from "./part-label";

export type DepartmentChoice = { id: string; name: string; code: string; depth: number };

/** Errors the server attaches to the name as a whole (taken, rule changed). */
function NameErrors() {
  const errors = useFieldErrors("name");
  return errors?.length ? (
    <p className="text-sm text-red-700" role="alert">
      {errors.join(" ")}
    </p>
  ) : null;
}

// The request form (/groups/new). The name is built and checked as the requester types, with the
// same pure function the server runs; the server checks everything again.
export function GroupRequestForm({
  rule,
  policyVersion,
  departments,
  defaultDepartmentId,
  me,
}: {
  rule: NamingRule;
  policyVersion: number;
  departments: DepartmentChoice[];
  defaultDepartmentId: string;
  me: PickedPerson;
}) {
  const { t } = useI18n();
  const router = useRouter();
  const freeParts = useMemo(() => parseTemplate(rule.template).freeParts, [rule.template]);
  const [departmentId, setDepartmentId] = useState(defaultDepartmentId);
  const [parts, setParts] = useState<string[]>(() => freeParts.map(() => ""));
  const byId = useMemo(() => new Map(departments.map((d) => [d.id, d])), [departments]);
  // Parts nobody has typed yet are not "missing" until the person starts or tries to submit.
  const [touched, setTouched] = useState(false);
  const check = checkGroupName(rule, { department: byId.get(departmentId) ?? null, parts });
  const shown = touched ? check : { ...check, problems: check.problems.filter((p) => p.code !== "PART_REQUIRED") };

  // The browser's check: the shared schema plus the naming rule, so a name with problems is not
  // even sent.
  const schema = useMemo(
    () =>
      groupRequestSchema.superRefine((v, ctx) => {
        const result = checkGroupName(rule, { department: byId.get(v.departmentId) ?? null, parts: v.parts });
        if (!result.ok) ctx.addIssue({ code: "custom", path: ["name"], message: t("groups.request.fixName") });
      }),
    [rule, byId, t],
  );
  const onSuccess = useCallback((data: { id: string }) => router.push(`/groups/${data.id}`), [router]);

  return (
    <div onSubmitCapture={() => setTouched(true)}>
      <ActionForm action={requestGroupAction} schema={schema} onSuccess={onSuccess} className="space-y-4" ariaLabel={t("groups.request.title")}>
        <input type="hidden" name="policyVersion" value={policyVersion} />
        <Card title={t("groups.request.namingTitle")}>
          <div className="space-y-4">
            <p className="text-sm text-slate-600">{t("groups.request.namingHint", { template: rule.template, max: rule.maxLength })}</p>
            <SelectField
              name="departmentId"
              label={t("groups.fields.department")}
              required
              value={departmentId}
              onChange={(e) => setDepartmentId(e.target.value)}
              options={departments.map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}` }))}
            />
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
              {freeParts.map((key, i) => (
                <TextField
                  key={key}
                  name="parts"
                  label={partLabel(key, t)}
                  required
                  maxLength={100}
                  autoComplete="off"
                  value={parts[i] ?? ""}
                  onChange={(e) => {
                    const value = e.target.value;
                    setParts((prior) => prior.map((p, j) => (j === i ? value : p)));
                    setTouched(true);
                  }}
                />
              ))}
            </div>
            <NamePreview check={shown} max={rule.maxLength} t={t} label={t("groups.request.preview")} okText={t("groups.request.nameOk")} />
            <NameErrors />
          </div>
        </Card>

        <Card title={t("groups.request.aboutTitle")}>
          <div className="space-y-4">
            <TextAreaField name="purpose" label={t("groups.fields.purpose")} hint={t("groups.request.purposeHint")} required maxLength={500} />
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
              <SelectField name="platform" label={t("groups.fields.platform")} required defaultValue="WECOM" options={PLATFORMS.map((p) => ({ value: p, label: t(`groups.platform.${p}`) }))} />
              <SelectField name="kind" label={t("groups.fields.kind")} required defaultValue="INTERNAL" options={KINDS.map((k) => ({ value: k, label: t(`groups.kind.${k}`) }))} />
              <SelectField
                name="classification"
                label={t("groups.fields.classification")}
                hint={t("groups.request.classificationHint")}
                required
                defaultValue="INTERNAL"
                options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`groups.classification.${c}`) }))}
              />
              <TextField
                name="expectedSize"
                label={t("groups.fields.expectedSize")}
                hint={t("groups.request.expectedSizeHint")}
                required
                type="number"
                inputMode="numeric"
                min={MIN_EXPECTED_SIZE}
                max={MAX_EXPECTED_SIZE.WECOM}
                step={1}
                defaultValue={50}
              />
            </div>
          </div>
        </Card>

        <Card title={t("groups.request.peopleTitle")}>
          <div className="space-y-6">
            <EmployeePicker name="ownerId" label={t("groups.fields.owner")} hint={t("groups.request.ownerHint")} initial={[me]} required />
            <EmployeePicker
              name="administratorIds"
              label={t("groups.fields.administrators")}
              hint={t("groups.request.administratorsHint", { max: MAX_ADMINISTRATORS })}
              multiple
              max={MAX_ADMINISTRATORS}
            />
          </div>
        </Card>

        <div className="flex flex-wrap gap-2">
          <SubmitButton pendingText={t("groups.request.submitting")}>{t("groups.request.submit")}</SubmitButton>
        </div>
      </ActionForm>
    </div>
  );
}
