import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { DecisionForm, WithdrawForm } from "@/components/approvals/decision-forms";
import { formatDateTime, REQUEST_STATUS_TONE } from "@/components/approvals/format";
import { PayloadSummary } from "@/components/approvals/payload-summary";
import { RequestTimeline } from "@/components/approvals/request-timeline";
import { Alert } from "@/components/ui/alert";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { getRequestDetail } from "@/lib/approvals/queries";
import { getI18n } from "@/lib/i18n/server";
import { requireActor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import type { SearchParams } from "@/lib/url";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("approvals.title") };
}

const DONE = { approved: "approvals.decide.approved", rejected: "approvals.decide.rejected", withdrawn: "approvals.decide.withdrawn" } as const;

export default async function ApprovalRequestPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await requireActor();
  const { id } = await params;
  const { done } = await searchParams;
  const { t, locale } = await getI18n();
  // Neither the requester, nor an approver of one of its steps, nor holder of approvals.read:all:
  // the request does not exist for them.
  const request = await getRequestDetail(db(), actor, id);
  if (!request) notFound();

  const time = (d: Date) => formatDateTime(locale, request.timeZone, d);
  const decidable = request.steps.filter((s) => s.canDecide);
  const doneKey = typeof done === "string" && done in DONE ? DONE[done as keyof typeof DONE] : null;
  const colon = locale.startsWith("zh") ? "：" : ": ";
  const facts: [string, ReactNode][] = [
    [t("approvals.detail.type"), t(`approvals.types.${request.type}`)],
    [t("approvals.detail.status"), <Badge key="s" tone={REQUEST_STATUS_TONE[request.status]}>{t(`approvals.requestStatus.${request.status}`)}</Badge>],
    [t("approvals.detail.requester"), locale.startsWith("zh") ? `${request.requester.name}（${request.requester.employeeNo}）` : `${request.requester.name} (${request.requester.employeeNo})`],
    [t("approvals.detail.submitted"), time(request.submittedAt)],
    ...(request.closedAt ? ([[t("approvals.detail.closed"), time(request.closedAt)]] as [string, string][]) : []),
  ];

  // Only one decision form on a page: its buttons are the phone's bottom bar.
  const deciding = decidable[0];

  // The request's content first (what is asked), then who asked and when, then deciding; the
  // timeline below. On a phone main leaves room at the bottom for the decision bar and the tab bar
  // (--wg-bottom-bars in app/globals.css), so the page needs no padding of its own.
  return (
    <div className="space-y-4">
      <Link href="/approvals" className="inline-block text-sm text-blue-800 hover:underline">
        ← {t("approvals.detail.back")}
      </Link>
      <PageHeader title={<span className="break-words">{request.title}</span>} />
      {doneKey ? <Alert tone="success">{t(doneKey)}</Alert> : null}

      <Card title={t("approvals.detail.summary")}>
        <PayloadSummary payload={request.payload} t={t} />
      </Card>

      <Card>
        <dl className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-2" data-testid="request-facts">
          {facts.map(([label, value]) => (
            <div key={label} className="flex flex-wrap gap-x-1">
              <dt className="font-medium text-slate-600">
                {label}
                {colon}
              </dt>
              <dd className="break-words text-slate-900">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>

      {deciding ? (
        <Card title={t("approvals.decide.title")} className="border-blue-300">
          <DecisionForm requestId={request.id} stepId={deciding.id} version={request.version} title={request.title} />
        </Card>
      ) : null}

      <Card title={t("approvals.detail.timeline")}>
        <p className="mb-4 text-xs text-slate-500">{t("approvals.detail.timelineHint", { days: request.overdueWorkingDays })}</p>
        <RequestTimeline steps={request.steps} t={t} locale={locale} timeZone={request.timeZone} />
      </Card>

      {request.canWithdraw ? (
        <Card title={t("approvals.decide.withdrawTitle")}>
          <WithdrawForm requestId={request.id} title={request.title} />
        </Card>
      ) : null}
    </div>
  );
}
