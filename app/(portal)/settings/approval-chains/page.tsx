import type { Metadata } from "next";
import { ChainEditor } from "@/components/approvals/chain-editor";
import { Alert } from "@/components/ui/alert";
import { Card, PageHeader } from "@/components/ui/card";
import { listCalendarChoices, listChains } from "@/lib/approvals/queries";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("approvals.chains.title") };
}

export default async function ApprovalChainsPage() {
  await requirePagePermission("approvals.configure");
  const { t, locale } = await getI18n();
  const [chains, calendars] = await Promise.all([listChains(db()), listCalendarChoices(db())]);
  const calendarOptions = calendars.filter((c) => !c.isDefault).map((c) => ({ value: c.id, label: locale.startsWith("zh") ? c.name : c.nameEn }));

  return (
    <>
      <PageHeader title={t("approvals.chains.title")} description={t("approvals.chains.description")} />
      <div className="space-y-4">
        <Alert tone="info">{t("approvals.chains.note")}</Alert>
        {chains.map((chain) => (
          <Card key={chain.id} title={t(`approvals.types.${chain.requestType}`)}>
            <ChainEditor
              chain={{
                id: chain.id,
                requestType: chain.requestType,
                version: chain.version,
                overdueWorkingDays: chain.overdueWorkingDays,
                calendarId: chain.calendarId,
                fallbackRoles: chain.fallbackRoles,
                steps: chain.steps.map((s) => ({
                  kind: s.kind,
                  role: s.role,
                  person: s.person ? { employeeNo: s.person.employeeNo, name: s.person.name, active: s.person.active } : null,
                  classifications: s.classifications,
                })),
              }}
              calendars={calendarOptions}
            />
          </Card>
        ))}
      </div>
    </>
  );
}
