"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { LOCALE_COOKIE, LOCALES } from "@/lib/i18n/config";
import { getActor } from "@/lib/server/actor";
import { safeReturnPath } from "@/lib/url";
import { writeAuditEvent } from "@/lib/server/audit-write";
import { signOut } from "@/lib/server/auth";
import { db } from "@/lib/server/db";

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

export async function signOutAction(): Promise<void> {
  const actor = await getActor();
  if (actor) {
    await db().$transaction((tx) =>
      writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: actor.ip }, { action: "auth.signOut", entityType: "Employee", entityId: actor.id }),
    );
  }
  await signOut({ redirectTo: "/login?signedOut=1" });
}
