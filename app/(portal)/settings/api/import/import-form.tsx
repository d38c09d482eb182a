"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { commitEmployeeImportAction, previewEmployeeImportAction, type ImportPreview } from "@/lib/api/employee-import-actions";
import { useI18n } from "@/lib/i18n/client";

const FIELDS = new Set(["employeeNo", "name", "email", "departmentCode", "managerNo", "hireDate", "roles", "leaveDate"]);

/** Where a problem is, in words: "第 3 行 · 邮箱" (the file's line: the header is line 1), "表头", or
 * nothing for the whole file — never the JSON pointer the API answers with. */
function problemPlace(pointer: string, t: (key: string, params?: Record<string, string | number>) => string): string | null {
  const field = (name: string | undefined) => (name && FIELDS.has(name) ? t(`privacy.apiImport.fields.${name}`) : null);
  const row = /^\/employees\/(\d+)(?:\/([A-Za-z]+))?/.exec(pointer);
  if (row) {
    const line = t("privacy.apiImport.row", { row: Number(row[1]) + 2 });
    const name = field(row[2]);
    return name ? `${line} · ${name}` : line;
  }
  if (pointer.startsWith("/header")) return t("privacy.apiImport.header");
  return null;
}

/** Choose a file → preview (nothing written) → import the same file, all or nothing. */
export function EmployeeImportForm() {
  const { t } = useI18n();
  const [file, setFile] = useState<{ fileName: string; content: string } | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [done, setDone] = useState<{ created: number; updated: number; unchanged: number; leavers: number } | null>(null);

  async function choose(f: File | undefined) {
    setPreview(null);
    setDone(null);
    if (!f) return setFile(null);
    const bytes = new Uint8Array(await f.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    setFile({ fileName: f.name, content: btoa(binary) });
  }

  return (
    <div className="space-y-4">
      <label className="block text-sm font-medium">
        {t("privacy.apiImport.file")}
        <input className="mt-1 block w-full text-sm file:mr-3 file:min-h-11 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-4 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-50" type="file" accept=".csv,.txt,.xlsx" onChange={(e) => void choose(e.target.files?.[0])} data-testid="import-file" />
        <span className="block text-xs font-normal text-slate-600">{t("privacy.apiImport.fileHint")}</span>
      </label>
      {file ? (
        <ActionForm action={previewEmployeeImportAction} onSuccess={(p) => setPreview(p)} ariaLabel={t("privacy.apiImport.preview")}>
          <input type="hidden" name="fileName" value={file.fileName} />
          <input type="hidden" name="content" value={file.content} />
          <SubmitButton variant="secondary" pendingText={t("privacy.apiImport.checking")}>
            {t("privacy.apiImport.preview")}
          </SubmitButton>
        </ActionForm>
      ) : null}
      {preview ? (
        <div className="space-y-2" data-testid="import-preview">
          <p className="text-sm">{t("privacy.apiImport.summary", { count: preview.count, encoding: preview.encoding, created: preview.created, updated: preview.updated, unchanged: preview.unchanged, leavers: preview.leavers })}</p>
          {preview.errors.length > 0 ? (
            <Alert tone="error">
              <p className="font-medium">{t("privacy.apiImport.errorsTitle", { count: preview.errors.length })}</p>
              <ul className="mt-1 list-disc pl-5 text-sm">
                {preview.errors.slice(0, 100).map((e, i) => (
                  <li key={i}>{problemPlace(e.pointer, t) ? t("common.labelled", { label: problemPlace(e.pointer, t)!, value: e.detail }) : e.detail}</li>
                ))}
              </ul>
            </Alert>
          ) : file ? (
            <ActionForm action={commitEmployeeImportAction} onSuccess={(d) => setDone(d)} ariaLabel={t("privacy.apiImport.commit")}>
              <input type="hidden" name="fileName" value={file.fileName} />
              <input type="hidden" name="content" value={file.content} />
              <input type="hidden" name="hash" value={preview.hash} />
              <SubmitButton pendingText={t("privacy.apiImport.importing")}>{t("privacy.apiImport.commit")}</SubmitButton>
            </ActionForm>
          ) : null}
        </div>
      ) : null}
      {done ? <Alert tone="success">{t("privacy.apiImport.done", done)}</Alert> : null}
    </div>
  );
}
