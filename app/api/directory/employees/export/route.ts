import { csvResponse } from "@/lib/csv";
import { isoDay, wecomFlag } from "@/lib/directory/format";
import { employeeExportPages } from "@/lib/directory/queries";
import { employeeFilterSchema } from "@/lib/directory/schemas";
import { getI18n } from "@/lib/i18n/server";
import { defineRoute } from "@/lib/server/route";

// The employee list as CSV: the list's filters and the reader's scope (a manager exports their
// subtree only), streamed a keyset page at a time. Handing out the directory is evidence of who
// saw what, so the export is audited with its filters.
export const GET = defineRoute({
  query: employeeFilterSchema,
  permission: ["directory.read:all", "directory.read:department"],
  async run({ actor, input, audit }) {
    const { t } = await getI18n();
    const filters = { q: input.q || null, department: input.department ?? null, role: input.role ?? null, status: input.status ?? null, wecom: input.wecom ?? null };
    await audit({ action: "employee.export", entityType: "Employee", entityId: "*", after: filters });

    const columns = ["employeeNo", "name", "email", "department", "departmentCode", "manager", "managerNo", "roles", "status", "hireDate", "leaveDate", "wecomUserid", "wecomFlag"] as const;
    const header = columns.map((c) => t(`directory.csv.${c}`));
    async function* rows() {
      for await (const page of employeeExportPages(actor, input)) {
        yield page.map((e) => [
          e.employeeNo,
          e.name,
          e.email,
          e.department.name,
          e.department.code,
          e.manager?.name ?? "",
          e.manager?.employeeNo ?? "",
          e.roles.map((r) => t(`roles.${r}`)).join(t("common.listSeparator")),
          t(`directory.status.${e.status}`),
          isoDay(e.hireDate),
          isoDay(e.leaveDate),
          e.wecomUserid ?? "",
          ((flag) => (flag ? t(flag.key, flag.params) : ""))(wecomFlag(e)),
        ]);
      }
    }
    const stamp = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    return csvResponse(`employees-${stamp}.csv`, header, rows());
  },
});
