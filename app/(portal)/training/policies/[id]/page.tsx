import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { formatDate, formatDateTime } from "@/components/groups/format";
import { Alert } from "@/components/ui/alert";
import { LinkButton } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { policyVersionForReading } from "@/lib/training/queries";
import { id as idSchema } from "@/lib/validation";
import { AcknowledgeForm } from "../../_components/forms";
import { Markup } from "../../_components/markup";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("training.title") };
}

// A policy version to read and acknowledge (who, which version, when is recorded).
export default async function PolicyPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("training.take");
  const { t, locale } = await getI18n();
  const { id } = await params;
  if (!idSchema.safeParse(id).success) notFound();
  const data = await policyVersionForReading(actor, db(), id);
  if (!data) notFound();
  const { version, document, ack, isCurrent } = data;
  const current = isCurrent ? null : await db().policyVersion.findFirst({ where: { documentId: document.id, versionNo: document.currentVersionNo ?? -1 }, select: { id: true } });
  return (
    <>
      <PageHeader
        title={locale === "en" ? document.titleEn : document.titleZh}
        description={t("training.policy.published", { version: version.versionNo, date: formatDate(version.publishedAt, locale) })}
        actions={<LinkButton href="/training">{t("training.course.back")}</LinkButton>}
      />
      <div className="space-y-4">
        {!isCurrent ? (
          <Alert tone="warning">
            {t("training.policy.superseded")}{" "}
            {current ? (
              <Link href={`/training/policies/${current.id}`} className="underline">
                {t("training.policy.goCurrent")}
              </Link>
            ) : null}
          </Alert>
        ) : null}
        {version.summary ? (
          <Card title={t("training.policy.summary")}>
            <p className="text-sm text-slate-800">{version.summary}</p>
          </Card>
        ) : null}
        <Card>
          <Markup source={version.body} />
        </Card>
        <div data-testid="policy-ack">
          {ack?.acknowledgedAt ? (
            <Alert tone="success">{t("training.policy.acknowledged", { version: version.versionNo, date: formatDateTime(ack.acknowledgedAt, locale) })}</Alert>
          ) : ack && isCurrent ? (
            <Card>
              <AcknowledgeForm versionId={version.id} />
            </Card>
          ) : !ack ? (
            <Alert tone="info">{t("training.policy.notAsked")}</Alert>
          ) : null}
        </div>
      </div>
    </>
  );
}
