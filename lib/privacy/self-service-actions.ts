"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientIp, requestIsHttps } from "@/lib/server/client-ip";
import { db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import { smsGateway } from "@/lib/sms";
import { formDataToObject } from "@/lib/validation";
import { CENTER_COOKIE, CENTER_SESSION_MS, centerSession, confirmConsent, endCenterSession, requestSelf, startCenter, submitConsent, verifyCenter, withdrawSelf, type Visitor } from "./self-service";

// The Server Actions of the public consent page and privacy center. They are plain HTML form
// posts (the pages work without JavaScript): each ends in a redirect, a refusal travels as an
// error key in the query string, never as an internal message. No portal session is involved;
// the privacy center's own session is the one cookie these pages set (httpOnly, SameSite=Lax,
// path /privacy-center, 15 minutes).

async function visitor(): Promise<Visitor> {
  const h = await headers();
  const ip = clientIp(h);
  return { ip: ip === "unknown" ? null : ip, userAgent: h.get("user-agent") };
}

const langOf = (form: Record<string, unknown>) => (form.lang === "en" ? "en" : null);
function withQuery(path: string, params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
const errorKey = (error: unknown): string => {
  if (error instanceof DomainError && error.messageKey.startsWith("consentPage.errors.")) return error.messageKey.slice("consentPage.errors.".length);
  console.error("[consent-page]", error);
  return "smsFailed";
};
const safeToken = (v: unknown) => (typeof v === "string" && /^[A-Za-z0-9._-]{1,200}$/.test(v) ? v : "invalid");
const safeId = (v: unknown) => (typeof v === "string" && /^[a-f0-9]{24}$/.test(v) ? v : "0".repeat(24));

export async function submitConsentAction(formData: FormData): Promise<void> {
  const form = formDataToObject(formData);
  const token = safeToken(form.token);
  const lang = langOf(form);
  let target: string;
  try {
    const { submissionId } = await submitConsent(db(), smsGateway(), { token, form }, await visitor());
    target = withQuery(`/c/${token}/verify/${submissionId}`, { lang });
  } catch (error) {
    // Back to the form (#choice), not to the top of the notice: the refusal is read where the
    // person was, not a long scroll above.
    target = `${withQuery(`/c/${token}`, { lang, error: errorKey(error) })}#choice`;
  }
  redirect(target);
}

export async function confirmConsentAction(formData: FormData): Promise<void> {
  const form = formDataToObject(formData);
  const token = safeToken(form.token);
  const submissionId = safeId(form.submissionId);
  const lang = langOf(form);
  let target: string;
  try {
    const result = await confirmConsent(db(), { submissionId, code: typeof form.code === "string" ? form.code : "" }, await visitor());
    target = result.ok ? withQuery(`/c/${token}/done`, { lang }) : withQuery(`/c/${token}/verify/${submissionId}`, { lang, error: result.reason });
  } catch (error) {
    target = withQuery(`/c/${token}`, { lang, error: errorKey(error) });
  }
  redirect(target);
}

export async function startCenterAction(formData: FormData): Promise<void> {
  const form = formDataToObject(formData);
  const lang = langOf(form);
  let target: string;
  try {
    const { challengeId } = await startCenter(db(), smsGateway(), { phone: form.phone }, await visitor());
    target = withQuery(`/privacy-center/verify/${challengeId}`, { lang });
  } catch (error) {
    target = withQuery("/privacy-center", { lang, error: errorKey(error) });
  }
  redirect(target);
}

export async function verifyCenterAction(formData: FormData): Promise<void> {
  const form = formDataToObject(formData);
  const lang = langOf(form);
  const challengeId = safeId(form.challengeId);
  let target: string;
  try {
    const result = await verifyCenter(db(), { challengeId, code: typeof form.code === "string" ? form.code : "" }, await visitor());
    if (!result.ok) target = withQuery(`/privacy-center/verify/${challengeId}`, { lang, error: result.reason });
    else if (!result.token) target = withQuery("/privacy-center", { lang, notice: "nothing" });
    else {
      (await cookies()).set(CENTER_COOKIE, result.token, { httpOnly: true, sameSite: "lax", secure: requestIsHttps(await headers()), path: "/privacy-center", maxAge: CENTER_SESSION_MS / 1000 });
      target = withQuery("/privacy-center", { lang });
    }
  } catch (error) {
    target = withQuery("/privacy-center", { lang, error: errorKey(error) });
  }
  redirect(target);
}

async function session() {
  return centerSession(db(), (await cookies()).get(CENTER_COOKIE)?.value);
}

export async function withdrawSelfAction(formData: FormData): Promise<void> {
  const form = formDataToObject(formData);
  const lang = langOf(form);
  const s = await session();
  if (!s) redirect(withQuery("/privacy-center", { lang, notice: "sessionEnded" }));
  let target: string;
  try {
    await withdrawSelf(db(), s, typeof form.consentId === "string" ? form.consentId : "", await visitor());
    target = withQuery("/privacy-center", { lang, notice: "withdrawn" });
  } catch (error) {
    target = withQuery("/privacy-center", { lang, error: errorKey(error) });
  }
  redirect(target);
}

export async function requestSelfAction(formData: FormData): Promise<void> {
  const form = formDataToObject(formData);
  const lang = langOf(form);
  const s = await session();
  if (!s) redirect(withQuery("/privacy-center", { lang, notice: "sessionEnded" }));
  let target: string;
  try {
    const { id } = await requestSelf(db(), s, { type: form.type, details: form.details }, await visitor());
    target = withQuery("/privacy-center", { lang, notice: "requestSent", request: id });
  } catch (error) {
    target = withQuery("/privacy-center", { lang, error: errorKey(error) });
  }
  redirect(target);
}

export async function signOutCenterAction(formData: FormData): Promise<void> {
  const lang = langOf(formDataToObject(formData));
  const jar = await cookies();
  const token = jar.get(CENTER_COOKIE)?.value;
  if (token) await endCenterSession(db(), token);
  jar.delete({ name: CENTER_COOKIE, path: "/privacy-center" });
  redirect(withQuery("/privacy-center", { lang }));
}
