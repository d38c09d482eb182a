"use client";
import { useRouter } from "next/navigation";
import { useCallback, useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { ActionForm, SubmitButton, useFieldErrors } from "@/components/ui/form";
import { decodeCsvBytes } from "@/lib/accounts/import/parse";
import { useI18n } from "@/lib/i18n/client";
import { confirmImportAction, discardImportAction, stageImportAction } from "@/lib/service/actions";
import { importRefSchema, importTextSchema } from "@/lib/service/schemas";

// The case import's forms: the file is read in the browser (UTF-8, GBK/GB18030 or UTF-16 by the
// contact import's detection) and sent as text to the staging action; the preview page confirms
// or discards.

export function ImportUploadForm() {
  const { t } = useI18n();
  const router = useRouter();
  const id = useId();
  const [csv, setCsv] = useState("");
  const [fileName, setFileName] = useState("");
  const onSuccess = useCallback((data: { importId: string }) => router.push(`/service/import/${data.importId}`), [router]);
  return (
    <ActionForm action={stageImportAction} schema={importTextSchema} onSuccess={onSuccess} ariaLabel={t("service.import.title")}>
      <div className="space-y-1">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {t("service.import.file")}
        </label>
        <input
          id={id}
          type="file"
          accept=".csv,text/csv,text/plain"
          className="block w-full text-sm"
          onChange={async (e) => {
            const file = e.currentTarget.files?.[0];
            if (!file) return;
            setFileName(file.name);
            setCsv(decodeCsvBytes(new Uint8Array(await file.arrayBuffer())).text);
          }}
        />
      </div>
      <input type="hidden" name="fileName" value={fileName} />
      <input type="hidden" name="csv" value={csv} />
      <ImportFieldError />
      <SubmitButton>{t("service.import.upload")}</SubmitButton>
    </ActionForm>
  );
}

/** The file-level problem (missing columns, empty, too large) is reported on the `csv` field. */
function ImportFieldError() {
  const errors = useFieldErrors("csv");
  return errors?.length ? <Alert tone="error">{errors.join(" ")}</Alert> : null;
}

export function ImportDecisionForms({ importId, valid, canConfirm }: { importId: string; valid: number; canConfirm: boolean }) {
  const { t } = useI18n();
  const router = useRouter();
  const onSuccess = useCallback(() => router.refresh(), [router]);
  return (
    <div className="flex flex-wrap gap-3">
      {canConfirm ? (
        <ActionForm action={confirmImportAction} schema={importRefSchema} onSuccess={onSuccess} ariaLabel={t("service.import.confirm", { count: valid })} className="flex">
          <input type="hidden" name="importId" value={importId} />
          <SubmitButton>{t("service.import.confirm", { count: valid })}</SubmitButton>
        </ActionForm>
      ) : null}
      <ActionForm action={discardImportAction} schema={importRefSchema} onSuccess={onSuccess} ariaLabel={t("service.import.discard")} className="flex">
        <input type="hidden" name="importId" value={importId} />
        <SubmitButton variant="secondary">{t("service.import.discard")}</SubmitButton>
      </ActionForm>
    </div>
  );
}
