import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/card";
import { accountChoices, liveRules, mediaChoices } from "@/lib/content/queries";
import { defaultPlannedValue } from "@/lib/content/schemas";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { SubmissionForm } from "../_components/submission-form";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("content.form.newTitle") };
}

export default async function NewContentPage() {
  const actor = await requirePagePermission("content.submit");
  const { t } = await getI18n();
  const client = db();
  const [rules, media, accounts] = await Promise.all([liveRules(client), mediaChoices(client), accountChoices(actor, client)]);
  const planned = defaultPlannedValue(new Date());
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title={t("content.form.newTitle")} description={t("content.form.newDescription")} />
      <SubmissionForm
        rules={rules}
        media={media.map((m) => ({ ...m, licenceExpiresOn: m.licenceExpiresOn ? m.licenceExpiresOn.toISOString().slice(0, 10) : null }))}
        accounts={accounts}
        defaultPlanned={planned}
      />
    </div>
  );
}
