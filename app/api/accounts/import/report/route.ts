import { allRows, getImport } from "@/lib/accounts/import/queries";
import { reportHeader, reportRow } from "@/lib/accounts/import/report";
import { importIdQuerySchema } from "@/lib/accounts/import/schemas";
import { csvResponse } from "@/lib/csv";
import { getI18n } from "@/lib/i18n/server";
import { db } from "@/lib/server/db";
import { notFound } from "@/lib/server/errors";
import { defineRoute } from "@/lib/server/route";

// Every staged row with its category and reasons, cells as given (escaped by lib/csv).
export const GET = defineRoute({
  query: importIdQuerySchema,
  permission: "accounts.manage",
  run: async ({ input, audit }) => {
    const { t } = await getI18n();
    const found = await getImport(db(), input.id);
    if (!found) throw notFound();
    await audit({ action: "contactImport.report", entityType: "ContactImport", entityId: found.id, after: { rows: found.totalRows } });
    async function* pages() {
      for await (const page of allRows(db(), found!.id)) yield page.map((row) => reportRow(t, row));
    }
    return csvResponse(`contact-import-${found.id}.csv`, reportHeader(t), pages());
  },
});
