import type { Metadata } from "next";
import { headers } from "next/headers";
import { formatDateTime } from "@/components/groups/format";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { EmptyRow, Table, Td, Th } from "@/components/ui/table";
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
    <Table caption={caption}>
      <thead>
        <tr>
          <Th>{t("wecom.calls.at")}</Th>
          <Th>{t("wecom.calls.app")}</Th>
          <Th>{t("wecom.calls.path")}</Th>
          <Th>{t("wecom.calls.errcode")}</Th>
          <Th>{t("wecom.calls.result")}</Th>
          <Th>{t("wecom.calls.duration")}</Th>
          <Th>{t("wecom.calls.retries")}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100" data-testid={testId}>
        {rows.length === 0 ? <EmptyRow colSpan={7}>{t("wecom.calls.empty")}</EmptyRow> : null}
        {rows.map((c) => (
          <tr key={String(c.id)}>
            <Td className="whitespace-nowrap">{formatDateTime(c.at, locale)}</Td>
            <Td>{c.app === "contacts" || c.app === "customers" || c.app === "archive" ? t(`wecom.settings.app.${c.app}`) : c.app}</Td>
            <Td className="font-mono">
              {c.method} {c.path}
            </Td>
            <Td className="tabular-nums">{c.errcode ?? "—"}</Td>
            <Td>{c.errcode === 0 && !c.failure ? <Badge tone="green">{resultOf(c)}</Badge> : <span className="text-red-800">{resultOf(c)}</span>}</Td>
            <Td className="tabular-nums">{c.durationMs}</Td>
            <Td className="tabular-nums">{c.retries}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
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
