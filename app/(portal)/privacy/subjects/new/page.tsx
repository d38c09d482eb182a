import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { SubjectForm } from "../../_components/forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.subject.new") };
}

export default async function NewSubjectPage() {
  await requirePagePermission("consents.record", "privacy.manage");
  const { t } = await getI18n();
  return (
    <div className="mx-auto max-w-2xl min-w-0 space-y-4">
      <p className="text-sm">
        <Link href="/privacy" className="text-blue-800 hover:underline">
          ← {t("privacy.back")}
        </Link>
      </p>
      <PageHeader title={t("privacy.subject.new")} description={t("privacy.subject.newDescription")} />
      <Card>
        <SubjectForm />
      </Card>
    </div>
  );
}
