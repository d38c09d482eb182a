"use client";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { CheckboxGroup, SelectField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { ROLES } from "@/lib/auth/permissions";
import { createEmployeeAction } from "@/lib/directory/actions";
import { employeeCreateSchema } from "@/lib/directory/schemas";
import { useI18n } from "@/lib/i18n/client";

type Option = { value: string; label: string };

/** New employee: checked in the browser with the server's schema, then created; on success the
 * person lands on the new employee's page. */
export function EmployeeCreateForm({ departments, lockedRoles, today }: { departments: Option[]; lockedRoles: string[]; today: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback((data: { id: string }) => router.push(`/directory/employees/${data.id}`), [router]);
  return (
    <ActionForm
      action={createEmployeeAction}
      schema={employeeCreateSchema}
      onSuccess={onSuccess}
      successMessage={t("directory.employee.created")}
      ariaLabel={t("directory.employee.createTitle")}
    >
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField name="employeeNo" label={t("directory.fields.employeeNo")} required autoComplete="off" />
        <TextField name="name" label={t("directory.fields.name")} required autoComplete="off" />
        <TextField name="email" type="email" label={t("directory.fields.email")} required autoComplete="off" />
        <SelectField name="departmentId" label={t("directory.fields.department")} options={departments} placeholder="" required />
        <TextField name="managerNo" label={t("directory.fields.managerNo")} hint={t("directory.fields.managerNoHint")} autoComplete="off" />
        <TextField name="hireDate" type="date" label={t("directory.fields.hireDate")} defaultValue={today} required />
        <TextField name="password" type="password" label={t("directory.fields.password")} hint={t("directory.fields.passwordHint")} autoComplete="new-password" />
      </div>
      <CheckboxGroup
        name="roles"
        label={t("directory.fields.roles")}
        options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        defaultValues={["EMPLOYEE"]}
        disabledValues={lockedRoles}
      />
      {lockedRoles.length ? <p className="text-xs text-slate-500">{t("directory.employee.rolesPrivilegedNote")}</p> : null}
      <SubmitButton>{t("directory.employee.create")}</SubmitButton>
    </ActionForm>
  );
}
