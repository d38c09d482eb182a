import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/groups/format";
import { Alert } from "@/components/ui/alert";
import { LinkButton } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { diffLines } from "@/lib/content/diff";
import { dayKey } from "@/lib/content/media-check";
import { getSubmissionView, type SubmissionView } from "@/lib/content/queries";
import { EDITABLE_STATUSES } from "@/lib/content/schemas";
import { getI18n } from "@/lib/i18n/server";
import { requireActor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, type SearchParams } from "@/lib/url";
import { HighlightedText } from "../_components/highlighted-text";
import { AcceptFindingForm, AuthorActions, ReviewDecisionForm } from "../_components/review-forms";
import { ContentStatusBadge } from "../_components/status-badge";

type Translate = Awaited<ReturnType<typeof getI18n>>["t"];

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("content.title") };
}

function licenceLabel(t: Translate, asset: { licenceType: string; licenceExpiresOn: Date | null }, now: Date) {
  if (asset.licenceType === "NONE") return { text: t("content.licence.missing"), tone: "red" as const };
  if (!asset.licenceExpiresOn) return { text: t("content.licence.perpetual"), tone: "green" as const };
  const date = asset.licenceExpiresOn.toISOString().slice(0, 10);
  if (date < dayKey(now)) return { text: t("content.licence.expired", { date }), tone: "red" as const };
  const days = Math.round((new Date(`${date}T00:00:00Z`).getTime() - new Date(`${dayKey(now)}T00:00:00Z`).getTime()) / 86_400_000);
  return days <= 30 ? { text: t("content.licence.expiring", { date, days }), tone: "amber" as const } : { text: t("content.licence.valid", { date }), tone: "green" as const };
}

function Diff({ before, after, t }: { before: string; after: string; t: Translate }) {
  const lines = diffLines(before, after);
  if (lines.every((l) => l.op === "same")) return <p className="text-sm text-slate-600">{t("content.detail.noChanges")}</p>;
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 font-mono text-xs leading-6" data-testid="revision-diff">
      {lines.map((l, i) => (
        <div key={i} className={l.op === "add" ? "bg-green-50 text-green-900" : l.op === "del" ? "bg-red-50 text-red-900 line-through" : l.op === "change" ? "bg-amber-50" : "text-slate-600"}>
          <span aria-hidden="true" className="inline-block w-5 select-none text-center">
            {l.op === "add" ? "+" : l.op === "del" ? "−" : l.op === "change" ? "~" : " "}
          </span>
          {l.parts ? (
            l.parts.map((p, k) =>
              p.op === "same" ? (
                <span key={k}>{p.text}</span>
              ) : p.op === "add" ? (
                <ins key={k} className="bg-green-200 no-underline">
                  {p.text}
                </ins>
              ) : (
                <del key={k} className="bg-red-200">
                  {p.text}
                </del>
              ),
            )
          ) : (
            <span className="whitespace-pre-wrap">{l.text || " "}</span>
          )}
        </div>
      ))}
    </div>
  );
}

