import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/groups/format";
import { LinkButton } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { getNotice } from "@/lib/privacy/queries";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { isId, Row } from "../../_components/bits";
import { NoticeForm, NoticeStateForm } from "../../_components/forms";
import { noticeFormValues } from "../form-values";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.notices.title") };
}

export default async function NoticePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("consents.record", "privacy.manage", "privacy.read:all");
  const { id } = await params;
  if (!isId(id)) notFound();
  const { t, locale } = await getI18n();
  const n = await getNotice(db(), id);
  if (!n) notFound();
  const manage = actor.permissions.has("privacy.manage");
  // Employees see published versions only.
  if (n.status === "DRAFT" && !manage && !actor.permissions.has("privacy.read:all")) notFound();
  const none = "—";
  return (
    <div className="mx-auto max-w-4xl min-w-0 space-y-4">
      <p className="text-sm">
        <Link href={manage || actor.permissions.has("privacy.read:all") ? "/privacy/notices" : "/privacy"} className="text-blue-800 hover:underline">
          ← {t("privacy.back")}
        </Link>
      </p>
      <PageHeader
        title={`${n.title} v${n.noticeVersion}`}
        description={n.noticeKey}
        actions={
          <>
            <Badge tone={n.status === "PUBLISHED" ? "green" : n.status === "DRAFT" ? "amber" : "slate"}>
              <span data-testid="notice-status">{t(`privacy.noticeStatus.${n.status}`)}</span>
            </Badge>
            {manage && n.status !== "DRAFT" ? <LinkButton href={`/privacy/notices/new?from=${n.id}`}>{t("privacy.notice.newVersion")}</LinkButton> : null}
          </>
        }
      />
      <Card title={t("privacy.notice.contents")}>
        <dl className="divide-y divide-slate-100">
          <Row label={t("privacy.notice.processorName")}>{n.processorName ?? none}</Row>
          <Row label={t("privacy.notice.processorContact")}>{n.processorContact ?? none}</Row>
          <Row label={t("privacy.notice.purposes")}>
            <ul>
              {n.purposes.map((p) => (
                <li key={p.code}>
                  <span className="font-mono">{p.code}</span> — {p.description}
                </li>
              ))}
            </ul>
          </Row>
          <Row label={t("privacy.notice.methods")}>{n.methods ?? none}</Row>
          <Row label={t("privacy.notice.categories")}>
            <ul>
              {n.categories.map((c) => (
                <li key={c.code}>
                  <span className="font-mono">{c.code}</span> — {c.name}
                  {c.sensitive ? <Badge tone="red">{t("privacy.notice.sensitive")}</Badge> : null}
                </li>
              ))}
            </ul>
          </Row>
          <Row label={t("privacy.notice.retentionDays")}>{n.retentionDays ?? none}</Row>
          <Row label={t("privacy.notice.rightsText")}>{n.rightsText ?? none}</Row>
          <Row label={t("privacy.notice.separateConsents")}>{n.separateConsents.length ? n.separateConsents.map((s) => t(`privacy.separate.${s}`)).join(t("common.listSeparator")) : none}</Row>
          <Row label={t("privacy.notice.publishedAt")}>{formatDateTime(n.publishedAt, locale)}</Row>
          {n.retiredAt ? <Row label={t("privacy.notice.retiredAt")}>{formatDateTime(n.retiredAt, locale)}</Row> : null}
          <Row label={t("privacy.notice.consents")}>{n.consents}</Row>
        </dl>
      </Card>
      {manage && n.status === "DRAFT" ? (
        <>
          <Card title={t("privacy.notice.publish")}>
            <p className="mb-3 text-sm text-slate-600">{t("privacy.notice.publishHint")}</p>
            <NoticeStateForm id={n.id} version={n.version} mode="publish" />
          </Card>
          <Card title={t("privacy.notice.editDraft")}>
            <NoticeForm values={noticeFormValues(n)} draft={{ id: n.id, version: n.version }} />
          </Card>
        </>
      ) : null}
      {manage && n.status === "PUBLISHED" ? (
        <Card title={t("privacy.notice.retire")}>
          <p className="mb-3 text-sm text-slate-600">{t("privacy.notice.retireHint")}</p>
          <NoticeStateForm id={n.id} version={n.version} mode="retire" />
        </Card>
      ) : null}
    </div>
  );
}
