import { cellMarkup, linkMarkup, rowMarkup, text } from "@/components/ui/list-markup";
import type { DepartmentRow } from "@/lib/dashboard/compute";
import { figureMessageKey } from "@/lib/dashboard/format";

type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * A department's row of the dashboard's ranking, as markup (components/ui/list-markup.ts; the page
 * emits the rows with `ListRowsMarkup`): its name linking to the department's dashboard, its score,
 * and the figures it has in red. The DOM is the one `ListRow` with three `Cell`s and a `Link` gave
 * (tests/ui/list-markup.test.ts).
 */
export function rankingRowMarkup(row: DepartmentRow, href: string, t: Translate): string {
  const red = Object.entries(row.states)
    .filter(([, s]) => s === "red")
    .map(([key]) => t(`dashboard.figures.${figureMessageKey(key)}.label`));
  return rowMarkup(
    {},
    cellMarkup(
      "title",
      undefined,
      undefined,
      linkMarkup(href, row.department.name, {
        class: "text-blue-800 hover:underline",
        "aria-label": t("common.labelled", { label: t("dashboard.ranking.open"), value: row.department.name }),
      }),
    ) +
      cellMarkup("field", t("dashboard.ranking.score"), "tabular-nums", text(row.score === null ? "—" : row.score.toFixed(1))) +
      cellMarkup("field", t("dashboard.ranking.red"), "text-xs text-slate-700", text(red.length ? red.join(t("common.listSeparator")) : "—")),
  );
}
