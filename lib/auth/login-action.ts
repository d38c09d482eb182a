"use server";
import { AuthError } from "next-auth";
import { z } from "zod";
import type { ActionResult } from "@/lib/forms";
import { formatDateTime } from "@/lib/i18n/format";
import { getI18n } from "@/lib/i18n/server";
import { signIn } from "@/lib/server/auth";
import { safeReturnPath } from "@/lib/url";
import { loginSchema } from "./schemas";

// The sign-in form's action. It is public by nature (nobody is signed in yet), so it cannot go
// through defineAction; it validates its input with the same schema as the form, and every
// rule (lock-out, slow-down, departed employees) is enforced inside authorize(), which the
// Auth.js endpoint shares.

export async function loginAction(_prev: unknown, formData: FormData): Promise<ActionResult<null>> {
  const { t, locale } = await getI18n();
  const parsed = loginSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) {
    return { ok: false, code: "VALIDATION", formError: t("auth.invalid"), fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]> };
  }
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeReturnPath(formData.get("returnTo")) });
    return { ok: true, data: null };
  } catch (error) {
    if (error instanceof AuthError && error.type === "CredentialsSignin") {
      const code = (error as AuthError & { code?: string }).code ?? "";
      const [kind, iso] = code.split(/:(.+)/);
      if ((kind === "locked" || kind === "throttled") && iso) {
        const until = formatDateTime(new Date(iso), locale);
        return { ok: false, code: kind.toUpperCase(), formError: t(`auth.${kind}`, { until }) };
      }
      return { ok: false, code: "INVALID", formError: t("auth.invalid") };
    }
    throw error; // Next's redirect after a successful sign-in, or a real fault for the error page
  }
}
