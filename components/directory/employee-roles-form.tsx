"use client";
import { CheckboxGroup } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { ROLES, type RoleCode } from "@/lib/auth/permissions";
import { setEmployeeRolesAction } from "@/lib/directory/actions";
import { employeeRolesSchema } from "@/lib/directory/schemas";
import { useI18n } from "@/lib/i18n/client";

/**
 * The roles an employee holds. Roles this person may not change are disabled (privileged roles
 * for HR; every role on one's own record); the server refuses them whatever the form sends.
 * A disabled checkbox is not submitted, so a held role that is locked is sent in a hidden field:
 * the form always sends the whole set it means.
 */
export function EmployeeRolesForm({ employeeId, roles, locked, isSelf }: { employeeId: string; roles: RoleCode[]; locked: RoleCode[]; isSelf: boolean }) {
  const { t } = useI18n();
  const everythingLocked = ROLES.every((r) => locked.includes(r));
  return (
    <ActionForm action={setEmployeeRolesAction} schema={employeeRolesSchema} successMessage={t("directory.employee.rolesSaved")} ariaLabel={t("directory.employee.roles")}>
      <input type="hidden" name="id" value={employeeId} />
      {roles.filter((r) => locked.includes(r)).map((r) => (
        <input key={r} type="hidden" name="roles" value={r} />
      ))}
      <CheckboxGroup
        name="roles"
        label={t("directory.fields.roles")}
        options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        defaultValues={roles}
        disabledValues={locked}
      />
      {isSelf ? (
        <p className="text-sm text-slate-600" data-testid="own-roles-note">{t("directory.employee.rolesOwnNote")}</p>
      ) : locked.length ? (
        <p className="text-xs text-slate-500">{t("directory.employee.rolesPrivilegedNote")}</p>
      ) : null}
      {everythingLocked ? null : <SubmitButton>{t("directory.employee.rolesSave")}</SubmitButton>}
    </ActionForm>
  );
}
