import { Link } from "@/components/ui/link";
import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { SETTINGS_PAGES } from "@/lib/shell/navigation";
import type { Metadata } from "next";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("nav.settings") };
}

export default async function SettingsPage() {
  const actor = await requirePagePermission(...SETTINGS_PAGES.map((p) => p.permission));
  const { t } = await getI18n();
  const pages = SETTINGS_PAGES.filter((p) => actor.permissions.has(p.permission));
  return (
    <>
      <PageHeader title={t("nav.settings")} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {pages.map((p) => (
          <Card key={p.href}>
            <Link href={p.href} className="text-base font-semibold text-blue-800 hover:underline">
              {t(p.labelKey)}
            </Link>
            <p className="mt-1 text-sm text-slate-600">{t(p.descriptionKey)}</p>
          </Card>
        ))}
      </div>
    </>
  );
}
