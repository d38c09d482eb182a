import type { Metadata } from "next";
import { formatDateTime } from "@/components/groups/format";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { QUEUES } from "@/lib/jobs/config";
import { queueOverview } from "@/lib/jobs/queries";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("jobs.title") };
}

const STATES = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;
const LABEL_KEYS: Record<string, string> = Object.fromEntries(Object.entries(QUEUES).map(([key, name]) => [name, `jobs.queues.${key}`]));

export default async function JobsPage() {
  await requirePagePermission("jobs.read");
  const { t, locale } = await getI18n();
  const overview = await queueOverview(db());
  return (
    <>
      <PageHeader title={t("jobs.title")} description={t("jobs.description")} />
      {!overview.installed ? <Alert tone="info">{t("jobs.notInstalled")}</Alert> : null}
      <div className="mb-6">
        {/* One card per queue on a phone, each count with its state's name. */}
        <DataList caption={t("jobs.queuesCaption")}>
          <ListHead>
            <Th>{t("jobs.queue")}</Th>
            {STATES.map((s) => (
              <Th key={s}>{t(`jobs.state.${s}`)}</Th>
            ))}
          </ListHead>
          <ListBody data-testid="jobs-queues">
            {overview.queues.map((q) => (
              <ListRow key={q.name} className="max-sm:gap-y-1">
                <Cell kind="title" className="sm:min-w-48">
                  {LABEL_KEYS[q.name] ? <span className="block">{t(LABEL_KEYS[q.name])}</span> : null}
                  <code className="text-xs text-slate-500">{q.name}</code>
                </Cell>
                {STATES.map((s) => (
                  <Cell key={s} label={t(`jobs.state.${s}`)} className={`tabular-nums max-sm:basis-[calc(50%-0.375rem)]! ${s === "failed" && q.counts[s] ? "font-semibold text-red-700" : ""}`}>
                    {q.counts[s] ?? 0}
                  </Cell>
                ))}
              </ListRow>
            ))}
          </ListBody>
        </DataList>
      </div>
      <DataList caption={t("jobs.failedCaption")}>
        <ListHead>
            <Th>{t("jobs.queue")}</Th>
            <Th>{t("jobs.error")}</Th>
            <Th>{t("jobs.retries")}</Th>
            <Th>{t("jobs.failedAt")}</Th>
        </ListHead>
        <ListBody data-testid="jobs-failed">
          {overview.failed.length === 0 ? (
            <ListEmpty colSpan={4}>{t("jobs.noFailed")}</ListEmpty>
          ) : (
            overview.failed.map((f) => (
              <ListRow key={f.id}>
                <Cell kind="title">
                  {LABEL_KEYS[f.name] ? <span className="block">{t(LABEL_KEYS[f.name])}</span> : null}
                  <code className="text-xs text-slate-500">{f.name}</code>
                  <span className="block text-xs text-slate-500">{f.id}</span>
                </Cell>
                <Cell label={t("jobs.error")} className="sm:min-w-64 break-words text-red-800">{f.error}</Cell>
                <Cell label={t("jobs.retries")} className="tabular-nums">
                  {f.retryCount} / {f.retryLimit}
                </Cell>
                <Cell label={t("jobs.failedAt")} className="whitespace-nowrap">{formatDateTime(f.failedAt, locale)}</Cell>
              </ListRow>
            ))
          )}
        </ListBody>
      </DataList>
    </>
  );
}
