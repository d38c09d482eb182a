import type { Metadata } from "next";
import { TargetsForm } from "@/components/dashboard/targets-form";
import { Card, PageHeader } from "@/components/ui/card";
import { figureTargets } from "@/lib/dashboard/compute";
import { FIGURES } from "@/lib/dashboard/figures";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("dashboard.targets.title") };
}

export default async function DashboardTargetsPage() {
  await requirePagePermission("dashboard.configure");
  const { t } = await getI18n();
  const targets = await figureTargets(db());
  const rows = FIGURES.map((f) => ({ key: f.key, kind: f.kind, better: f.better, weight: f.weight, ...targets.get(f.key)! }));
  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <PageHeader title={t("dashboard.targets.title")} description={t("dashboard.targets.description")} />
      <Card>
        <TargetsForm rows={rows} />
      </Card>
    </div>
  );
}
