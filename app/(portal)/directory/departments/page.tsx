import { DepartmentCreateForm } from "@/components/directory/department-forms";
import { DepartmentTree } from "@/components/directory/department-tree";
import { Card, PageHeader } from "@/components/ui/card";
import { departmentSelectOptions } from "@/lib/directory/format";
import { departmentOptions, departmentTree } from "@/lib/directory/queries";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import type { Metadata } from "next";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("directory.departments.title") };
}

export default async function DepartmentsPage() {
  const actor = await requirePagePermission("directory.read:all", "departments.manage");
  const { t } = await getI18n();
  const canManage = actor.permissions.has("departments.manage");
  const [roots, options] = await Promise.all([departmentTree(actor), canManage ? departmentOptions(actor) : Promise.resolve([])]);
  return (
    <>
      <PageHeader title={t("directory.departments.title")} description={t("directory.departments.description")} />
      <div className="grid gap-6">
        <Card title={t("directory.departments.tree")}>
          {roots.length === 0 ? (
            <p className="text-sm text-slate-600">{t("directory.departments.empty")}</p>
          ) : (
            <DepartmentTree
              roots={roots}
              canListEmployees={actor.permissions.has("directory.read:all")}
              labels={{
                tree: t("directory.departments.tree"),
                noManager: t("directory.departments.noManager"),
                manager: t("directory.departments.manager"),
                viewEmployees: t("directory.departments.viewEmployees"),
                count: (count) => t("directory.departments.employeesCount", { count }),
                wecomRemoved: (date) => t("directory.wecom.departmentRemoved", { date }),
              }}
            />
          )}
        </Card>
        {canManage ? (
          <Card title={t("directory.departments.create")}>
            <div data-testid="department-create-form">
              <DepartmentCreateForm parents={departmentSelectOptions(options)} />
            </div>
          </Card>
        ) : null}
      </div>
    </>
  );
}
