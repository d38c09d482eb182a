import { z } from "zod";
import { email, id, list } from "@/lib/validation";
import { CATEGORIES, CHANNELS } from "./kinds";

// The forms of /notifications/settings (anyone's own preferences) and the group robots on
// /settings/notifications (ADMIN). Free of server imports: the forms validate in the browser too.

const checkbox = z.preprocess((v) => v === "on" || v === "1" || v === "true" || v === true, z.boolean());
const channelList = list(z.enum(CHANNELS, { error: "errors.v.invalidChoice" }));

export const preferencesSchema = z.object({
  locale: z.enum(["zh-CN", "en"], { error: "errors.v.invalidChoice" }),
  quietHours: checkbox,
  digest: checkbox,
  ...(Object.fromEntries(CATEGORIES.map((c) => [`ch_${c}`, channelList])) as Record<`ch_${(typeof CATEGORIES)[number]}`, typeof channelList>),
});
export type PreferencesInput = z.output<typeof preferencesSchema>;

export const robotSchema = z.object({
  scopeId: id,
  name: z.string().trim().min(1, { error: "errors.v.required" }).max(60, { error: "errors.v.tooLong" }),
  /** The key= part of the robot's webhook address (a UUID). */
  key: z.string().trim().regex(/^[A-Za-z0-9-]{8,64}$/, { error: "notifications.errors.robotKeyInvalid" }),
  kinds: list(z.enum(CATEGORIES, { error: "errors.v.invalidChoice" })),
});
export type RobotInput = z.output<typeof robotSchema>;

export const robotRemoveSchema = z.object({ robotId: id });

export const TLS_MODES = ["NONE", "STARTTLS", "TLS"] as const;

/** ADMIN's SMTP server. The password is write-only: blank keeps the saved one; `clearPassword`
 * removes it. `fromAddress` is "Name <address>" or a bare address. */
export const smtpSchema = z.object({
  host: z.string().trim().min(1, { error: "errors.v.required" }).max(253, { error: "errors.v.tooLong" }).regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, { error: "notifications.errors.smtpHost" }),
  port: z.coerce.number({ error: "notifications.errors.smtpPort" }).int({ error: "notifications.errors.smtpPort" }).min(1, { error: "notifications.errors.smtpPort" }).max(65535, { error: "notifications.errors.smtpPort" }),
  tlsMode: z.enum(TLS_MODES, { error: "errors.v.invalidChoice" }),
  username: z.string().trim().max(200, { error: "errors.v.tooLong" }).default(""),
  password: z.string().max(500, { error: "errors.v.tooLong" }).default(""),
  clearPassword: checkbox,
  fromAddress: z
    .string()
    .trim()
    .max(200, { error: "errors.v.tooLong" })
    .regex(/^(?:[^<>\r\n]{0,80}<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/, { error: "notifications.errors.smtpFrom" }),
  expectedVersion: z.coerce.number().int().min(0).default(0),
});
export type SmtpInput = z.output<typeof smtpSchema>;

export const smtpTestSchema = z.object({ to: email });
export const smtpRemoveSchema = z.object({});
