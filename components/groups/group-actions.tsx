"use client";
import { Link } from "@/components/ui/link";
import { useCallback, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { confirmReviewAction, recordArchiveAction, registerGroupAction, requestDissolutionAction, transferOwnershipAction } from "@/lib/groups/actions";
import { archiveSchema, CLASSIFICATIONS, groupRefSchema, registerSchema, transferSchema, type Classification } from "@/lib/groups/schemas";
import { useI18n } from "@/lib/i18n/client";
import { EmployeePicker } from "./employee-picker";

export type GroupActionsProps = {
  group: { id: string; version: number };
  abilities: { confirmReview: boolean; transfer: boolean; recordArchive: boolean; requestDissolution: boolean; register: boolean };
  /** For registering a group found in WeCom: the department choices and the current values. */
  register?: { departments: { id: string; label: string }[]; departmentId: string; classification: Classification };
  reviewDays: number;
  reviewDue: string;
  archive: { fresh: boolean; windowDays: number; newestOn: string | null };
  today: string;
};

function Section({ id, title, description, children }: { id?: string; title: string; description?: string; children: React.ReactNode }) {
  return (
    <section id={id} aria-labelledby={id ? `${id}-title` : undefined} className="space-y-3 border-t border-slate-100 pt-4 first:border-t-0 first:pt-0">
      <h3 id={id ? `${id}-title` : undefined} className="text-sm font-semibold text-slate-900">
        {title}
      </h3>
      {description ? <p className="text-sm text-slate-600">{description}</p> : null}
      {children}
    </section>
  );
}

/** The archive form starts empty again after each record, so one export is not recorded twice. */
function ArchiveForm({ groupId, today }: { groupId: string; today: string }) {
  const { t } = useI18n();
  const [round, setRound] = useState(0);
  const onSuccess = useCallback(() => setRound((r) => r + 1), []);
  return (
    <>
      {round > 0 ? <Alert tone="success">{t("groups.actions.archive.done")}</Alert> : null}
      <ActionForm key={round} action={recordArchiveAction} schema={archiveSchema} onSuccess={onSuccess} ariaLabel={t("groups.actions.archive.title")}>
        <input type="hidden" name="id" value={groupId} />
        <TextAreaField name="content" label={t("groups.actions.archive.content")} hint={t("groups.actions.archive.contentHint")} required maxLength={500} rows={2} />
        <TextField name="location" label={t("groups.actions.archive.location")} hint={t("groups.actions.archive.locationHint")} required maxLength={500} />
        <TextField name="exportedOn" label={t("groups.actions.archive.exportedOn")} type="date" required defaultValue={today} max={today} />
        <TextAreaField name="note" label={t("groups.actions.archive.note")} maxLength={1000} rows={2} />
        <SubmitButton>{t("groups.actions.archive.submit")}</SubmitButton>
      </ActionForm>
    </>
  );
}

// What the owner (or an administrator of the portal) can do on a group's page. Each form is
// bound to its Server Action; the server decides again whatever the page offered.
export function GroupActions({ group, abilities, reviewDays, reviewDue, archive, today, register }: GroupActionsProps) {
  const { t } = useI18n();
  return (
    <div className="space-y-4">
      {abilities.register && register ? (
        <Section id="register" title={t("groups.actions.register.title")} description={t("groups.actions.register.description")}>
          <ActionForm action={registerGroupAction} schema={registerSchema} successMessage={t("groups.actions.register.done")} ariaLabel={t("groups.actions.register.title")}>
            <input type="hidden" name="id" value={group.id} />
            <input type="hidden" name="version" value={group.version} />
            <TextAreaField name="purpose" label={t("groups.fields.purpose")} hint={t("groups.request.purposeHint")} required maxLength={500} rows={3} />
            <SelectField
              name="classification"
              label={t("groups.fields.classification")}
              hint={t("groups.request.classificationHint")}
              required
              defaultValue={register.classification}
              options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`groups.classification.${c}`) }))}
            />
            <SelectField name="departmentId" label={t("groups.fields.department")} required defaultValue={register.departmentId} options={register.departments.map((d) => ({ value: d.id, label: d.label }))} />
            <SubmitButton>{t("groups.actions.register.submit")}</SubmitButton>
          </ActionForm>
        </Section>
      ) : null}

      {abilities.confirmReview ? (
        <Section id="review" title={t("groups.actions.review.title")} description={t("groups.actions.review.description", { days: reviewDays })}>
          <p className="text-sm text-slate-700">{t("groups.actions.review.due", { date: reviewDue })}</p>
          <ActionForm action={confirmReviewAction} schema={groupRefSchema} successMessage={t("groups.actions.review.done")} ariaLabel={t("groups.actions.review.title")}>
            <input type="hidden" name="id" value={group.id} />
            <input type="hidden" name="version" value={group.version} />
            <SubmitButton>{t("groups.actions.review.submit")}</SubmitButton>
          </ActionForm>
        </Section>
      ) : null}

      {abilities.recordArchive ? (
        <Section id="record-archive" title={t("groups.actions.archive.title")} description={t("groups.actions.archive.description")}>
          <ArchiveForm groupId={group.id} today={today} />
        </Section>
      ) : null}

      {abilities.requestDissolution ? (
        <Section id="dissolve" title={t("groups.actions.dissolve.title")} description={t("groups.actions.dissolve.description")}>
          {archive.fresh ? (
            <>
              <p className="text-sm text-slate-700">{t("groups.actions.dissolve.fresh", { date: archive.newestOn ?? "" })}</p>
              <ActionForm action={requestDissolutionAction} schema={groupRefSchema} successMessage={t("groups.actions.dissolve.done")} ariaLabel={t("groups.actions.dissolve.title")} confirm={{ title: t("confirm.groups.dissolve.title"), body: t("confirm.groups.dissolve.body"), confirmLabel: t("confirm.groups.dissolve.action") }}>
                <input type="hidden" name="id" value={group.id} />
                <input type="hidden" name="version" value={group.version} />
                <SubmitButton variant="danger">{t("groups.actions.dissolve.submit")}</SubmitButton>
              </ActionForm>
            </>
          ) : (
            <Alert tone="warning">
              <p>{t("groups.actions.dissolve.needArchive", { days: archive.windowDays })}</p>
              {abilities.recordArchive ? (
                <p className="mt-2">
                  <Link href="#record-archive" className="font-medium underline">
                    {t("groups.actions.dissolve.recordFirst")}
                  </Link>
                </p>
              ) : null}
            </Alert>
          )}
        </Section>
      ) : null}

      {abilities.transfer ? (
        <Section id="transfer" title={t("groups.actions.transfer.title")} description={t("groups.actions.transfer.description")}>
          <ActionForm action={transferOwnershipAction} schema={transferSchema} successMessage={t("groups.actions.transfer.done")} ariaLabel={t("groups.actions.transfer.title")}>
            <input type="hidden" name="id" value={group.id} />
            <input type="hidden" name="version" value={group.version} />
            <EmployeePicker name="ownerId" label={t("groups.actions.transfer.newOwner")} required />
            <SubmitButton>{t("groups.actions.transfer.submit")}</SubmitButton>
          </ActionForm>
        </Section>
      ) : null}
    </div>
  );
}
