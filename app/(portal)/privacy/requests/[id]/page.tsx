import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/groups/format";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { ProvisionalBadge } from "@/components/ui/provisional-badge";
import { loadHolidayCoverage } from "@/lib/calendar/coverage";
import { getI18n } from "@/lib/i18n/server";
import { getRequest } from "@/lib/privacy/queries";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { isId, Row } from "../../_components/bits";
import { RequestActions } from "../../_components/forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.requests.title") };
}

type Erasure = { held: { key: string; count: number }[]; erased: string[]; anonymised: string[]; kept: { key: string; basis: string }[] };

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("privacy.manage", "privacy.read:all");
  const { id } = await params;
  if (!isId(id)) notFound();
  const { t, locale } = await getI18n();
  const r = await getRequest(db(), id);
  if (!r) notFound();
  const now = new Date();
  const coverage = await loadHolidayCoverage(db());
  const open = r.status === "RECEIVED" || r.status === "VERIFIED";
  const onTime = r.closedAt ? r.closedAt <= r.dueAt : null;
  const person = (pid: string | null) => (pid ? (r.people.get(pid)?.name ?? "—") : "—");
  const erasure = r.erasure as Erasure | null;
  return (
    <div className="mx-auto max-w-4xl min-w-0 space-y-4">
      <p className="text-sm">
        <Link href="/privacy/requests" className="text-blue-800 hover:underline">
          ← {t("privacy.requests.title")}
        </Link>
      </p>
      <PageHeader
        title={`${t(`privacy.requestType.${r.type}`)} · ${r.subject.name}`}
        actions={
          <>
            <Badge tone={open ? "amber" : r.status === "COMPLETED" ? "green" : "slate"}>
              <span data-testid="request-status">{t(`privacy.requestStatus.${r.status}`)}</span>
            </Badge>
            {open && r.dueAt < now ? <Badge tone="red">{t("privacy.request.overdue")}</Badge> : null}
            {onTime !== null ? (
              <Badge tone={onTime ? "green" : "red"}>
                <span data-testid="request-on-time">{onTime ? t("privacy.request.onTime") : t("privacy.request.late")}</span>
              </Badge>
            ) : null}
          </>
        }
      />
      <Card>
        <dl className="divide-y divide-slate-100">
          <Row label={t("privacy.request.subject")}>
            <Link href={`/privacy/subjects/${r.subject.id}`} className="text-blue-800 hover:underline">
              {r.subject.name}
            </Link>
          </Row>
          <Row label={t("privacy.request.receivedAt")}>{formatDateTime(r.receivedAt, locale)}</Row>
          <Row label={t("privacy.request.dueAt")}>
            <span data-testid="request-due">{formatDateTime(r.dueAt, locale)}</span>
            <ProvisionalBadge year={coverage.provisionalYear(r.dueAt)} t={t} /> <span className="text-xs text-slate-500">{t("privacy.request.dueRule")}</span>
          </Row>
          <Row label={t("privacy.request.channel")}>{r.channel ? t(`privacy.channel.${r.channel}`) : "—"}</Row>
          <Row label={t("privacy.request.details")}>{r.details ?? "—"}</Row>
          <Row label={t("privacy.request.assignee")}>{person(r.assigneeId)}</Row>
          <Row label={t("privacy.request.identityMethod")}>{r.identityMethod ? `${r.identityMethod} · ${person(r.identityVerifiedById)} · ${formatDateTime(r.identityVerifiedAt, locale)}` : "—"}</Row>
          {r.resolution ? <Row label={t("privacy.request.resolution")}>{r.resolution}</Row> : null}
          {r.refusalReason ? <Row label={t("privacy.request.refusalReason")}>{r.refusalReason}</Row> : null}
          {r.closedAt ? <Row label={t("privacy.request.closedAt")}>{`${formatDateTime(r.closedAt, locale)} · ${person(r.closedById)}`}</Row> : null}
        </dl>
      </Card>
      {r.inventory ? (
        <Card title={t("privacy.request.inventory")}>
          <ul className="list-disc pl-5 text-sm" data-testid="request-inventory">
            {r.inventory.map((i) => (
              <li key={i.key}>
                {t(`privacy.inventory.${i.key}`)}：{i.detail ?? i.count}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {erasure ? (
        <Card title={t("privacy.request.erasureRecord")}>
          <dl className="divide-y divide-slate-100" data-testid="erasure-record">
            <Row label={t("privacy.erasure.erased")}>{erasure.erased.map((k) => t(`privacy.inventory.${k}`)).join(t("common.listSeparator")) || "—"}</Row>
            <Row label={t("privacy.erasure.anonymised")}>{erasure.anonymised.map((k) => t(`privacy.inventory.${k}`)).join(t("common.listSeparator")) || "—"}</Row>
            <Row label={t("privacy.erasure.kept")}>
              <ul>
                {erasure.kept.map((k) => (
                  <li key={k.key}>
                    {t(`privacy.inventory.${k.key}`)} — {t(k.basis)}
                  </li>
                ))}
              </ul>
            </Row>
          </dl>
        </Card>
      ) : null}
      {open && actor.permissions.has("privacy.manage") ? (
        <Card title={t("privacy.request.handle")}>
          <RequestActions id={r.id} version={r.version} status={r.status} type={r.type} inventory={r.inventory} />
        </Card>
      ) : null}
    </div>
  );
}
