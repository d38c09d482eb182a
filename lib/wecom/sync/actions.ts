"use server";
import { z } from "zod";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import { enqueueSync } from "../queue";
import { loadConnection } from "../settings";
import { startSync } from "./runner";

// "Sync now" on /settings/wecom (ADMIN): records the run (or finds the stalled one to resume) and
// puts it on the job queue; the page then follows its progress. Refused, with the reason, when the
// connection has no corp id or no secret, or when a sync is already running.
export const startWeComSyncAction = defineAction({
  schema: z.object({}),
  permission: "wecom.configure",
  mutation: false,
  run: async ({ actor }) => {
    const client = db();
    const conn = await loadConnection(client);
    if (!conn.corpId || (!conn.contactSecret && !conn.customerSecret)) throw new DomainError("VALIDATION", "wecom.sync.errors.notConfigured");
    const started = await startSync(client, { trigger: "MANUAL", startedById: actor.id, actor: { id: actor.id, label: actor.email, ip: actor.ip } });
    const job = await enqueueSync(started.runId);
    if (!job) throw new DomainError("INVALID_STATE", "wecom.sync.errors.noQueue");
    return started;
  },
  revalidate: () => "/settings/wecom",
});
