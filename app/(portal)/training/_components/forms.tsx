"use client";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { CheckboxGroup, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton, useFieldErrors } from "@/components/ui/form";
import { ROLES } from "@/lib/auth/permissions";
import { useI18n } from "@/lib/i18n/client";
import {
  acknowledgePolicyAction,
  assignByHandAction,
  bulkRemindAction,
  createCourseAction,
  createPolicyAction,
  publishPolicyAction,
  recordOutsideCompletionAction,
  setCourseActiveAction,
  submitAttemptAction,
  updateCourseAction,
} from "@/lib/training/actions";
import type { AttemptResult } from "@/lib/training/commands";
import {
  acknowledgeSchema,
  assignByHandSchema,
  AUDIENCE_KINDS,
  CATEGORIES,
  courseSchema,
  courseUpdateSchema,
  newPolicySchema,
  outsideCompletionSchema,
  publishPolicySchema,
  RECURRENCES,
} from "@/lib/training/schemas";

// Training's forms, each bound to its Server Action (the server decides again whatever the page
// offered). After a success the page is read again so statuses and counts show the new state.

type Option = { value: string; label: string };

function Hidden({ values }: { values: Record<string, string | number | undefined> }) {
  return (
    <>
      {Object.entries(values).map(([k, v]) => (v === undefined || v === "" ? null : <input key={k} type="hidden" name={k} value={String(v)} />))}
    </>
  );
}

