"use client";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { endEmployeeSessionsAction } from "@/lib/directory/actions";
import { employeeEndSessionsSchema } from "@/lib/directory/schemas";
import { useI18n } from "@/lib/i18n/client";

/** ADMIN only: ends every session the employee holds (the server refuses anyone else). */
export function EmployeeSessionsForm({ employeeId }: { employeeId: string }) {
  const { t } = useI18n();
  return (
    <ActionForm action={endEmployeeSessionsAction} schema={employeeEndSessionsSchema} successMessage={t("directory.employee.sessionsEnded")} ariaLabel={t("directory.employee.sessions")} confirm={{ title: t("confirm.directory.sessions.title"), body: t("confirm.directory.sessions.body"), confirmLabel: t("confirm.directory.sessions.action") }}>
      <input type="hidden" name="id" value={employeeId} />
      <p className="text-sm text-slate-600">{t("directory.employee.sessionsNote")}</p>
      <SubmitButton variant="danger">{t("directory.employee.sessionsEnd")}</SubmitButton>
    </ActionForm>
  );
}
