import { Link } from "@/components/ui/link";
import { CalendarSettingsForm } from "@/components/calendar/calendar-settings-form";
import { Card, PageHeader } from "@/components/ui/card";
import { chinaStandardWeeklyHours, CN_OFFICIAL_YEARS, DEFAULT_TIME_ZONE } from "@/lib/calendar";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import type { Metadata } from "next";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("calendar.edit.newTitle") };
}

export default async function NewCalendarPage() {
  await requirePagePermission("calendars.manage");
  const { t } = await getI18n();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/settings/calendars" className="text-blue-800 hover:underline">
          <span aria-hidden="true">← </span>
          {t("calendar.edit.back")}
        </Link>
      </p>
      <PageHeader title={t("calendar.edit.newTitle")} description={t("calendar.edit.newDescription")} />
      <Card>
        <CalendarSettingsForm
          values={{ name: "", nameEn: "", code: "", timeZone: DEFAULT_TIME_ZONE, isDefault: false, weeklyHours: chinaStandardWeeklyHours() }}
          officialYears={CN_OFFICIAL_YEARS.map((y) => y.year).join(", ")}
        />
      </Card>
    </>
  );
}
