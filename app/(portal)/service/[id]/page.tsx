import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/groups/format";
import { Alert } from "@/components/ui/alert";
import { LinkButton } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { ProvisionalBadge } from "@/components/ui/provisional-badge";
import { formatMinutes } from "@/lib/i18n/format";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { assigneeOptions, getCase } from "@/lib/service/queries";
import type { TargetView } from "@/lib/service/sla";
import { id as idSchema } from "@/lib/validation";
import { SlaBadge, timeLeftText } from "../_components/display";
import { CaseActions } from "../_components/forms";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("service.title") };
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-2 py-1.5 text-sm">
      <dt className="text-slate-600">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900">{children}</dd>
    </div>
  );
}

export default async function ServiceCasePage({ params }: Props) {
  const actor = await requirePagePermission("service.work", "service.read:department", "service.read:all");
  const { t, locale } = await getI18n();
  const { id } = await params;
  if (!idSchema.safeParse(id).success) notFound();
  const client = db();
  const c = await getCase(actor, client, id, new Date());
  if (!c) notFound();
  const assignees = c.abilities.assign ? (await assigneeOptions(client, c.teamId)).filter((o) => o.value !== c.assigneeId) : [];
  const paused = c.status === "WAITING_CUSTOMER";
  const target = (view: TargetView, minutes: number, dueLabel: string, doneLabel: string, testId: string) => (
    <div className="rounded-md border border-slate-200 p-3" data-testid={testId}>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <span className="text-sm font-medium text-slate-900">{t(`service.target.${view.target}`)}</span>
        <SlaBadge state={view.state} t={t} />
      </div>
      <dl>
        <Row label={dueLabel}>
          {formatDateTime(view.dueAt, locale)}
          <ProvisionalBadge year={view.provisionalYear} t={t} />
        </Row>
        <Row label={doneLabel}>{formatDateTime(view.doneAt, locale)}</Row>
        <Row label={t("service.fields.timeLeft")}>{timeLeftText(view, t, paused, minutes)}</Row>
      </dl>
    </div>
  );

  return (
    <>
      <PageHeader
        title={c.title}
        description={`${t(`service.caseType.${c.caseType}`)} · ${t(`service.priority.${c.priority}`)} · ${t(`service.channel.${c.channel}`)} · ${t(`service.status.${c.status}`)}`}
        actions={<LinkButton href="/service">{t("service.title")}</LinkButton>}
      />
      {paused ? (
        <div className="mb-4">
          <Alert tone="info">{t("service.detail.paused")}</Alert>
        </div>
      ) : null}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-4">
          <Card title={t("service.detail.targets")} actions={<SlaBadge state={c.sla.state} t={t} />}>
            <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
              {target(c.sla.firstResponse, c.firstResponseMinutes, t("service.fields.firstResponseDue"), t("service.fields.firstResponseAt"), "target-first-response")}
              {target(c.sla.resolution, c.resolutionMinutes, t("service.fields.resolutionDue"), t("service.fields.resolvedAt"), "target-resolution")}
            </div>
            <p className="mt-3 text-xs text-slate-600">
              {t("common.labelled", { label: t("service.fields.policy"), value: c.policyName })} · {t(`service.clock.${c.clock}`)} · {t("common.labelled", { label: t("service.report.legendFr"), value: formatMinutes(c.firstResponseMinutes, locale) })} · {t("common.labelled", { label: t("service.report.legendRes"), value: formatMinutes(c.resolutionMinutes, locale) })}
            </p>
          </Card>
          <Card title={t("service.detail.customer")}>
            <dl>
              <Row label={t("service.fields.customerName")}>{c.customerName}</Row>
              <Row label={t("service.fields.customerRef")}>{c.customerRef ?? t("service.none")}</Row>
              <Row label={t("service.fields.team")}>{c.team?.name ?? t("service.none")}</Row>
              <Row label={t("service.fields.assignee")}>
                <span data-testid="case-assignee">{c.assignee?.name ?? t("service.unassigned")}</span>
              </Row>
              <Row label={t("service.fields.receivedAt")}>{formatDateTime(c.receivedAt, locale)}</Row>
              <Row label={t("service.fields.createdBy")}>{c.createdBy?.name ?? t("service.none")}</Row>
              {c.description ? <Row label={t("service.fields.description")}>{c.description}</Row> : null}
              {c.resolution ? <Row label={t("service.fields.resolution")}>{c.resolution}</Row> : null}
              {c.closure ? (
                <Row label={t("service.fields.closure")}>
                  <span data-testid="case-closure">
                    <Badge tone="green">{t(`service.closure.${c.closure}`)}</Badge> {formatDateTime(c.closedAt, locale)}
                    {c.confirmationNote ? ` · ${c.confirmationNote}` : ""}
                    {c.followUpNote ? ` · ${c.followUpNote}` : ""}
                  </span>
                </Row>
              ) : null}
            </dl>
          </Card>
          <Card title={t("service.fields.escalations")}>
            {c.escalations.length === 0 ? (
              <p className="text-sm text-slate-600">{t("service.detail.noEscalations")}</p>
            ) : (
              <ul className="space-y-1 text-sm" data-testid="case-escalations">
                {c.escalations.map((e) => (
                  <li key={e.id}>{t("service.detail.escalated", { at: formatDateTime(e.escalatedAt, locale), recipients: e.recipients.join(t("common.listSeparator")) || t("service.none"), target: t(`service.target.${e.target}`) })}</li>
                ))}
              </ul>
            )}
          </Card>
          <Card title={t("service.fields.pauses")}>
            {c.pauses.length === 0 ? (
              <p className="text-sm text-slate-600">{t("service.detail.noPauses")}</p>
            ) : (
              <ul className="space-y-1 text-sm">
                {c.pauses.map((p) => (
                  <li key={p.id}>{t("service.detail.pauseRow", { from: formatDateTime(p.pausedAt, locale), to: p.resumedAt ? formatDateTime(p.resumedAt, locale) : t("service.detail.stillPaused") })}</li>
                ))}
              </ul>
            )}
          </Card>
          <Card title={t("service.fields.history")}>
            <ol className="space-y-1 text-sm">
              {c.history.map((h) => (
                <li key={h.id} className="flex flex-wrap gap-x-2">
                  <span className="text-slate-500">{formatDateTime(h.createdAt, locale)}</span>
                  <span className="font-mono text-xs text-slate-700">{h.action}</span>
                  <span>{h.actorName ?? h.actorLabel}</span>
                </li>
              ))}
            </ol>
          </Card>
        </div>
        <div className="min-w-0">
          {Object.values(c.abilities).some(Boolean) ? (
            <Card title={t("service.actions.working")}>
              <CaseActions id={c.id} version={c.version} caseType={c.caseType} abilities={c.abilities} me={actor.id} assignees={assignees} />
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}
