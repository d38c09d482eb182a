import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { loadPreferences } from "@/lib/notifications/commands";
import { requireActor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { PreferencesForm } from "./preferences-form";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("notifications.prefs.title") };
}

// Everyone: their own channels per kind of notification, quiet hours, digest, language
// (docs/notifications.md). Only the signed-in person's own row is read or written.
export default async function NotificationSettingsPage() {
  const actor = await requireActor();
  const { t } = await getI18n();
  const view = await loadPreferences(db(), actor.id);
  return (
    <div className="mx-auto max-w-2xl min-w-0 space-y-4">
      <PageHeader title={t("notifications.prefs.title")} description={t("notifications.prefs.intro")} />
      <Card>
        <PreferencesForm view={view} />
      </Card>
    </div>
  );
}
