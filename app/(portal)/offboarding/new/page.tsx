import type { Metadata } from "next";
import { OpenCaseForm } from "@/components/offboarding/forms";
import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { activeEmployees } from "@/lib/offboarding/queries";
import { isoDay, shanghaiToday } from "@/lib/offboarding/time";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("offboarding.newCase") };
}

export default async function NewOffboardingPage() {
  const actor = await requirePagePermission("offboarding.manage");
  const { t } = await getI18n();
  const employees = await activeEmployees(db(), actor.id);
  return (
    <>
      <PageHeader title={t("offboarding.newCase")} description={t("offboarding.newCaseDescription")} />
      <Card>
        <div className="max-w-xl">
          <OpenCaseForm employees={employees.map((e) => ({ id: e.id, label: `${e.name}（${e.employeeNo}）` }))} today={isoDay(shanghaiToday(new Date()))} />
        </div>
      </Card>
    </>
  );
}
