import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { EmployeeImportForm } from "./import-form";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.apiImport.title") };
}

// Employee import from an HR system's CSV/XLSX file: the same rows, rules and all-or-nothing
// transaction as POST /api/v1/employees/bulk (lib/api/employee-import.ts).
export default async function EmployeeImportPage() {
  await requirePagePermission("directory.manage");
  const { t } = await getI18n();
  return (
    <div className="min-w-0 space-y-4">
      <PageHeader title={t("privacy.apiImport.title")} description={t("privacy.apiImport.description")} />
      <Card title={t("privacy.apiImport.columnsTitle")}>
        <p className="text-sm">{t("privacy.apiImport.columns")}</p>
      </Card>
      <Card title={t("privacy.apiImport.file")}>
        <EmployeeImportForm />
      </Card>
    </div>
  );
}
