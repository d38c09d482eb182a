import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { MediaForm } from "../../_components/media-form";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("content.media.registerTitle") };
}

export default async function NewMediaPage() {
  await requirePagePermission("content.submit");
  const { t } = await getI18n();
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title={t("content.media.registerTitle")} description={t("content.media.description")} />
      <MediaForm />
    </div>
  );
}
