"use client";
import { useRouter } from "next/navigation";
import { formatDateTime } from "@/components/groups/format";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { ProgressBar } from "@/components/ui/progress";
import { Th } from "@/components/ui/table";
import { useI18n } from "@/lib/i18n/client";
import { startWeComSyncAction } from "@/lib/wecom/sync/actions";
import type { RunView, SyncView } from "@/lib/wecom/sync/view";

const POLL_MS = 2000;

// The sync card of /settings/wecom: "sync now", the running sync's steps with live progress
// (polled from /api/wecom/sync every 2 s while a run is going), and the recent runs.
export function SyncPanel({ initial }: { initial: SyncView }) {
  const { t, locale } = useI18n();
  const router = useRouter();
  // What polling fetched, kept only while the server's `initial` is the one it followed (a refresh
  // brings a newer `initial`, which then wins).
  const [polled, setPolled] = useState<{ base: SyncView; view: SyncView } | null>(null);
  const view = polled && polled.base === initial ? polled.view : initial;
  const [pollError, setPollError] = useState(false);
  const running = view.current?.status === "RUNNING";

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(async () => {
      try {
        const res = await fetch("/api/wecom/sync", { cache: "no-store" });
        if (!res.ok) throw new Error(String(res.status));
        const next = (await res.json()) as SyncView;
        setPollError(false);
        setPolled({ base: initial, view: next });
        // The run ended: the page's other cards (calls, errors) are refreshed too.
        if (next.current?.status !== "RUNNING") router.refresh();
      } catch {
        setPollError(true);
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, initial, router]);

  const fmtTime = (iso: string | null) => formatDateTime(iso ? new Date(iso) : null, locale);
  const fmtSeconds = (total: number) => (total >= 60 ? t("wecom.sync.minutes", { m: Math.floor(total / 60), s: total % 60 }) : t("wecom.sync.seconds", { s: total }));
  const num = (n: number) => new Intl.NumberFormat(locale).format(n);
  const tone = (status: string) => (status === "SUCCEEDED" || status === "DONE" ? "green" : status === "FAILED" ? "red" : status === "RUNNING" ? "blue" : "slate");
  const errorText = (run: RunView) => (run.errorCode ? t(run.errorCode, run.errorParams ?? {}) : null);
  const countsText = (run: RunView) => {
    const entries = Object.entries(run.counts).filter(([, v]) => v !== 0);
    return entries.length === 0 ? t("wecom.sync.noCounts") : entries.map(([k, v]) => `${t(`wecom.sync.count.${k.replace(/\./g, "_")}`)} ${num(v)}`).join("，");
  };

  const current = view.current;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">{t("wecom.sync.description")}</p>
      <ActionForm action={startWeComSyncAction} onSuccess={() => router.refresh()} successMessage={t("wecom.sync.started")} ariaLabel={t("wecom.sync.title")}>
        <SubmitButton pendingText={t("wecom.sync.starting")}>{t("wecom.sync.start")}</SubmitButton>
      </ActionForm>
      {pollError ? <Alert tone="error">{t("wecom.sync.pollFailed")}</Alert> : null}
      {!current ? (
        <p className="text-sm text-slate-600">{t("wecom.sync.none")}</p>
      ) : (
        <section aria-label={t("wecom.sync.current")} className="space-y-3" data-testid="sync-current" data-status={current.status}>
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone={tone(current.status)}>{t(`wecom.sync.status.${current.status}`)}</Badge>
            <span>{t(`wecom.sync.trigger.${current.trigger}`)}</span>
            <span className="text-slate-600">
              {fmtTime(current.startedAt)} · {fmtSeconds(current.seconds)} · {t("wecom.sync.calls", { calls: num(current.calls) })}
              {current.attempts > 1 ? ` · ${t("wecom.sync.attempts", { n: current.attempts })}` : ""}
            </span>
          </div>
          {current.stalled ? <Alert tone="warning">{t("wecom.sync.stalled")}</Alert> : null}
          {current.status === "FAILED" && errorText(current) ? <Alert tone="error">{t("wecom.sync.error", { message: errorText(current)! })}</Alert> : null}
          <ol className="space-y-3">
            {current.steps.map((s) => (
              <li key={s.step} className="space-y-1" data-testid={`sync-step-${s.step}`} data-status={s.status}>
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
                  <span className="font-medium">
                    {t(`wecom.sync.step.${s.step}`)} <Badge tone={tone(s.status)}>{t(`wecom.sync.status.${s.status}`)}</Badge>
                  </span>
                  <span className="text-slate-600 tabular-nums">
                    {s.total !== null ? t("wecom.sync.rowsOfTotal", { rows: num(s.rows), total: num(s.total) }) : t("wecom.sync.rows", { rows: num(s.rows) })} · {t("wecom.sync.calls", { calls: num(s.calls) })}
                    {s.rowsPerSecond !== null ? ` · ${t("wecom.sync.rate", { rate: num(s.rowsPerSecond) })}` : ""}
                    {s.secondsLeft !== null ? ` · ${t("wecom.sync.timeLeft", { time: fmtSeconds(s.secondsLeft) })}` : ""}
                  </span>
                </div>
                <ProgressBar value={s.status === "RUNNING" ? s.percent : s.status === "DONE" ? 100 : 0} label={t(`wecom.sync.step.${s.step}`)} />
              </li>
            ))}
          </ol>
          {current.status !== "RUNNING" ? <p className="text-sm" data-testid="sync-counts">{t("wecom.sync.counts")}：{countsText(current)}</p> : null}
          {current.warningCount > 0 ? (
            <details className="text-sm">
              <summary className="cursor-pointer">{t("wecom.sync.warningsTitle", { count: num(current.warningCount) })}</summary>
              <ul className="mt-2 list-disc space-y-1 pl-5">
                {current.warnings.map((w, i) => (
                  <li key={i}>
                    {t(`wecom.sync.step.${w.step}`)}：{t(w.code, w.params)}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </section>
      )}
      <DataList caption={t("wecom.sync.history")}>
        <ListHead>
            <Th>{t("wecom.sync.startedAt")}</Th>
            <Th>{t("wecom.sync.result")}</Th>
            <Th>{t("wecom.sync.duration")}</Th>
            <Th>{t("wecom.sync.totalCalls")}</Th>
            <Th>{t("wecom.sync.counts")}</Th>
        </ListHead>
        <ListBody data-testid="sync-history">
          {view.recent.length === 0 ? <ListEmpty colSpan={5}>{t("wecom.sync.none")}</ListEmpty> : null}
          {view.recent.map((r) => (
            <ListRow key={r.id}>
              <Cell kind="title" className="whitespace-nowrap">
                {fmtTime(r.startedAt)} · {t(`wecom.sync.trigger.${r.trigger}`)}
              </Cell>
              <Cell kind="status">
                <Badge tone={tone(r.status)}>{t(`wecom.sync.status.${r.status}`)}</Badge>
                {r.status === "FAILED" && errorText(r) ? <span className="mt-1 block text-xs text-red-800">{errorText(r)}</span> : null}
              </Cell>
              <Cell label={t("wecom.sync.duration")} className="whitespace-nowrap tabular-nums">{fmtSeconds(r.seconds)}</Cell>
              <Cell label={t("wecom.sync.totalCalls")} className="tabular-nums">{num(r.calls)}</Cell>
              <Cell label={t("wecom.sync.counts")} className="sm:min-w-64 text-xs">{r.status === "RUNNING" ? "—" : countsText(r)}</Cell>
            </ListRow>
          ))}
        </ListBody>
      </DataList>
    </div>
  );
}
