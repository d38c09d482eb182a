import { EmployeeCreateForm } from "@/components/directory/employee-create-form";
import { LinkButton } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { departmentSelectOptions } from "@/lib/directory/format";
import { departmentOptions } from "@/lib/directory/queries";
import { lockedRoles } from "@/lib/directory/role-rules";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import type { Metadata } from "next";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: `${t("directory.employee.createTitle")} · ${t("nav.employees")}` };
}

export default async function NewEmployeePage() {
  const actor = await requirePagePermission("directory.manage");
  const { t } = await getI18n();
  const departments = await departmentOptions(actor);
  // Today in the company's time zone, as the hire date's starting value.
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
  return (
    <>
      <PageHeader
        title={t("directory.employee.createTitle")}
        description={t("directory.employee.createDescription")}
        actions={<LinkButton href="/directory/employees">{t("directory.employee.back")}</LinkButton>}
      />
      <Card>
        <EmployeeCreateForm departments={departmentSelectOptions(departments)} lockedRoles={lockedRoles(actor, "")} today={today} />
      </Card>
    </>
  );
}
