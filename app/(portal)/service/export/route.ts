import { csvResponse } from "@/lib/csv";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";
import { caseExportPages, type CaseRow } from "@/lib/service/queries";
import { CASE_FILTER_KEYS, caseExportSchema } from "@/lib/service/schemas";

// The service queue as CSV: every case the queue shows for the same view, filters and search,
// within the actor's scope, in id order, streamed a page at a time; handing it out is audited.

const HEADER = [
  "id",
  "title",
  "customer_name",
  "customer_ref",
  "channel",
  "case_type",
  "priority",
  "status",
  "sla_state",
  "team_code",
  "team",
  "assignee_employee_no",
  "assignee",
  "policy",
  "clock",
  "received_at",
  "first_response_due_at",
  "first_response_at",
  "first_response_state",
  "resolution_due_at",
  "resolved_at",
  "resolution_state",
  "closed_at",
  "closure",
] as const;

function cells(c: CaseRow): unknown[] {
  return [
    c.id,
    c.title,
    c.customerName,
    c.customerRef,
    c.channel,
    c.caseType,
    c.priority,
    c.status,
    c.sla.state,
    c.team?.code,
    c.team?.name,
    c.assignee?.employeeNo,
    c.assignee?.name,
    c.policyName,
    c.clock,
    c.receivedAt,
    c.firstResponseDueAt,
    c.firstResponseAt,
    c.sla.firstResponse.state,
    c.resolutionDueAt,
    c.resolvedAt,
    c.sla.resolution.state,
    c.closedAt,
    c.closure,
  ];
}

export const GET = defineRoute({
  query: caseExportSchema,
  permission: ["service.work", "service.read:department", "service.read:all"],
  async run({ actor, input, audit }) {
    const filters: Record<string, string> = {};
    for (const key of ["q", ...CASE_FILTER_KEYS] as const) if (input[key]) filters[key] = String(input[key]);
    await audit({ action: "service.export", entityType: "ServiceCase", entityId: "*", after: { filters } });
    const stamp = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    const client = db();
    const now = new Date();
    async function* pages() {
      for await (const page of caseExportPages(actor, client, input, now)) yield page.map(cells);
    }
    return csvResponse(`service-cases-${stamp}.csv`, HEADER, pages());
  },
});
