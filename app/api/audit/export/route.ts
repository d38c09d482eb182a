import { auditEventPages, type AuditEventRow } from "@/lib/audit/queries";
import { auditFilterSchema, filterParams } from "@/lib/audit/schemas";
import { csvResponse } from "@/lib/csv";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";

// The audit trail as CSV: every event matching the page's filters (paging cursors are ignored),
// oldest first, streamed in keyset pages so memory stays flat for millions of rows. Handing out
// the trail is itself recorded in it.

const HEADER = ["id", "time", "actor_id", "actor", "action", "entity_type", "entity_id", "ip", "before", "after", "hash", "prev_hash"] as const;

function json(value: unknown): string {
  return value === null || value === undefined ? "" : JSON.stringify(value);
}

function csvCells(e: AuditEventRow): unknown[] {
  return [e.id, e.createdAt.toISOString(), e.actorId, e.actorLabel, e.action, e.entityType, e.entityId, e.ip, json(e.before), json(e.after), e.hash, e.prevHash];
}

async function* csvPages(rows: AsyncIterable<AuditEventRow[]>): AsyncGenerator<unknown[][]> {
  for await (const page of rows) yield page.map(csvCells);
}

export const GET = defineRoute({
  query: auditFilterSchema,
  permission: "audit.read",
  async run({ input, audit }) {
    const filters = filterParams(input);
    await audit({ action: "audit.export", entityType: "AuditEvent", entityId: "*", after: filters });
    const stamp = new Date().toISOString().replace(/[-:]/g, "").slice(0, 15);
    return csvResponse(`audit-events-${stamp}Z.csv`, HEADER, csvPages(auditEventPages(db(), input)));
  },
});
