import { getImport } from "@/lib/accounts/import/queries";
import { importIdQuerySchema } from "@/lib/accounts/import/schemas";
import { db } from "@/lib/server/db";
import { notFound } from "@/lib/server/errors";
import { defineRoute } from "@/lib/server/route";

// An import's state and counts, for a browser that lost the upload's progress stream.
export const GET = defineRoute({
  query: importIdQuerySchema,
  permission: "accounts.manage",
  run: async ({ input }) => {
    const found = await getImport(db(), input.id);
    if (!found) throw notFound();
    const { id, status, totalRows, addCount, duplicateCount, invalidCount, insertedCount } = found;
    return Response.json({ id, status, totalRows, addCount, duplicateCount, invalidCount, insertedCount }, { headers: { "Cache-Control": "no-store" } });
  },
});
