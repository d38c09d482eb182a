"use client";
import { SelectField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { updateEmployeeAction } from "@/lib/directory/actions";
import { EMPLOYEE_STATUSES, employeeUpdateSchema, type EmployeeStatus } from "@/lib/directory/schemas";
import { useI18n } from "@/lib/i18n/client";

type Option = { value: string; label: string };

export type EmployeeEditValues = {
  id: string;
  version: number;
  name: string;
  email: string;
  departmentId: string;
  managerNo: string;
  status: EmployeeStatus;
  hireDate: string;
  leaveDate: string;
};

/** Edits an employee. `version` travels in a hidden field: a save made from a page that is out of
 * date is refused (STALE) instead of overwriting someone else's change. */
export function EmployeeEditForm({ employee, departments }: { employee: EmployeeEditValues; departments: Option[] }) {
  const { t } = useI18n();
  return (
    <ActionForm action={updateEmployeeAction} schema={employeeUpdateSchema} successMessage={t("directory.employee.editSaved")} ariaLabel={t("directory.employee.edit")}>
      <input type="hidden" name="id" value={employee.id} />
      {/* value, not defaultValue: after a save the page refreshes with the new version. */}
      <input type="hidden" name="version" value={employee.version} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField name="name" label={t("directory.fields.name")} defaultValue={employee.name} required autoComplete="off" />
        <TextField name="email" type="email" label={t("directory.fields.email")} defaultValue={employee.email} required autoComplete="off" />
        <SelectField name="departmentId" label={t("directory.fields.department")} options={departments} defaultValue={employee.departmentId} required />
        <TextField name="managerNo" label={t("directory.fields.managerNo")} hint={t("directory.fields.managerNoHint")} defaultValue={employee.managerNo} autoComplete="off" />
        <SelectField
          name="status"
          label={t("directory.fields.status")}
          options={EMPLOYEE_STATUSES.map((s) => ({ value: s, label: t(`directory.status.${s}`) }))}
          defaultValue={employee.status}
          required
        />
        <TextField name="hireDate" type="date" label={t("directory.fields.hireDate")} defaultValue={employee.hireDate} required />
        <TextField name="leaveDate" type="date" label={t("directory.fields.leaveDate")} hint={t("directory.fields.leaveDateHint")} defaultValue={employee.leaveDate} />
      </div>
      <SubmitButton>{t("common.save")}</SubmitButton>
    </ActionForm>
  );
}
