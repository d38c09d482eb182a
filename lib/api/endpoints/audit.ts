import { z } from "zod";
import { auditWhere } from "@/lib/audit/queries";
import type { Prisma } from "@/lib/generated/prisma/client";
import { cursorParam, defineApi, iso, isoDateTime, limitParam, listOf } from "../define";
import { ApiProblem } from "../problem";

// The audit trail as a stream for a SIEM (docs/api.md): oldest first, keyset on the event id,
// the trail's own filters (lib/audit/queries.ts). Each event carries its chain hash and the hash
// before it, so a reader can check the chain as it goes.

export const auditEventOut = z.object({
  id: z.string().describe("Increasing; the order of the chain."),
  createdAt: isoDateTime,
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  ip: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

export const listAuditEventsOp = defineApi({
  method: "GET",
  path: "/audit-events",
  operationId: "listAuditEvents",
  summary: "Stream the audit trail, oldest first; follow next_cursor (it stays valid as new events arrive).",
  tag: "Audit",
  scope: "audit:read",
  paginated: true,
  query: z.strictObject({
    limit: limitParam(5000, 1000),
    cursor: cursorParam,
    action: z.string().max(100).optional().describe('An exact action, or a prefix ending with "." (employee.).'),
    entityType: z.string().max(100).optional(),
    entityId: z.string().max(200).optional(),
    since: isoDateTime.optional().describe("Events at or after this instant (ISO 8601 with offset)."),
  }),
  response: listOf(auditEventOut),
  async run({ actor, query, tx, after, page }) {
    if (!actor.permissions.has("audit.read")) throw new ApiProblem("forbidden");
    const pos = after();
    const and: Prisma.AuditEventWhereInput[] = [auditWhere({ action: query.action, entityType: query.entityType, entityId: query.entityId } as Parameters<typeof auditWhere>[0])];
    if (query.since) and.push({ createdAt: { gte: new Date(query.since) } });
    if (pos) and.push({ id: { gt: BigInt(String(pos[0])) } });
    const rows = await tx.auditEvent.findMany({ where: { AND: and }, orderBy: { id: "asc" }, take: query.limit + 1 });
    const out = rows.map((e) => ({ id: e.id.toString(), createdAt: iso(e.createdAt)!, actorId: e.actorId, actorLabel: e.actorLabel, action: e.action, entityType: e.entityType, entityId: e.entityId, ip: e.ip, before: e.before, after: e.after, prevHash: e.prevHash, hash: e.hash }));
    return { body: page(out, query.limit, (e) => [e.id]) };
  },
});
