import { z } from "zod";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";
import { loadSyncView } from "@/lib/wecom/sync/view";

// The sync's progress for /settings/wecom, polled while a run is going (ADMIN): the latest run's
// steps, rows, calls, rate, time left, notes and error, and the recent runs. No secret, no
// personal information: counts and WeCom API paths only.
export const GET = defineRoute({
  query: z.object({}),
  permission: "wecom.configure",
  async run() {
    return Response.json(await loadSyncView(db()), { headers: { "Cache-Control": "no-store" } });
  },
});
