import { z } from "zod";
import { id, list } from "@/lib/validation";
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
