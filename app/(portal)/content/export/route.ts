import { csvResponse } from "@/lib/csv";
import { submissionExportPages } from "@/lib/content/queries";
import { submissionExportSchema } from "@/lib/content/schemas";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";

// The content list as CSV: what the list shows for the same filters, within the actor's scope (own
// submissions; every one for content.read:all), streamed a page at a time. Audited.

const HEADER = ["id", "kind", "title", "status", "account", "author_employee_no", "author", "revision", "open_or_accepted_findings", "planned_at", "published_at", "created_at", "updated_at"] as const;

export const GET = defineRoute({
  query: submissionExportSchema,
  permission: ["content.submit", "content.read:all"],
  async run({ actor, input, audit }) {
    await audit({ action: "content.export", entityType: "ContentSubmission", entityId: "*", after: { filters: input, scope: actor.permissions.has("content.read:all") && input.mine !== "1" ? "all" : "own" } });
    const stamp = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    const client = db();
    async function* pages() {
      for await (const page of submissionExportPages(actor, client, input)) {
        yield page.map((s) => [s.id, s.kind, s.title, s.status, s.accountName, s.author?.employeeNo, s.author?.name, s.currentRevision, s.findings, s.plannedAt, s.publishedAt, s.createdAt, s.updatedAt]);
      }
    }
    return csvResponse(`content-${stamp}.csv`, HEADER, pages());
  },
});
