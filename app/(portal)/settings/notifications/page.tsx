import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDateTime } from "@/components/groups/format";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { deliveryLog, DELIVERY_STATUSES } from "@/lib/notifications/queries";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { loadSmtpView } from "@/lib/notifications/commands";
import { RemoveRobotButton, RobotForm } from "./robot-forms";
import { RemoveSmtpButton, SmtpForm, SmtpTestForm } from "./smtp-forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("notifications.log.title") };
}

const TONE = { PENDING: "amber", SENDING: "blue", SENT: "green", FAILED: "red", SKIPPED: "slate", UNCERTAIN: "amber" } as const;

// ADMIN: the delivery log (newest 200, by status) and the departments' group robots.
export default async function NotificationDeliveryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePagePermission("wecom.configure");
  const { t, locale } = await getI18n();
  const sp = await searchParams;
  const status = typeof sp.status === "string" && (DELIVERY_STATUSES as readonly string[]).includes(sp.status) ? (sp.status as (typeof DELIVERY_STATUSES)[number]) : null;
  const client = db();
  const [rows, robots, departments, smtp, me] = await Promise.all([
    deliveryLog(client, { status, take: 200 }),
    client.notificationRobot.findMany({ orderBy: { createdAt: "asc" } }),
    client.department.findMany({ orderBy: { path: "asc" }, select: { id: true, name: true, depth: true }, take: 2000 }),
    loadSmtpView(client),
    client.employee.findUnique({ where: { id: actor.id }, select: { email: true } }),
  ]);
  const smtpSource = smtp ? "portal" : process.env.SMTP_URL ? "env" : "none";
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  return (
    <div className="min-w-0 space-y-6">
      <PageHeader title={t("notifications.log.title")} description={t("notifications.log.intro")} />
      <nav aria-label={t("notifications.log.filterStatus")} className="flex flex-wrap gap-2 text-sm">
        {[null, ...DELIVERY_STATUSES].map((s) => (
          <Link key={s ?? "all"} href={s ? `/settings/notifications?status=${s}` : "/settings/notifications"} aria-current={s === status ? "page" : undefined} className={`rounded px-2 py-1 ${s === status ? "bg-blue-100 text-blue-900" : "text-blue-800 hover:underline"}`}>
            {s ? t(`notifications.log.statuses.${s}`) : t("notifications.log.all")}
          </Link>
        ))}
      </nav>
      <DataList caption={t("notifications.log.title")}>
          <ListHead>
              <Th>{t("notifications.log.time")}</Th>
              <Th>{t("notifications.log.channel")}</Th>
              <Th>{t("notifications.log.recipient")}</Th>
              <Th>{t("notifications.log.kind")}</Th>
              <Th>{t("notifications.log.status")}</Th>
              <Th>{t("notifications.log.attempts")}</Th>
              <Th>{t("notifications.log.detail")}</Th>
        </ListHead>
          <ListBody data-testid="delivery-log">
            {rows.length === 0 ? <ListEmpty colSpan={7}>{t("notifications.log.empty")}</ListEmpty> : null}
            {rows.map((r) => (
              <ListRow key={r.id}>
                <Cell label={t("notifications.log.time")} className="whitespace-nowrap">{formatDateTime(r.sentAt ?? r.createdAt, locale)}</Cell>
                <Cell label={t("notifications.log.channel")}>{t(`notifications.channels.${r.channel}`)}</Cell>
                <Cell kind="title">{r.recipientName ?? r.target ?? "—"}</Cell>
                <Cell label={t("notifications.log.kind")} className="break-all">{r.kind}</Cell>
                <Cell kind="status">
                  <Badge tone={TONE[r.status]}>{t(`notifications.log.statuses.${r.status}`)}</Badge>
                </Cell>
                <Cell label={t("notifications.log.attempts")}>{r.attempts}</Cell>
                <Cell label={t("notifications.log.detail")} className="break-all text-xs text-slate-600">
                  {r.detail ?? ""}
                  {r.status === "UNCERTAIN" && r.providerId ? ` · Message-ID ${r.providerId}` : ""}
                </Cell>
              </ListRow>
            ))}
          </ListBody>
        </DataList>
      <Card title={t("notifications.smtp.title")}>
        <div className="space-y-4" data-testid="smtp-settings">
          <p className="text-sm text-slate-600">{t("notifications.smtp.intro")}</p>
          <p className="text-sm font-medium">{t(`notifications.smtp.source.${smtpSource}`)}</p>
          <SmtpForm view={smtp} />
          {smtpSource !== "none" ? <SmtpTestForm defaultTo={me?.email ?? ""} /> : null}
          {smtp ? <RemoveSmtpButton /> : null}
        </div>
      </Card>
      <Card title={t("notifications.robots.title")}>
        <p className="mb-4 text-sm text-slate-600">{t("notifications.robots.intro")}</p>
        <ul className="mb-4 space-y-2" data-testid="robots">
          {robots.length === 0 ? <li className="text-sm text-slate-500">{t("notifications.robots.empty")}</li> : null}
          {robots.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium">{r.name}</span>
              <span className="text-slate-600">{deptName.get(r.scopeId) ?? r.scopeId}</span>
              <span className="text-slate-500">{t("notifications.robots.keySet", { last4: r.keyLast4 })}</span>
              <span className="text-slate-500">{r.kinds.map((k) => t(`notifications.categories.${k}`)).join(t("common.listSeparator")) || t("notifications.log.all")}</span>
              <RemoveRobotButton robotId={r.id} />
            </li>
          ))}
        </ul>
        <RobotForm departments={departments.map((d) => ({ value: d.id, label: `${"　".repeat(Math.max(0, d.depth))}${d.name}` }))} />
      </Card>
    </div>
  );
}
