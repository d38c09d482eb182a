import { z } from "zod";
import { optionalText, text, version } from "@/lib/validation";

// The connection settings form (/settings/wecom). A secret field left empty keeps the stored
// secret; "clear" checkboxes remove one. Secrets are write-only: the page never receives them.

const noSpaces = (max: number) => optionalText(max).refine((v) => v === undefined || !/\s/.test(v), { error: "wecom.v.noSpaces" });

export const settingsSchema = z.object({
  version,
  corpId: z.preprocess((v) => (v === null ? "" : v), z.string().trim().max(64, { error: "errors.v.tooLong" }).regex(/^[A-Za-z0-9_-]*$/, { error: "wecom.v.corpId" })),
  agentId: z.preprocess((v) => (v === null ? "" : v), z.string().trim().regex(/^\d{0,12}$/, { error: "wecom.v.agentId" })),
  apiBaseUrl: text({ max: 200 }).refine((v) => /^https?:\/\/[^/?#\s]+\/?$/.test(v), { error: "wecom.v.apiBaseUrl" }),
  callsPerMinute: z.coerce.number({ error: "errors.v.integer" }).int({ error: "errors.v.integer" }).min(10, { error: "wecom.v.callsPerMinute" }).max(20_000, { error: "wecom.v.callsPerMinute" }),
  leaverAction: z.enum(["OPEN_CASE", "HR_TASK"], { error: "wecom.v.leaverAction" }).default("OPEN_CASE"),
  contactSecret: noSpaces(200),
  customerSecret: noSpaces(200),
  archiveSecret: noSpaces(200),
  callbackToken: optionalText(64).refine((v) => v === undefined || /^[A-Za-z0-9]{1,32}$/.test(v), { error: "wecom.v.callbackToken" }),
  encodingAesKey: optionalText(64).refine((v) => v === undefined || /^[A-Za-z0-9]{43}$/.test(v), { error: "wecom.v.encodingAesKey" }),
  clear: z.preprocess((v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(["contactSecret", "customerSecret", "archiveSecret", "callbackToken", "encodingAesKey"]))),
});
export type SettingsInput = z.output<typeof settingsSchema>;

export const testConnectionSchema = z.object({});
