import { z } from "zod";
import { requestExportPages, requestListSchema, type RequestListRow } from "@/lib/approvals/request-list";
import { csvResponse } from "@/lib/csv";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";

// The approval requests list as CSV, same scope and filters as the page, streamed 1,000 at a time.

const HEADER = ["id", "title", "type", "status", "department", "requester", "created_at", "waiting_step", "waiting_on", "due_at"] as const;
const cells = (r: RequestListRow) => [r.id, r.title, r.type, r.status, r.departmentName, r.requesterName, r.createdAt, r.stepPosition, r.approverName ?? r.approverRole, r.dueAt];

export const GET = defineRoute({
  query: requestListSchema.pick({ status: true, type: true, overdue: true, department: true }).extend({ page: z.unknown().optional() }),
  permission: ["approvals.read:all", "dashboard.read:department"],
  async run({ actor, input, audit }) {
    const filters = { status: input.status, type: input.type, overdue: input.overdue, department: input.department };
    await audit({ action: "approvalRequest.export", entityType: "ApprovalRequest", entityId: "*", after: { filters, scope: actor.permissions.has("approvals.read:all") ? "all" : "department" } });
    const stamp = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    const client = db();
    async function* pages() {
      for await (const page of requestExportPages(actor, client, filters)) yield page.map(cells);
    }
    return csvResponse(`approval-requests-${stamp}.csv`, HEADER, pages());
  },
});
