import type { Metadata } from "next";
import { OpenCaseForm } from "@/components/offboarding/forms";
import { Card, PageHeader } from "@/components/ui/card";
import { getI18n } from "@/lib/i18n/server";
import { activeEmployees } from "@/lib/offboarding/queries";
import { isoDay, shanghaiToday } from "@/lib/offboarding/time";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, type SearchParams } from "@/lib/url";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("offboarding.newCase") };
}

export default async function NewOffboardingPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("offboarding.manage");
  const { t } = await getI18n();
  const employees = await activeEmployees(db(), actor.id);
  // ?employee=<id>: the leaver named by a notification (WeCom reported them as left) is preselected.
  const wanted = firstValues(await searchParams).employee;
  const preselected = typeof wanted === "string" && employees.some((e) => e.id === wanted) ? wanted : undefined;
  return (
    <>
      <PageHeader title={t("offboarding.newCase")} description={t("offboarding.newCaseDescription")} />
      <Card>
        <div className="max-w-xl">
          <OpenCaseForm employees={employees.map((e) => ({ id: e.id, label: `${e.name}（${e.employeeNo}）` }))} today={isoDay(shanghaiToday(new Date()))} defaultEmployeeId={preselected} />
        </div>
      </Card>
    </>
  );
}
