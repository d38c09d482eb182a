import { csvResponse } from "@/lib/csv";
import { publicationExportPages } from "@/lib/content/queries";
import { publicationExportSchema } from "@/lib/content/schemas";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";

// The publication record as CSV (content.read:all): one row per publication, streamed a page at a
// time in id order; approvers and accepted findings (with their reasons) flattened into cells.
// Handing out the evidence is audited.

const HEADER = [
  "id",
  "submission_id",
  "revision",
  "kind",
  "title",
  "account",
  "author",
  "planned_at",
  "approved_at",
  "approval_request_id",
  "approvers",
  "accepted_findings",
  "body_sha256",
] as const;

type Approver = { name: string; employeeNo?: string | null; role: string | null; decidedAt: string | null; comment?: string | null };
type Accepted = { rule: string; article: string; term: string; reason: string | null; acceptedBy: string; acceptedAt: string | null };

export const GET = defineRoute({
  query: publicationExportSchema,
  permission: "content.read:all",
  async run({ input, audit }) {
    await audit({ action: "content.publications.export", entityType: "ContentPublication", entityId: "*", after: { filters: { q: input.q ?? null, kind: input.kind ?? null } } });
    const stamp = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    const client = db();
    async function* pages() {
      for await (const page of publicationExportPages(client, input)) {
        yield page.map((p) => [
          p.id,
          p.submissionId,
          p.revisionNumber,
          p.kind,
          p.title,
          p.accountName,
          p.authorName,
          p.plannedAt,
          p.approvedAt,
          p.requestId,
          (p.approvers as Approver[]).map((a) => `${a.name}${a.employeeNo ? ` (${a.employeeNo})` : ""} ${a.decidedAt ?? ""}${a.comment ? `: ${a.comment}` : ""}`).join(" | "),
          (p.acceptedFindings as Accepted[]).map((f) => `${f.term} [${f.rule}, ${f.article}] ${f.reason ?? ""} (${f.acceptedBy} ${f.acceptedAt ?? ""})`).join(" | "),
          p.bodySha256,
        ]);
      }
    }
    return csvResponse(`content-publications-${stamp}.csv`, HEADER, pages());
  },
});
