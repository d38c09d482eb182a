import { csvResponse } from "@/lib/csv";
import { companyCells, loadDashboard } from "@/lib/dashboard/compute";
import { figureMessageKey, formatFigure } from "@/lib/dashboard/format";
import { exportParamsSchema } from "@/lib/dashboard/schemas";
import { resolveDashboardScope } from "@/lib/dashboard/scope";
import { getI18n } from "@/lib/i18n/server";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";

// The dashboard as CSV: every figure of the scope (value, numerator, denominator, state, target),
// or the departments ranked by score with each figure's state. The scope is checked as the page
// checks it; handing out the figures is audited.

export const GET = defineRoute({
  query: exportParamsSchema,
  permission: ["dashboard.read:all", "dashboard.read:department"],
  async run({ actor, input, audit }) {
    const client = db();
    const { t } = await getI18n();
    const scope = await resolveDashboardScope(actor, client, input.department);
    const dashboard = await loadDashboard(client, scope, new Date(), { cells: await companyCells() });
    await audit({ action: "dashboard.export", entityType: "Dashboard", entityId: scope.departmentId ?? "company", after: { what: input.what } });
    const stamp = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    const label = (key: string) => t(`dashboard.figures.${figureMessageKey(key)}.label`);
    if (input.what === "ranking") {
      const header = [t("dashboard.csv.department"), t("dashboard.csv.path"), t("dashboard.csv.score"), ...dashboard.figures.map((f) => label(f.def.key))];
      const rows = [...dashboard.departments]
        .sort((a, b) => (a.score ?? 101) - (b.score ?? 101))
        .map((r) => [r.department.name, r.department.path, r.score, ...dashboard.figures.map((f) => t(`dashboard.state.${r.states[f.def.key]}`))]);
      return csvResponse(`dashboard-ranking-${stamp}.csv`, header, (async function* () { yield rows; })());
    }
    const header = [t("dashboard.csv.figure"), t("dashboard.csv.domain"), t("dashboard.csv.value"), t("dashboard.csv.numerator"), t("dashboard.csv.total"), t("dashboard.csv.state"), t("dashboard.csv.target"), t("dashboard.csv.amber")];
    const rows = dashboard.figures.map((f) => [
      label(f.def.key),
      t(`dashboard.domains.${f.def.domain}`),
      f.value === null ? "" : `${formatFigure(f.def.kind, f.value)}${t(`dashboard.unit.${f.def.kind}`)}`,
      f.cell.value,
      f.def.kind === "count" ? "" : f.cell.total,
      t(`dashboard.state.${f.state}`),
      f.target.green,
      f.target.amber,
    ]);
    return csvResponse(`dashboard-${scope.departmentId ?? "company"}-${stamp}.csv`, header, (async function* () { yield rows; })());
  },
});
