import { csvResponse } from "@/lib/csv";
import { getI18n } from "@/lib/i18n/server";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";
import { attainment, breachExportPages, rate, reportRange } from "@/lib/service/reports";
import { reportExportSchema } from "@/lib/service/schemas";

// Every table of the attainment report as CSV (same window, department and scope as the page);
// the open breaches are streamed a page at a time. Audited.

const ATTAINMENT_HEADER = ["key", "label", "cases", "first_response_met", "first_response_breached", "first_response_attainment", "resolution_met", "resolution_breached", "resolution_attainment", "first_response_median_min", "first_response_p90_min", "resolution_median_min", "resolution_p90_min"] as const;
const BREACH_HEADER = ["id", "title", "case_type", "priority", "team", "assignee", "target", "due_at", "escalated"] as const;
const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
const pct = (n: number | null) => (n === null ? null : (n * 100).toFixed(1));

export const GET = defineRoute({
  query: reportExportSchema,
  permission: ["service.work", "service.read:department", "service.read:all"],
  async run({ actor, input, audit }) {
    const { t } = await getI18n();
    const now = new Date();
    const range = reportRange(input, now);
    await audit({ action: "service.reportExport", entityType: "ServiceCase", entityId: "*", after: { table: input.table, from: range.fromDay, to: range.toDay, days: input.days ?? null, department: input.department ?? null } });
    const client = db();
    if (input.table === "breaches") {
      async function* pages() {
        for await (const page of breachExportPages(actor, client, now, { department: input.department })) yield page.map((b) => [b.id, b.title, b.caseType, b.priority, b.teamName, b.assigneeName, b.nextTarget, b.nextDueAt, b.escalated ? "yes" : "no"]);
      }
      return csvResponse(`service-open-breaches-${range.toDay}.csv`, BREACH_HEADER, pages());
    }
    const dimension = input.table;
    const rows = await attainment(actor, client, dimension, range, now, { department: input.department });
    const label = (key: string, fallback: string) => (dimension === "channel" ? t(`service.channel.${key}`) : dimension === "type" ? t(`service.caseType.${key}`) : key === "" ? t("service.unassigned") : fallback);
    async function* pages() {
      yield rows.map((r) => [r.key, label(r.key, r.label), r.total, r.frMet, r.frBreached, pct(rate(r.frMet, r.frBreached)), r.resMet, r.resBreached, pct(rate(r.resMet, r.resBreached)), round(r.frMedian), round(r.frP90), round(r.resMedian), round(r.resP90)]);
    }
    return csvResponse(`service-attainment-by-${dimension}-${range.fromDay}-${range.toDay}.csv`, ATTAINMENT_HEADER, pages());
  },
});
