import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { teamOptions } from "@/lib/service/queries";
import { toLocalDateTimeValue } from "@/lib/service/schemas";
import { CreateCaseForm } from "../_components/forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("service.newCase") };
}

export default async function NewServiceCasePage() {
  const actor = await requirePagePermission("service.work", "service.manage");
  const { t } = await getI18n();
  const teams = await teamOptions(actor, db());
  return (
    <>
      <PageHeader title={t("service.newCase")} description={t("service.newCaseDescription")} />
      <Card>
        <div className="max-w-3xl">
          <CreateCaseForm teams={teams} defaultTeamId={actor.departmentId} me={{ value: actor.id, label: actor.name }} now={toLocalDateTimeValue(new Date())} />
        </div>
      </Card>
    </>
  );
}
