"use server";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db";
import { writeAuditEvent } from "@/lib/server/audit-write";
import { testConnection } from "./connection";
import { settingsSchema, testConnectionSchema } from "./schemas";
import { saveSettings } from "./settings";

const PAGE = "/settings/wecom";

export const saveWeComSettingsAction = defineAction({ schema: settingsSchema, permission: "wecom.configure", run: (ctx) => saveSettings(ctx), revalidate: () => PAGE });

/** Calls WeCom with the saved settings and reports what it answered (audited; no transaction is
 * held open across the calls). */
export const testWeComConnectionAction = defineAction({
  schema: testConnectionSchema,
  permission: "wecom.configure",
  mutation: false,
  run: async ({ actor }) => {
    const client = db();
    const checks = await testConnection(client);
    await client.$transaction((tx) =>
      writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: actor.ip }, { action: "wecom.connection.test", entityType: "WeComSettings", entityId: "default", after: checks.map((c) => ({ app: c.app, ok: c.ok, errcode: c.errcode, failure: c.failure })) }),
    );
    return checks;
  },
  revalidate: () => PAGE,
});
