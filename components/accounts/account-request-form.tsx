"use client";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { EmployeePicker, type PickedPerson } from "@/components/groups/employee-picker";
import { Card } from "@/components/ui/card";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { registerAccountAction, requestAccountAction } from "@/lib/accounts/actions";
import { ACCOUNT_TYPES, accountRegisterSchema, accountRequestSchema } from "@/lib/accounts/schemas";
import { useI18n } from "@/lib/i18n/client";

export type DepartmentChoice = { id: string; name: string; depth: number };

// The request form (an employee asks for an account) and, for accounts.manage, the register form
// (an account already in use, ACTIVE at once). One column, so it works on a 375 px phone.
export function AccountRequestForm({ mode, departments, defaultDepartmentId, me }: { mode: "request" | "register"; departments: DepartmentChoice[]; defaultDepartmentId: string; me: PickedPerson }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback((data: { id: string }) => router.push(`/accounts/${data.id}`), [router]);
  const register = mode === "register";
  return (
    <Card>
      <ActionForm
        action={register ? registerAccountAction : requestAccountAction}
        schema={register ? accountRegisterSchema : accountRequestSchema}
        onSuccess={onSuccess}
        ariaLabel={t(register ? "accounts.form.registerTitle" : "accounts.form.requestTitle")}
      >
        <SelectField name="type" label={t("accounts.fields.type")} required defaultValue="WECOM_MEMBER" options={ACCOUNT_TYPES.map((v) => ({ value: v, label: t(`accounts.type.${v}`) }))} />
        <TextField name="displayName" label={t("accounts.fields.displayName")} required maxLength={100} autoComplete="off" />
        <TextField name="platformId" label={t("accounts.fields.platformId")} hint={t("accounts.form.platformIdHint")} required maxLength={128} autoComplete="off" spellCheck={false} autoCapitalize="off" />
        <TextField name="phone" label={t("accounts.fields.phone")} hint={t("accounts.form.phoneHint")} type="tel" inputMode="tel" maxLength={20} autoComplete="off" />
        <SelectField
          name="custodianDepartmentId"
          label={t("accounts.fields.custodianDepartment")}
          required
          defaultValue={defaultDepartmentId}
          options={departments.map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}` }))}
        />
        <EmployeePicker name="holderId" label={t("accounts.fields.holder")} hint={t("accounts.form.holderHint")} initial={register ? [] : [me]} />
        <TextAreaField name="note" label={t("accounts.fields.note")} maxLength={500} rows={2} />
        <SubmitButton>{t(register ? "accounts.form.submitRegister" : "accounts.form.submitRequest")}</SubmitButton>
      </ActionForm>
    </Card>
  );
}
