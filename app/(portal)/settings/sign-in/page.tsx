import type { Metadata } from "next";
import { headers } from "next/headers";
import { Card, PageHeader } from "@/components/ui/card";
import { OIDC_CALLBACK_PATH } from "@/lib/auth/oidc";
import { loadSignInSettings } from "@/lib/auth/sign-in-settings";
import { WECOM_CALLBACK_PATH } from "@/lib/auth/wecom-sign-in";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { SignInSettingsForm } from "./sign-in-forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("signIn.settings.title") };
}

// ADMIN: which sign-in methods the login page offers (docs/sign-in.md).
export default async function SignInSettingsPage() {
  await requirePagePermission("signIn.configure");
  const { t } = await getI18n();
  const client = db();
  const [view, departments] = await Promise.all([loadSignInSettings(client), client.department.findMany({ orderBy: { path: "asc" }, select: { id: true, name: true, depth: true }, take: 2000 })]);
  const h = await headers();
  const origin = view.portalUrl || `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost"}`;
  return (
    <div className="mx-auto max-w-3xl min-w-0 space-y-4">
      <PageHeader title={t("signIn.settings.title")} description={t("signIn.settings.description")} />
      <Card>
        <SignInSettingsForm
          view={view}
          departments={departments.map((d) => ({ value: d.id, label: `${"　".repeat(Math.max(0, d.depth))}${d.name}` }))}
          callbackUrls={{ wecom: `${origin}${WECOM_CALLBACK_PATH}`, oidc: `${origin}${OIDC_CALLBACK_PATH}` }}
        />
      </Card>
    </div>
  );
}
