"use server";
import { z } from "zod";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import { id, list } from "@/lib/validation";
import { clientsFor } from "./connection";
import { publishInterceptRules } from "./intercept";
import { loadConnection } from "./settings";

// "Publish to WeCom" on /settings/content-rules (ADMIN, wecom.configure): the content rules' words
// as WeCom sensitive-word intercept rules (lib/wecom/intercept.ts). The WeCom calls run outside
// the action's transaction; the push writes its own row and audit event.
export const publishInterceptRulesAction = defineAction({
  schema: z.object({
    departmentIds: list(id).pipe(z.array(z.string()).min(1, { error: "wecom.intercept.errors.noDepartments" }).max(1000)),
    interceptType: z.enum(["1", "2"], { error: "errors.v.required" }).transform((v) => (v === "1" ? 1 : 2) as 1 | 2),
  }),
  permission: "wecom.configure",
  mutation: false,
  run: async ({ actor, input }) => {
    const client = db();
    const { customers } = clientsFor(client, await loadConnection(client));
    if (!customers) throw new DomainError("VALIDATION", "wecom.intercept.errors.notConfigured");
    const out = await publishInterceptRules(client, customers, { id: actor.id, label: actor.email, ip: actor.ip }, input);
    return { pushId: out.pushId, status: out.status };
  },
  revalidate: () => "/settings/content-rules",
});
