import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, type SearchParams } from "@/lib/url";
import { isId } from "../../_components/bits";
import { RequestForm } from "../../_components/forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.request.new") };
}

export default async function NewRequestPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePagePermission("privacy.manage");
  const { t } = await getI18n();
  const subjectId = firstValues(await searchParams).subjectId ?? "";
  if (!isId(subjectId)) notFound();
  const subject = await db().dataSubject.findUnique({ where: { id: subjectId }, select: { id: true, name: true } });
  if (!subject) notFound();
  return (
    <div className="mx-auto max-w-2xl min-w-0 space-y-4">
      <p className="text-sm">
        <Link href={`/privacy/subjects/${subject.id}`} className="text-blue-800 hover:underline">
          ← {subject.name}
        </Link>
      </p>
      <PageHeader title={t("privacy.request.new")} description={t("privacy.request.newDescription", { name: subject.name })} />
      <Card>
        <RequestForm subjectId={subject.id} />
      </Card>
    </div>
  );
}
