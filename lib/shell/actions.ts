"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { LOCALE_COOKIE, LOCALES } from "@/lib/i18n/config";
import { getActor } from "@/lib/server/actor";
import { safeReturnPath } from "@/lib/url";
import { signOut } from "@/lib/server/auth";
import { recordSignOut } from "@/lib/server/session";

// These two actions change no business record, so they do not go through defineAction: the
// language is a browser preference (a cookie, open to signed-out visitors on the sign-in page),
// and signing out needs no permission. Both validate what they receive.

const localeSchema = z.object({ locale: z.enum(LOCALES), returnTo: z.unknown().transform((v) => safeReturnPath(v)) });

export async function setLocale(formData: FormData): Promise<void> {
  const parsed = localeSchema.safeParse({ locale: formData.get("locale"), returnTo: formData.get("returnTo") ?? "/" });
  if (!parsed.success) return;
  (await cookies()).set(LOCALE_COOKIE, parsed.data.locale, {
    httpOnly: true,
    sameSite: "lax",
    secure: process.env.NODE_ENV === "production" && process.env.AUTH_INSECURE_COOKIES !== "1",
    maxAge: 60 * 60 * 24 * 365,
    path: "/",
  });
  redirect(parsed.data.returnTo);
}

/** Signing out ends the session on the server, not only in this browser: the person's session
 * version is raised, so a copy of the cookie is refused too (and so are their other sessions). */
export async function signOutAction(): Promise<void> {
  const actor = await getActor();
  if (actor) await recordSignOut(actor);
  await signOut({ redirectTo: "/login?signedOut=1" });
}
