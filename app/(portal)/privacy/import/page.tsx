import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { IMPORT_COLUMNS, IMPORT_MAX_ROWS } from "@/lib/privacy/import";
import { requirePagePermission } from "@/lib/server/actor";
import { ImportForm } from "../_components/forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.import.title") };
}

export default async function ImportPage() {
  await requirePagePermission("privacy.manage");
  const { t } = await getI18n();
  return (
    <div className="mx-auto max-w-3xl min-w-0 space-y-4">
      <p className="text-sm">
        <Link href="/privacy" className="text-blue-800 hover:underline">
          ← {t("privacy.back")}
        </Link>
      </p>
      <PageHeader title={t("privacy.import.title")} description={t("privacy.import.description", { max: IMPORT_MAX_ROWS })} />
      <Card title={t("privacy.import.columns")}>
        <p className="font-mono text-xs break-words">{IMPORT_COLUMNS.join(",")}</p>
        <p className="mt-2 text-sm text-slate-600">{t("privacy.import.columnsHint")}</p>
      </Card>
      <Card>
        <ImportForm />
      </Card>
    </div>
  );
}
