"use client";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { createDepartmentAction, moveDepartmentAction, renameDepartmentAction, setDepartmentManagerAction } from "@/lib/directory/actions";
import { departmentCreateSchema, departmentManagerSchema, departmentMoveSchema, departmentRenameSchema } from "@/lib/directory/schemas";
import { useI18n } from "@/lib/i18n/client";

// The department tree's forms. Each edit carries the department's version in a hidden field
// (`value`, so a refreshed page hands the next form the new version).

type Option = { value: string; label: string };

export function DepartmentCreateForm({ parents, defaultParentId }: { parents: Option[]; defaultParentId?: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback((data: { id: string }) => router.push(`/directory/departments/${data.id}`), [router]);
  return (
    <ActionForm action={createDepartmentAction} schema={departmentCreateSchema} onSuccess={onSuccess} successMessage={t("directory.departments.created")} ariaLabel={t("directory.departments.create")}>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <TextField name="name" label={t("directory.fields.departmentName")} required autoComplete="off" />
        <TextField name="code" label={t("directory.fields.code")} hint={t("directory.fields.codeHint")} required autoComplete="off" />
        <SelectField name="parentId" label={t("directory.fields.parent")} options={parents} placeholder={t("directory.departments.root")} defaultValue={defaultParentId ?? ""} />
      </div>
      <SubmitButton>{t("directory.departments.createSubmit")}</SubmitButton>
    </ActionForm>
  );
}

type Versioned = { id: string; version: number };

function Hidden({ id, version }: Versioned) {
  return (
    <>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="version" value={version} />
    </>
  );
}

export function DepartmentRenameForm({ department }: { department: Versioned & { name: string } }) {
  const { t } = useI18n();
  return (
    <ActionForm action={renameDepartmentAction} schema={departmentRenameSchema} successMessage={t("directory.departments.renamed")} ariaLabel={t("directory.departments.rename")}>
      <Hidden {...department} />
      <TextField name="name" label={t("directory.fields.departmentName")} defaultValue={department.name} required autoComplete="off" />
      <SubmitButton>{t("directory.departments.renameSubmit")}</SubmitButton>
    </ActionForm>
  );
}

export function DepartmentMoveForm({ department, parents }: { department: Versioned & { parentId: string | null }; parents: Option[] }) {
  const { t } = useI18n();
  return (
    <ActionForm action={moveDepartmentAction} schema={departmentMoveSchema} successMessage={t("directory.departments.moved")} ariaLabel={t("directory.departments.move")}>
      <Hidden {...department} />
      <SelectField
        name="parentId"
        label={t("directory.fields.parent")}
        hint={t("directory.departments.moveHint")}
        options={parents}
        placeholder={t("directory.departments.root")}
        defaultValue={department.parentId ?? ""}
      />
      <SubmitButton>{t("directory.departments.moveSubmit")}</SubmitButton>
    </ActionForm>
  );
}

export function DepartmentManagerForm({ department }: { department: Versioned & { managerNo: string } }) {
  const { t } = useI18n();
  return (
    <ActionForm action={setDepartmentManagerAction} schema={departmentManagerSchema} successMessage={t("directory.departments.managerSaved")} ariaLabel={t("directory.departments.setManager")}>
      <Hidden {...department} />
      <TextField name="managerNo" label={t("directory.departments.managerNo")} hint={t("directory.departments.managerNoHint")} defaultValue={department.managerNo} autoComplete="off" />
      <SubmitButton>{t("directory.departments.setManagerSubmit")}</SubmitButton>
    </ActionForm>
  );
}
