import type { Metadata } from "next";
import { headers } from "next/headers";
import { formatDateTime } from "@/components/groups/format";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { recentCalls } from "@/lib/wecom/call-log";
import { explainErrcode } from "@/lib/wecom/errors";
import { loadSettingsView } from "@/lib/wecom/settings";
import { loadSyncView } from "@/lib/wecom/sync/view";
import { SyncPanel } from "./sync-panel";
import { TestConnectionForm, WeComSettingsForm } from "./wecom-forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("wecom.settings.title") };
}

type CallRow = Awaited<ReturnType<typeof recentCalls>>[number];

// ADMIN: the WeCom connection (secrets write-only), the connection test, and the API call record.
export default async function WeComSettingsPage() {
  await requirePagePermission("wecom.configure");
  const { t, locale } = await getI18n();
  const client = db();
  const [view, calls, errors, sync] = await Promise.all([loadSettingsView(client), recentCalls(client, { take: 30 }), recentCalls(client, { take: 30, errorsOnly: true }), loadSyncView(client)]);
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto = h.get("x-forwarded-proto") ?? "http";
  const zh = locale.startsWith("zh");
  const resultOf = (c: CallRow) => {
    if (c.failure) return c.failure;
    if (c.errcode === 0) return t("wecom.settings.ok");
    const e = explainErrcode(c.errcode ?? -1);
    return zh ? e.zh : e.en;
  };
  const table = (rows: CallRow[], caption: string, testId: string) => (
    <DataList caption={caption}>
      <ListHead>
          <Th>{t("wecom.calls.at")}</Th>
          <Th>{t("wecom.calls.app")}</Th>
          <Th>{t("wecom.calls.path")}</Th>
          <Th>{t("wecom.calls.errcode")}</Th>
          <Th>{t("wecom.calls.result")}</Th>
          <Th>{t("wecom.calls.duration")}</Th>
          <Th>{t("wecom.calls.retries")}</Th>
        </ListHead>
      <ListBody data-testid={testId}>
        {rows.length === 0 ? <ListEmpty colSpan={7}>{t("wecom.calls.empty")}</ListEmpty> : null}
        {rows.map((c) => (
          <ListRow key={String(c.id)}>
            <Cell label={t("wecom.calls.at")} className="whitespace-nowrap">{formatDateTime(c.at, locale)}</Cell>
            <Cell label={t("wecom.calls.app")}>{c.app === "contacts" || c.app === "customers" || c.app === "archive" ? t(`wecom.settings.app.${c.app}`) : c.app}</Cell>
            <Cell kind="title" className="font-mono">
              {c.method} {c.path}
            </Cell>
            <Cell label={t("wecom.calls.errcode")} className="tabular-nums">{c.errcode ?? "—"}</Cell>
            <Cell kind="status">{c.errcode === 0 && !c.failure ? <Badge tone="green">{resultOf(c)}</Badge> : <span className="text-red-800">{resultOf(c)}</span>}</Cell>
            <Cell label={t("wecom.calls.duration")} className="tabular-nums">{c.durationMs}</Cell>
            <Cell label={t("wecom.calls.retries")} className="tabular-nums">{c.retries}</Cell>
          </ListRow>
        ))}
      </ListBody>
    </DataList>
  );
  return (
    <div className="mx-auto max-w-5xl min-w-0 space-y-4">
      <PageHeader title={t("wecom.settings.title")} description={t("wecom.settings.description")} />
      <Card title={t("wecom.settings.connection")}>
        <p className="mb-4 text-sm text-slate-600">{t("wecom.settings.callbackUrl", { url: `${proto}://${host}/api/wecom/callback` })}</p>
        <WeComSettingsForm view={view} />
      </Card>
      <Card title={t("wecom.settings.testTitle")}>
        <TestConnectionForm />
      </Card>
      <Card title={t("wecom.sync.title")}>
        <SyncPanel initial={sync} />
      </Card>
      <Card title={t("wecom.calls.errorsTitle")}>{table(errors, t("wecom.calls.errorsTitle"), "wecom-call-errors")}</Card>
      <Card title={t("wecom.calls.title")}>{table(calls, t("wecom.calls.title"), "wecom-calls")}</Card>
    </div>
  );
}
