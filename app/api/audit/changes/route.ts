import { z } from "zod";
import { auditEventChanges } from "@/lib/audit/queries";
import { auditCursor } from "@/lib/audit/schemas";
import { db } from "@/lib/server/db";
import { notFound } from "@/lib/server/errors";
import { defineRoute } from "@/lib/server/route";

// One audit event's change list, field by field, for the trail's folded "n fields" (loaded when a
// reader opens it rather than rendered, folded, for every event of every page: docs/performance.md).
// The same permission as the trail itself (audit.read), which reads every event; not recorded in
// the trail, as viewing the trail is not.

export const GET = defineRoute({
  query: z.object({ id: auditCursor }).strict(),
  permission: "audit.read",
  async run({ input }) {
    const changes = await auditEventChanges(db(), input.id);
    if (changes === null) throw notFound();
    return Response.json({ changes }, { headers: { "Cache-Control": "private, no-store" } });
  },
});
