"use client";
import { CheckboxGroup, SelectField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { useI18n } from "@/lib/i18n/client";
import { removeRobotAction, saveRobotAction } from "@/lib/notifications/actions";
import { CATEGORIES } from "@/lib/notifications/kinds";
import { robotRemoveSchema, robotSchema } from "@/lib/notifications/schemas";

// A department's group robot: the key is write-only (the list shows its last four characters).
export function RobotForm({ departments }: { departments: { value: string; label: string }[] }) {
  const { t } = useI18n();
  return (
    <ActionForm action={saveRobotAction} schema={robotSchema} successMessage={t("notifications.robots.save")} ariaLabel={t("notifications.robots.title")}>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <SelectField name="scopeId" label={t("notifications.robots.scopeId")} options={departments} />
        <TextField name="name" label={t("notifications.robots.name")} maxLength={60} autoComplete="off" />
        <TextField name="key" type="password" autoComplete="new-password" label={t("notifications.robots.key")} maxLength={64} />
      </div>
      <CheckboxGroup name="kinds" label={t("notifications.robots.kinds")} options={CATEGORIES.map((c) => ({ value: c, label: t(`notifications.categories.${c}`) }))} />
      <SubmitButton>{t("notifications.robots.save")}</SubmitButton>
    </ActionForm>
  );
}

export function RemoveRobotButton({ robotId }: { robotId: string }) {
  const { t } = useI18n();
  return (
    <ActionForm action={removeRobotAction} schema={robotRemoveSchema} className="inline" confirm={{ title: t("confirm.notifications.removeRobot.title"), body: t("confirm.notifications.removeRobot.body"), confirmLabel: t("confirm.notifications.removeRobot.action"), done: t("confirm.notifications.removeRobot.done") }}>
      <input type="hidden" name="robotId" value={robotId} />
      <SubmitButton variant="danger">{t("notifications.robots.remove")}</SubmitButton>
    </ActionForm>
  );
}
