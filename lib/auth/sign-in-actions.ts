"use server";
import { defineAction } from "@/lib/server/action";
import { endOneSession, linkWeComUserid } from "./session-commands";
import { endSessionSchema, signInSettingsSchema, weComLinkSchema } from "./sign-in-schemas";
import { saveSignInSettings } from "./sign-in-settings";

export const saveSignInSettingsAction = defineAction({ schema: signInSettingsSchema, permission: "signIn.configure", run: saveSignInSettings, revalidate: () => ["/settings/sign-in", "/login"] });

export const endSessionAction = defineAction({
  schema: endSessionSchema,
  permission: "sessions.end",
  run: endOneSession,
  revalidate: ({ employeeId }) => `/directory/employees/${employeeId}`,
});

export const linkWeComUseridAction = defineAction({
  schema: weComLinkSchema,
  permission: "signIn.configure",
  run: linkWeComUserid,
  revalidate: ({ employeeId }) => `/directory/employees/${employeeId}`,
});
