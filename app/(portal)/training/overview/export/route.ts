import { csvResponse } from "@/lib/csv";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";
import { exportPages, type ExportRow } from "@/lib/training/queries";
import { overviewExportSchema } from "@/lib/training/schemas";
import { trainingScope } from "@/lib/training/scope";

// The overview as CSV: one row per person and current course assignment or policy request, in the
// reader's scope and for the same filters, streamed a page at a time. Handing it out is audited.

const HEADER = ["employee_no", "name", "department", "kind", "code", "title_zh", "title_en", "version", "status", "overdue", "assigned_at", "due_at", "completed_at", "score", "attempts", "method"] as const;

function cells(r: ExportRow): unknown[] {
  return [r.employee_no, r.name, r.department_name, r.kind, r.code, r.title_zh, r.title_en, r.item_version, r.status, r.overdue ? "yes" : "no", r.assigned_at, r.due_at, r.completed_at, r.score, r.attempts, r.method];
}

export const GET = defineRoute({
  query: overviewExportSchema,
  permission: ["training.read:department", "training.read:all"],
  async run({ actor, input, audit }) {
    await audit({ action: "training.export", entityType: "TrainingAssignment", entityId: "*", after: { filters: { ...input }, scope: trainingScope(actor)?.kind ?? "none" } });
    const stamp = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    const client = db();
    async function* pages() {
      for await (const page of exportPages(actor, client, input)) yield page.map(cells);
    }
    return csvResponse(`training-${stamp}.csv`, HEADER, pages());
  },
});