function QuizQuestion({ index, prompt, choices, multiple }: { index: number; prompt: string; choices: string[]; multiple: boolean }) {
  const { t } = useI18n();
  const name = `q${index}`;
  const errors = useFieldErrors(name);
  return (
    <fieldset className="space-y-2 rounded-md border border-slate-200 p-3" data-testid="quiz-question" aria-invalid={errors?.length ? true : undefined}>
      <legend className="px-1 text-sm font-medium text-slate-900">
        {index + 1}. {prompt}
        {multiple ? <span className="text-slate-500">{t("training.course.multiple")}</span> : null}
      </legend>
      <div className="space-y-1">
        {choices.map((c, j) => (
          <label key={j} className="flex min-h-10 items-start gap-2 rounded px-1 py-1 text-sm hover:bg-slate-50">
            <input type={multiple ? "checkbox" : "radio"} name={name} value={j} className="mt-0.5 h-4 w-4 shrink-0" />
            <span className="break-words">{c}</span>
          </label>
        ))}
      </div>
      {errors?.length ? (
        <p className="text-sm text-red-700" role="alert">
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

export function QuizForm({ courseId, attempts, questions, passingScore }: { courseId: string; attempts: number; questions: { prompt: string; choices: string[]; multiple: boolean }[]; passingScore: number }) {
  const { t } = useI18n();
  const router = useRouter();
  const [attemptNo, setAttemptNo] = useState(attempts + 1);
  const [result, setResult] = useState<AttemptResult | null>(null);
  const onSuccess = useCallback(
    (r: AttemptResult) => {
      setResult(r);
      setAttemptNo(r.attemptNo + 1);
      router.refresh();
    },
    [router],
  );
  return (
    <ActionForm action={submitAttemptAction} onSuccess={onSuccess} ariaLabel={t("training.course.quiz")}>
      <Hidden values={{ courseId, attemptNo }} />
      <p className="text-sm text-slate-600">{t("training.course.quizIntro", { count: questions.length, passing: passingScore })}</p>
      {questions.map((q, i) => (
        <QuizQuestion key={i} index={i} prompt={q.prompt} choices={q.choices} multiple={q.multiple} />
      ))}
      {result ? (
        <div data-testid="quiz-result">
          <Alert tone={result.passed ? "success" : "warning"}>
            {t(result.passed ? "training.course.passed" : "training.course.failed", { score: result.score, passing: result.passingScore })}
            {!result.passed ? (
              <>
                {" "}
                {t("training.course.wrong", { list: result.right.map((ok, i) => (ok ? null : i + 1)).filter((x) => x !== null).join(", ") })}
              </>
            ) : null}
          </Alert>
        </div>
      ) : null}
      {result?.passed ? null : <SubmitButton pendingText={t("training.course.submitting")}>{t("training.course.submit")}</SubmitButton>}
    </ActionForm>
  );
}

export function AcknowledgeForm({ versionId }: { versionId: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback(() => router.refresh(), [router]);
  return (
    <ActionForm action={acknowledgePolicyAction} schema={acknowledgeSchema} onSuccess={onSuccess} successMessage={t("training.policy.done")} ariaLabel={t("training.policy.acknowledge")}>
      <Hidden values={{ versionId }} />
      <p className="text-sm text-slate-700">{t("training.policy.confirmText")}</p>
      <SubmitButton>{t("training.policy.acknowledge")}</SubmitButton>
    </ActionForm>
  );
}

export type CourseInitial = {
  id: string;
  version: number;
  code: string;
  titleZh: string;
  titleEn: string;
  category: string;
  content: string;
  quizText: string;
  passingScore: number;
  audienceKind: string;
  roles: string[];
  departmentIds: string[];
  recurrence: string;
  recurrenceMonths: number | null;
  dueWorkingDays: number;
};

/** Creates a course, or with `initial` edits one (a new content version when material or quiz change). */
export function CourseForm({ departments, initial }: { departments: Option[]; initial?: CourseInitial }) {
  const { t } = useI18n();
  const router = useRouter();
  const [kind, setKind] = useState<string>(initial?.audienceKind ?? "EVERYONE");
  const [recurrence, setRecurrence] = useState<string>(initial?.recurrence ?? "NONE");
  const [message, setMessage] = useState<string | null>(null);
  const onCreated = useCallback(
    (d: { id: string; assigned: number }) => {
      setMessage(t("training.manage.created", { assigned: d.assigned }));
      router.refresh();
    },
    [router, t],
  );
  const onSaved = useCallback(
    (d: { id: string; contentVersion: number; assigned: number }) => {
      setMessage(t("training.manage.saved", { contentVersion: d.contentVersion, assigned: d.assigned }));
      router.refresh();
    },
    [router, t],
  );
  const fields = (
    <>
      {message ? <Alert tone="success">{message}</Alert> : null}
      {initial ? <Hidden values={{ id: initial.id, version: initial.version }} /> : null}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField name="code" label={t("training.fields.code")} required maxLength={32} autoComplete="off" defaultValue={initial?.code} readOnly={Boolean(initial)} />
        <SelectField name="category" label={t("training.fields.category")} required defaultValue={initial?.category} options={CATEGORIES.map((c) => ({ value: c, label: t(`training.category.${c}`) }))} />
        <TextField name="titleZh" label={t("training.fields.titleZh")} required maxLength={120} defaultValue={initial?.titleZh} />
        <TextField name="titleEn" label={t("training.fields.titleEn")} required maxLength={120} defaultValue={initial?.titleEn} />
      </div>
      <TextAreaField name="content" label={t("training.fields.content")} hint={t("training.manage.contentHint")} required rows={8} defaultValue={initial?.content} />
      <TextAreaField name="quizText" label={t("training.fields.quizText")} hint={t("training.manage.quizHint")} required rows={8} placeholder={"? …\n- …\n* …"} defaultValue={initial?.quizText} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <TextField name="passingScore" type="number" inputMode="numeric" min={1} max={100} label={t("training.fields.passingScore")} required defaultValue={String(initial?.passingScore ?? 80)} />
        <TextField name="dueWorkingDays" type="number" inputMode="numeric" min={1} max={250} label={t("training.fields.dueWorkingDays")} required defaultValue={String(initial?.dueWorkingDays ?? 10)} />
        <SelectField name="recurrence" label={t("training.fields.recurrence")} value={recurrence} onChange={(e) => setRecurrence(e.target.value)} options={RECURRENCES.map((r) => ({ value: r, label: t(`training.recurrence.${r}`) }))} />
      </div>
      {recurrence === "MONTHS" ? <TextField name="recurrenceMonths" type="number" inputMode="numeric" min={1} max={60} label={t("training.fields.recurrenceMonths")} required defaultValue={initial?.recurrenceMonths ? String(initial.recurrenceMonths) : undefined} /> : null}
      <SelectField name="audienceKind" label={t("training.fields.audienceKind")} hint={t("training.manage.audienceHint")} value={kind} onChange={(e) => setKind(e.target.value)} options={AUDIENCE_KINDS.map((k) => ({ value: k, label: t(`training.audience.${k}`) }))} />
      {kind === "ROLES" ? <CheckboxGroup name="roles" label={t("training.fields.roles")} defaultValues={initial?.roles} options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} /> : null}
      {kind === "DEPARTMENTS" ? <CheckboxGroup name="departmentIds" label={t("training.fields.departmentIds")} defaultValues={initial?.departmentIds} options={departments} /> : null}
    </>
  );
  return initial ? (
    <ActionForm action={updateCourseAction} schema={courseUpdateSchema} onSuccess={onSaved} ariaLabel={t("training.manage.editTitle", { code: initial.code })}>
      {fields}
      <SubmitButton>{t("training.manage.save")}</SubmitButton>
    </ActionForm>
  ) : (
    <ActionForm action={createCourseAction} schema={courseSchema} onSuccess={onCreated} ariaLabel={t("training.manage.newCourse")}>
      {fields}
      <SubmitButton>{t("training.manage.createCourse")}</SubmitButton>
    </ActionForm>
  );
}

export function ActiveToggle({ id, version, active }: { id: string; version: number; active: boolean }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback(() => router.refresh(), [router]);
  return (
    <ActionForm action={setCourseActiveAction} onSuccess={onSuccess} className="inline" ariaLabel={t(active ? "training.manage.deactivate" : "training.manage.activate")}>
      <Hidden values={{ id, version, active: active ? "false" : "true" }} />
      <SubmitButton variant="secondary">{t(active ? "training.manage.deactivate" : "training.manage.activate")}</SubmitButton>
    </ActionForm>
  );
}

export function PublishPolicyForm({ documentId, currentVersionNo, body }: { documentId: string; currentVersionNo: number; body: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const onSuccess = useCallback(
    (d: { versionNo: number; asked: number }) => {
      setMessage(t("training.manage.published", d));
      router.refresh();
    },
    [router, t],
  );
  return (
    <ActionForm action={publishPolicyAction} schema={publishPolicySchema} onSuccess={onSuccess} ariaLabel={t("training.manage.publish")}>
      {message ? <Alert tone="success">{message}</Alert> : null}
      <Hidden values={{ documentId, currentVersionNo }} />
      <TextAreaField name="body" label={t("training.fields.body")} hint={t("training.manage.contentHint")} required rows={10} defaultValue={body} />
      <TextField name="summary" label={t("training.fields.summary")} maxLength={500} />
      <TextField name="dueWorkingDays" type="number" inputMode="numeric" min={1} max={250} label={t("training.fields.dueWorkingDays")} required defaultValue="5" />
      <p className="text-xs text-slate-600">{t("training.manage.publishHint")}</p>
      <SubmitButton>{t("training.manage.publish")}</SubmitButton>
    </ActionForm>
  );
}

export function AssignForm({ courses }: { courses: Option[] }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback(() => router.refresh(), [router]);
  return (
    <ActionForm action={assignByHandAction} schema={assignByHandSchema} onSuccess={onSuccess} successMessage={t("training.manage.assigned")} ariaLabel={t("training.manage.assignTitle")}>
      <SelectField name="courseId" label={t("training.fields.course")} required placeholder="—" options={courses} />
      <TextField name="employeeNo" label={t("training.fields.employeeNo")} required maxLength={32} autoComplete="off" />
      <TextField name="dueWorkingDays" type="number" inputMode="numeric" min={1} max={250} label={t("training.fields.dueWorkingDays")} hint={t("training.manage.assignHint")} />
      <SubmitButton>{t("training.manage.assign")}</SubmitButton>
    </ActionForm>
  );
}

export function OutsideCompletionForm({ courses, today }: { courses: Option[]; today: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback(() => router.refresh(), [router]);
  return (
    <ActionForm action={recordOutsideCompletionAction} schema={outsideCompletionSchema} onSuccess={onSuccess} successMessage={t("training.manage.recorded")} ariaLabel={t("training.manage.outsideTitle")}>
      <SelectField name="courseId" label={t("training.fields.course")} required placeholder="—" options={courses} />
      <TextField name="employeeNo" label={t("training.fields.employeeNo")} required maxLength={32} autoComplete="off" />
      <TextField name="completedOn" type="date" label={t("training.fields.completedOn")} required max={today} defaultValue={today} />
      <TextField name="score" type="number" inputMode="numeric" min={0} max={100} label={t("training.fields.score")} />
      <TextAreaField name="evidence" label={t("training.fields.evidence")} required rows={2} />
      <SubmitButton>{t("training.manage.record")}</SubmitButton>
    </ActionForm>
  );
}

export function RemindForm({ filters }: { filters: Record<string, string | undefined> }) {
  const { t } = useI18n();
  const [message, setMessage] = useState<string | null>(null);
  const onSuccess = useCallback((d: { matched: number; sent: number }) => setMessage(t("training.overview.reminded", d)), [t]);
  return (
    <ActionForm action={bulkRemindAction} onSuccess={onSuccess} className="space-y-2" ariaLabel={t("training.overview.remind")} confirm={{ title: t("confirm.training.remind.title"), body: t("confirm.training.remind.body"), confirmLabel: t("confirm.training.remind.action"), tone: "primary" }}>
      <Hidden values={filters} />
      {message ? <Alert tone="success">{message}</Alert> : null}
      <SubmitButton variant="secondary">{t("training.overview.remind")}</SubmitButton>
      <p className="text-xs text-slate-500">{t("training.overview.remindHint")}</p>
    </ActionForm>
  );
}

export function NewPolicyForm() {
  const { t } = useI18n();
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const onSuccess = useCallback(
    (d: { asked: number }) => {
      setMessage(t("training.manage.policyCreated", d));
      router.refresh();
    },
    [router, t],
  );
  return (
    <ActionForm action={createPolicyAction} schema={newPolicySchema} onSuccess={onSuccess} ariaLabel={t("training.manage.newPolicy")}>
      {message ? <Alert tone="success">{message}</Alert> : null}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <TextField name="code" label={t("training.manage.policyCode")} required maxLength={32} autoComplete="off" />
        <TextField name="titleZh" label={t("training.fields.titleZh")} required maxLength={120} />
        <TextField name="titleEn" label={t("training.fields.titleEn")} required maxLength={120} />
      </div>
      <TextAreaField name="body" label={t("training.fields.body")} hint={t("training.manage.contentHint")} required rows={8} />
      <TextField name="dueWorkingDays" type="number" inputMode="numeric" min={1} max={250} label={t("training.fields.dueWorkingDays")} required defaultValue="10" />
      <SubmitButton>{t("training.manage.createPolicy")}</SubmitButton>
    </ActionForm>
  );
}
