import { csvResponse } from "@/lib/csv";
import { isoDay } from "@/lib/groups/policy-rules";
import { groupExportPages, type ExportRow } from "@/lib/groups/queries";
import { FILTER_KEYS, groupExportSchema } from "@/lib/groups/schemas";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";

// The work-group registry as CSV: every group the registry shows for the same filters and search,
// within the actor's scope (lib/groups/scope.ts), in id order, streamed a page at a time. Handing
// out the list is recorded in the audit trail.

const HEADER = [
  "id",
  "name",
  "status",
  "platform",
  "kind",
  "classification",
  "department_code",
  "department",
  "owner_employee_no",
  "owner",
  "ownerless",
  "administrators",
  "expected_size",
  "purpose",
  "external_id",
  "review_due_at",
  "last_reviewed_at",
  "newest_archive_on",
  "created_at",
] as const;

function cells(g: ExportRow): unknown[] {
  return [
    g.id,
    g.name,
    g.status,
    g.platform,
    g.kind,
    g.classification,
    g.department?.code,
    g.department?.name,
    g.owner?.employeeNo,
    g.owner?.name,
    g.ownerless ? "yes" : "no",
    g.administrators.map((a) => `${a.name}(${a.employeeNo})`).join("; "),
    g.expectedSize,
    g.purpose,
    g.externalId,
    g.reviewDueAt,
    g.lastReviewedAt,
    g.newestArchiveOn ? isoDay(g.newestArchiveOn) : null,
    g.createdAt,
  ];
}

export const GET = defineRoute({
  query: groupExportSchema,
  permission: ["groups.request", "groups.read:department", "groups.read:all"],
  async run({ actor, input, audit }) {
    const filters: Record<string, string> = {};
    for (const key of ["q", ...FILTER_KEYS] as const) if (input[key]) filters[key] = input[key];
    await audit({ action: "workGroup.export", entityType: "WorkGroup", entityId: "*", after: { filters, scope: actor.permissions.has("groups.read:all") ? "all" : actor.permissions.has("groups.read:department") ? "department" : "own" } });
    const stamp = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    const client = db();
    async function* pages() {
      for await (const page of groupExportPages(actor, client, input)) yield page.map(cells);
    }
    return csvResponse(`work-groups-${stamp}.csv`, HEADER, pages());
  },
});
