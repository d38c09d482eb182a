import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { listNotices } from "@/lib/privacy/queries";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, type SearchParams } from "@/lib/url";
import { NoticeForm } from "../../_components/forms";
import { noticeFormValues } from "../form-values";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.notice.new") };
}

/** A new draft, blank or (?from=<id>) a copy of an existing version as the next version. */
export default async function NewNoticePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePagePermission("privacy.manage");
  const { t } = await getI18n();
  const from = firstValues(await searchParams).from;
  const source = from ? (await listNotices(db())).find((n) => n.id === from) : undefined;
  return (
    <div className="mx-auto max-w-3xl min-w-0 space-y-4">
      <p className="text-sm">
        <Link href="/privacy/notices" className="text-blue-800 hover:underline">
          ← {t("privacy.notices.title")}
        </Link>
      </p>
      <PageHeader title={t("privacy.notice.new")} description={t("privacy.notice.newDescription")} />
      <Card>
        <NoticeForm values={source ? noticeFormValues(source) : undefined} />
      </Card>
    </div>
  );
}
