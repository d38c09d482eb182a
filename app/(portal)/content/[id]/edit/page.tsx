import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/card";
import { accountChoices, getSubmissionView, liveRules, mediaChoices } from "@/lib/content/queries";
import { EDITABLE_STATUSES, toPlannedValue } from "@/lib/content/schemas";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { SubmissionForm } from "../../_components/submission-form";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("content.form.editTitle") };
}

export default async function EditContentPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("content.submit");
  const { id } = await params;
  const { t } = await getI18n();
  const client = db();
  const view = await getSubmissionView(actor, client, id);
  if (!view || !view.isAuthor || !EDITABLE_STATUSES.includes(view.submission.status)) notFound();
  const [rules, media, accounts] = await Promise.all([liveRules(client), mediaChoices(client), accountChoices(actor, client)]);
  const s = view.submission;
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title={t("content.form.editTitle")} description={t("content.form.editDescription")} />
      <SubmissionForm
        rules={rules}
        media={media.map((m) => ({ ...m, licenceExpiresOn: m.licenceExpiresOn ? m.licenceExpiresOn.toISOString().slice(0, 10) : null }))}
        accounts={accounts}
        defaultPlanned={toPlannedValue(s.plannedAt)}
        defaults={{
          id: s.id,
          version: s.version,
          kind: s.kind,
          title: view.revision.title,
          body: view.revision.body,
          mediaIds: view.revision.media.map((m) => m.assetId),
          plannedAt: toPlannedValue(s.plannedAt),
          accountId: s.accountId,
          accountName: s.accountName,
        }}
      />
    </div>
  );
}