function Findings({ view, t, locale }: { view: SubmissionView; t: Translate; locale: string }) {
  const { revision, canReview, submission } = view;
  const ruleName = (code: string, kind: string) => {
    if (kind === "MEDIA") return t(`content.mediaRule.${code}`);
    const r = view.ruleNames.get(code);
    return r ? (locale === "en" ? r.en : r.zh) : code;
  };
  return (
    <Card title={t("content.detail.findingsTitle", { count: revision.findings.length })}>
      {revision.findings.length === 0 ? (
        <p className="text-sm text-green-800" data-testid="no-findings">
          {t("content.detail.noFindings")}
        </p>
      ) : (
        <ol className="space-y-3" data-testid="findings">
          {revision.findings.map((f) => (
            <li key={f.id} className="rounded-md border border-slate-200 p-3 text-sm" data-testid="finding">
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={f.acceptedById ? "green" : "amber"}>{f.acceptedById ? t("content.detail.accepted") : t("content.detail.open")}</Badge>
                <span className="font-medium">“{f.term}”</span>
                <span className="text-slate-700">{ruleName(f.ruleCode, f.ruleKind)}</span>
                <span className="text-slate-500">{f.article}</span>
              </div>
              {f.acceptedById ? (
                <p className="mt-1 text-slate-700">{t("content.detail.acceptedBy", { name: view.people.get(f.acceptedById)?.name ?? "", at: formatDateTime(f.acceptedAt, locale), reason: f.acceptReason ?? "" })}</p>
              ) : canReview ? (
                <AcceptFindingForm id={submission.id} revision={revision.number} findingId={f.id} />
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

export default async function ContentDetailPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await requireActor();
  const { id } = await params;
  const rev = Number(firstValues(await searchParams).rev) || undefined;
  const { t, locale } = await getI18n();
  const view = await getSubmissionView(actor, db(), id, rev);
  if (!view) notFound();
  const { submission: s, revision, previous } = view;
  const now = new Date();
  const hits = revision.findings.flatMap((f) => (f.startOffset !== null && f.endOffset !== null ? [{ start: f.startOffset, end: f.endOffset, id: f.id, label: f.article }] : []));
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/content" className="text-blue-800 hover:underline">
          ← {t("content.back")}
        </Link>
      </p>
      <PageHeader
        title={revision.title}
        description={`${t(`content.kind.${s.kind}`)} · ${s.accountName} · ${t("content.fields.plannedAt")} ${formatDateTime(s.plannedAt, locale)}`}
        actions={
          <>
            <ContentStatusBadge status={s.status} label={t(`content.status.${s.status}`)} />
            {view.request ? (
              <LinkButton href={`/approvals/${view.request.id}`} data-testid="content-request-link">
                {t("content.detail.viewRequest")}
              </LinkButton>
            ) : null}
          </>
        }
      />
      {!view.isCurrent ? (
        <Alert tone="info">
          {t("content.detail.viewingOld", { n: revision.number, current: s.currentRevision })}{" "}
          <Link href={`/content/${s.id}`} className="underline">
            {t("content.detail.viewCurrent")}
          </Link>
        </Alert>
      ) : null}
      {s.status === "CHANGES_REQUESTED" && view.isCurrent && view.revisions[0]?.sentBackAt ? (
        <Alert tone="warning">
          {t("content.detail.sentBack", {
            name: view.people.get(view.revisions[0].sentBackById ?? "")?.name ?? "",
            at: formatDateTime(view.revisions[0].sentBackAt, locale),
            comment: view.revisions[0].sentBackComment ?? "",
          })}
        </Alert>
      ) : null}
      {view.publication ? (
        <Alert tone="success">
          <span data-testid="content-published">{t("content.detail.published", { at: formatDateTime(view.publication.approvedAt, locale) })}</span>
        </Alert>
      ) : null}

      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <Card title={t("content.detail.preview")}>
            <HighlightedText text={revision.body} hits={hits} testId="content-body" />
          </Card>
          <Findings view={view} t={t} locale={locale} />
          {previous ? (
            <Card title={t("content.detail.changes", { n: previous.number })}>
              <Diff before={previous.body} after={revision.body} t={t} />
            </Card>
          ) : null}
        </div>
        <div className="space-y-4">
          {view.canReview ? (
            <Card title={t("content.detail.reviewTitle")}>
              <p className="mb-2 text-sm text-slate-700">{t("content.detail.reviewHint", { position: view.pendingStep!.position })}</p>
              {view.isLastStep && revision.findings.some((f) => !f.acceptedById) ? <p className="mb-2 text-sm text-amber-900">{t("content.detail.openFindingsNote")}</p> : null}
              <ReviewDecisionForm id={s.id} revision={revision.number} />
            </Card>
          ) : null}
          {view.isAuthor && view.isCurrent && s.status !== "PUBLISHED" && s.status !== "WITHDRAWN" ? (
            <Card title={t("content.detail.actions")}>
              <div className="space-y-2">
                {EDITABLE_STATUSES.includes(s.status) ? (
                  <LinkButton href={`/content/${s.id}/edit`} data-testid="content-edit">
                    {t("content.detail.edit")}
                  </LinkButton>
                ) : null}
                <AuthorActions id={s.id} version={s.version} status={s.status} />
              </div>
            </Card>
          ) : null}
          <Card title={t("content.fields.media")}>
            {revision.media.length === 0 ? (
              <p className="text-sm text-slate-600">{t("content.detail.noMedia")}</p>
            ) : (
              <ul className="space-y-2 text-sm">
                {revision.media.map((m) => {
                  const l = licenceLabel(t, m.asset, now);
                  return (
                    <li key={m.assetId} className="flex flex-wrap items-center gap-2">
                      <Link href={`/content/media/${m.assetId}`} className="text-blue-800 hover:underline">
                        {m.asset.name}
                      </Link>
                      <span className="text-slate-500">{t(`content.mediaKind.${m.asset.kind}`)}</span>
                      <Badge tone={l.tone}>{l.text}</Badge>
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>
          <Card title={t("content.detail.revisions")}>
            <ol className="space-y-3 text-sm" data-testid="revisions">
              {view.revisions.map((r) => (
                <li key={r.id} data-testid="revision">
                  <Link href={r.number === s.currentRevision ? `/content/${s.id}` : `/content/${s.id}?rev=${r.number}`} className="font-medium text-blue-800 hover:underline" aria-current={r.number === revision.number ? "page" : undefined}>
                    {t("content.detail.revisionN", { n: r.number })}
                  </Link>
                  {r.number === s.currentRevision ? <span className="ml-2 text-xs text-slate-500">({t("content.detail.current")})</span> : null}
                  <span className="ml-2 text-xs text-slate-500">{formatDateTime(r.createdAt, locale)}</span>
                  {r.note ? <p className="text-slate-700">{r.note}</p> : null}
                  {r.sentBackAt ? (
                    <p className="mt-1 rounded bg-amber-50 p-2 text-amber-900" data-testid="sent-back">
                      {t("content.detail.sentBack", { name: view.people.get(r.sentBackById ?? "")?.name ?? "", at: formatDateTime(r.sentBackAt, locale), comment: r.sentBackComment ?? "" })}
                    </p>
                  ) : null}
                </li>
              ))}
            </ol>
          </Card>
        </div>
      </div>
    </>
  );
}
