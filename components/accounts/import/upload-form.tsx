"use client";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { LIMITS } from "@/lib/accounts/import/parse";
import { useI18n } from "@/lib/i18n/client";

type Phase = { kind: "idle" } | { kind: "uploading"; percent: number } | { kind: "processing"; percent: number; rows: number } | { kind: "error"; message: string };

/**
 * Sends the chosen file as raw bodies to /api/accounts/import (no Server Action: its body limit
 * is 2 MB), in parts of 8 MB, and shows two progress phases: the upload (XHR upload events) and
 * the server's staging (NDJSON progress lines read while the last response streams in). When staging ends
 * the person is taken to the preview.
 */
export function UploadForm() {
  const { t } = useI18n();
  const router = useRouter();
  const inputId = useId();
  const file = useRef<HTMLInputElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const busy = phase.kind === "uploading" || phase.kind === "processing";

  /** One POST; resolves with the XHR once the response has fully arrived. */
  function send(url: string, body: Blob, sentBefore: number, total: number, onText?: (xhr: XMLHttpRequest) => void): Promise<XMLHttpRequest> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("Content-Type", "text/csv");
      xhr.upload.onprogress = (e) => setPhase({ kind: "uploading", percent: Math.floor(((sentBefore + e.loaded) / Math.max(total, 1)) * 100) });
      xhr.onprogress = () => {
        if (xhr.status === 200) onText?.(xhr);
      };
      xhr.onload = () => resolve(xhr);
      xhr.onerror = () => reject(new Error("network"));
      xhr.send(body);
    });
  }

  async function start() {
    const chosen = file.current?.files?.[0];
    if (!chosen) return setPhase({ kind: "error", message: t("contactImport.chooseFile") });
    if (chosen.size > LIMITS.maxBytes) return setPhase({ kind: "error", message: t("contactImport.errors.tooLarge") });
    const fail = (xhr?: XMLHttpRequest) => {
      let message = t("contactImport.errors.uploadFailed");
      try {
        message = (JSON.parse(xhr?.responseText ?? "") as { error?: string }).error ?? message;
      } catch {
        // not JSON: keep the general message
      }
      setPhase({ kind: "error", message });
    };
    // Parts below the proxy's 10 MB body limit; the last part's response streams the staging.
    const parts = Math.max(1, Math.ceil(chosen.size / LIMITS.chunkBytes));
    let importId: string | undefined;
    let read = 0;
    let finished = false;
    const consume = (xhr: XMLHttpRequest) => {
      const text = xhr.responseText;
      let end = text.indexOf("\n", read);
      while (end !== -1) {
        const line = text.slice(read, end);
        read = end + 1;
        end = text.indexOf("\n", read);
        if (!line.trim()) continue;
        const event = JSON.parse(line) as { type: string; percent?: number; rows?: number; importId?: string; message?: string };
        if (event.type === "progress") setPhase({ kind: "processing", percent: event.percent ?? 0, rows: event.rows ?? 0 });
        else if (event.type === "done" && event.importId) {
          finished = true;
          router.push(`/accounts/import/${event.importId}`);
        } else if (event.type === "error") {
          finished = true;
          setPhase({ kind: "error", message: event.message ?? t("contactImport.errors.uploadFailed") });
        }
      }
    };
    setPhase({ kind: "uploading", percent: 0 });
    try {
      for (let part = 0; part < parts; part++) {
        const from = part * LIMITS.chunkBytes;
        const params = new URLSearchParams({ fileName: chosen.name, size: String(chosen.size), part: String(part), parts: String(parts) });
        if (importId) params.set("importId", importId);
        const last = part === parts - 1;
        const xhr = await send(`/api/accounts/import?${params}`, chosen.slice(from, from + LIMITS.chunkBytes), from, chosen.size, last ? consume : undefined);
        if (xhr.status !== 200) return fail(xhr);
        if (last) {
          consume(xhr);
          if (!finished) fail();
        } else importId = (JSON.parse(xhr.responseText) as { importId: string }).importId;
      }
    } catch {
      fail();
    }
  }

  const percent = phase.kind === "uploading" || phase.kind === "processing" ? phase.percent : 0;
  return (
    <form
      className="space-y-4"
      aria-label={t("contactImport.title")}
      onSubmit={(event) => {
        event.preventDefault();
        void start();
      }}
    >
      {phase.kind === "error" ? <Alert tone="error">{phase.message}</Alert> : null}
      <div className="space-y-1">
        <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
          {t("contactImport.file")}
        </label>
        <input
          ref={file}
          id={inputId}
          name="file"
          type="file"
          accept=".csv,.txt,text/csv"
          disabled={busy}
          aria-describedby={`${inputId}-hint`}
          className="block w-full text-sm text-slate-800 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-2 file:text-sm"
        />
        <p id={`${inputId}-hint`} className="text-xs text-slate-500">
          {t("contactImport.fileHint")}
        </p>
      </div>
      {busy ? (
        <div className="space-y-1" aria-live="polite">
          <progress className="h-2 w-full accent-blue-700" max={100} value={percent} aria-label={t("contactImport.title")} />
          <p className="text-sm text-slate-700">
            {phase.kind === "uploading"
              ? t("contactImport.progressUpload", { percent })
              : phase.rows > 0
                ? t("contactImport.progressRows", { rows: phase.rows.toLocaleString(), percent })
                : t("contactImport.processing")}
          </p>
        </div>
      ) : null}
      <Button type="submit" disabled={busy} aria-busy={busy}>
        {busy ? (phase.kind === "uploading" ? t("contactImport.uploading") : t("contactImport.processing")) : t("contactImport.upload")}
      </Button>
    </form>
  );
}
