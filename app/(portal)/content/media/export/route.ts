import { csvResponse } from "@/lib/csv";
import { mediaExportPages } from "@/lib/content/queries";
import { mediaExportSchema } from "@/lib/content/schemas";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";

// The media library as CSV, for the same filters as the list, streamed a page at a time. Audited.

const HEADER = ["id", "kind", "name", "source", "licence_type", "licensee", "scope", "licence_expires_on", "used_in_revisions", "registered_by_id", "updated_at"] as const;

export const GET = defineRoute({
  query: mediaExportSchema,
  permission: ["content.submit", "content.read:all", "media.manage"],
  async run({ input, audit }) {
    await audit({ action: "media.export", entityType: "MediaAsset", entityId: "*", after: { filters: input } });
    const stamp = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    const client = db();
    async function* pages() {
      for await (const page of mediaExportPages(client, input)) {
        yield page.map((m) => [m.id, m.kind, m.name, m.source, m.licenceType, m.licensee, m.scope, m.licenceExpiresOn?.toISOString().slice(0, 10), m._count.usages, m.registeredById, m.updatedAt]);
      }
    }
    return csvResponse(`media-${stamp}.csv`, HEADER, pages());
  },
});
