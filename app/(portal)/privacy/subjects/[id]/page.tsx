import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/groups/format";
import { LinkButton } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { ProvisionalBadge } from "@/components/ui/provisional-badge";
import { loadHolidayCoverage } from "@/lib/calendar/coverage";
import { getI18n } from "@/lib/i18n/server";
import { purposeNames } from "@/lib/privacy/purpose-names";
import { currentNotices, getSubject } from "@/lib/privacy/queries";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { ConsentStateBadge, isId, Row } from "../../_components/bits";
import { ConsentForm, RenewForm, RevealIdentifier, WithdrawForm } from "../../_components/forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.subject.title") };
}

// One data subject: identifiers (masked; privacy.reveal shows them whole, audited), every consent
// with its state and a one-step withdrawal, the form to record a consent, and their requests.
export default async function SubjectPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("consents.record", "privacy.read:all");
  const { id } = await params;
  if (!isId(id)) notFound();
  const { t, locale } = await getI18n();
  const client = db();
  const [subject, notices, coverage] = await Promise.all([getSubject(client, id), currentNotices(client), loadHolidayCoverage(client)]);
  if (!subject) notFound();
  const record = actor.permissions.has("consents.record") && !subject.erasedAt;
  const reveal = actor.permissions.has("privacy.reveal");
  return (
    <div className="mx-auto max-w-5xl min-w-0 space-y-4">
      <p className="text-sm">
        <Link href="/privacy" className="text-blue-800 hover:underline">
          ← {t("privacy.back")}
        </Link>
      </p>
      <PageHeader
        title={subject.name}
        description={t(`privacy.subjectKind.${subject.kind}`)}
        actions={
          actor.permissions.has("privacy.manage") ? (
            <LinkButton href={`/privacy/requests/new?subjectId=${subject.id}`} data-testid="request-new">
              {t("privacy.request.new")}
            </LinkButton>
          ) : null
        }
      />
      <Card title={t("privacy.subject.identifiers")}>
        <dl className="divide-y divide-slate-100">
          <Row label={t("privacy.subject.phone")}>{subject.phoneMask ? <RevealIdentifier subjectId={subject.id} field="phone" mask={subject.phoneMask} canReveal={reveal} /> : "—"}</Row>
          <Row label={t("privacy.subject.wecomId")}>{subject.wecomIdMask ? <RevealIdentifier subjectId={subject.id} field="wecomId" mask={subject.wecomIdMask} canReveal={reveal} /> : "—"}</Row>
          <Row label={t("privacy.subject.email")}>{subject.emailMask ? <RevealIdentifier subjectId={subject.id} field="email" mask={subject.emailMask} canReveal={reveal} /> : "—"}</Row>
          {subject.erasedAt ? <Row label={t("privacy.subject.erasedAt")}>{formatDateTime(subject.erasedAt, locale)}</Row> : null}
        </dl>
      </Card>

      <Card title={t("privacy.subject.consents")}>
        <ul className="space-y-3" data-testid="subject-consents">
          {subject.consents.length === 0 ? <li className="text-sm text-slate-600">{t("privacy.subject.noConsents")}</li> : null}
          {subject.consents.map((c) => (
            <li key={c.id} className="space-y-2 rounded-md border border-slate-200 p-3" data-testid="consent-item">
              <div className="flex flex-wrap items-center gap-2">
                <ConsentStateBadge state={c.state} label={t(`privacy.state.${c.state}`)} />
                <span className="text-xs text-slate-600" data-testid="consent-source">{t(`consentPage.source.${c.source}`)}</span>
                <span className="text-sm font-medium">{c.notice ? `${c.notice.title} v${c.notice.noticeVersion}` : "—"}</span>
              </div>
              <dl className="grid gap-x-4 text-sm sm:grid-cols-2">
                <div>
                  <dt className="inline text-slate-600">{t("privacy.consent.purposes")}：</dt>
                  <dd className="inline">{purposeNames(c.purposes, c.notice?.purposes).join(t("common.listSeparator"))}</dd>
                </div>
                <div>
                  <dt className="inline text-slate-600">{t("privacy.consent.separateConsents")}：</dt>
                  <dd className="inline">{c.separateConsents.length ? c.separateConsents.map((s) => t(`privacy.separate.${s}`)).join(t("common.listSeparator")) : "—"}</dd>
                </div>
                <div>
                  <dt className="inline text-slate-600">{t("privacy.consent.channel")}：</dt>
                  <dd className="inline">{c.channel ? t(`privacy.channel.${c.channel}`) : "—"} · {c.method}</dd>
                </div>
                <div>
                  <dt className="inline text-slate-600">{t("privacy.consent.collector")}：</dt>
                  <dd className="inline">{c.collector?.name ?? "—"}</dd>
                </div>
                <div>
                  <dt className="inline text-slate-600">{t("privacy.consent.occurredAt")}：</dt>
                  <dd className="inline">{formatDateTime(c.occurredAt, locale)}</dd>
                </div>
                <div>
                  <dt className="inline text-slate-600">{t("privacy.consent.expiresAt")}：</dt>
                  <dd className="inline">{formatDateTime(c.effectiveExpiresAt, locale)}</dd>
                </div>
                {c.withdrawnAt ? (
                  <div>
                    <dt className="inline text-slate-600">{t("privacy.consent.withdrawnAt")}：</dt>
                    <dd className="inline" data-testid="withdrawn-at">
                      {formatDateTime(c.withdrawnAt, locale)} · {c.withdrawalChannel ? t(`privacy.channel.${c.withdrawalChannel}`) : ""}
                    </dd>
                  </div>
                ) : null}
                {c.subjectMinor ? (
                  <div>
                    <dt className="inline text-slate-600">{t("privacy.consent.guardianName")}：</dt>
                    <dd className="inline">
                      {c.guardianName}（{c.guardianRelation}）
                    </dd>
                  </div>
                ) : null}
              </dl>
              {record && c.state !== "withdrawn" ? (
                <div className="flex flex-wrap gap-4">
                  <WithdrawForm consentId={c.id} />
                  {c.state === "expired" || c.state === "expiring" ? <RenewForm consentId={c.id} /> : null}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </Card>

      {record ? (
        <Card title={t("privacy.consent.record")}>
          <ConsentForm subjectId={subject.id} notices={notices.map((n) => ({ id: n.id, title: n.title, noticeVersion: n.noticeVersion, purposes: n.purposes, categories: n.categories, separateConsents: n.separateConsents }))} />
        </Card>
      ) : null}

      {subject.requests.length > 0 && (actor.permissions.has("privacy.manage") || actor.permissions.has("privacy.read:all")) ? (
        <Card title={t("privacy.requests.title")}>
          <DataList caption={t("privacy.requests.title")}>
            <ListHead>
                <Th>{t("privacy.request.type")}</Th>
                <Th>{t("privacy.request.status")}</Th>
                <Th>{t("privacy.request.dueAt")}</Th>
        </ListHead>
            <ListBody>
              {subject.requests.length === 0 ? <ListEmpty colSpan={3}>—</ListEmpty> : null}
              {subject.requests.map((r) => (
                <ListRow key={r.id}>
                  <Cell kind="title">
                    <Link href={`/privacy/requests/${r.id}`} className="text-blue-800 hover:underline">
                      {t(`privacy.requestType.${r.type}`)}
                    </Link>
                  </Cell>
                  <Cell kind="status">{t(`privacy.requestStatus.${r.status}`)}</Cell>
                  <Cell kind="deadline" label={t("privacy.request.dueAt")}>
                    {formatDateTime(r.dueAt, locale)}
                    <ProvisionalBadge year={coverage.provisionalYear(r.dueAt)} t={t} />
                  </Cell>
                </ListRow>
              ))}
            </ListBody>
          </DataList>
        </Card>
      ) : null}
    </div>
  );
}
