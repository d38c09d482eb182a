import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { CalendarSettingsForm } from "@/components/calendar/calendar-settings-form";
import { HolidayYears } from "@/components/calendar/holiday-years";
import { MonthView } from "@/components/calendar/month-view";
import { Alert } from "@/components/ui/alert";
import { LinkButton } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { parseCivilMonth } from "@/lib/calendar/month-grid";
import { getCalendar } from "@/lib/calendar/queries";
import { getI18n } from "@/lib/i18n/server";
import { getActor, requirePagePermission, type Actor } from "@/lib/server/actor";
import { firstValues, type SearchParams } from "@/lib/url";

// One business calendar: its settings (names, code, zone, weekly hours, 调休-day hours, default),
// its holidays and adjusted working days year by year, and a month view to check the result.

/** One read per request for the page and its title. */
const load = cache((actor: Actor, id: string) => getCalendar(actor, id));

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { t, locale } = await getI18n();
  const actor = await getActor();
  const calendar = actor?.permissions.has("calendars.manage") ? await load(actor, (await params).id) : null;
  const name = calendar ? (locale === "en" ? calendar.nameEn : calendar.name) : null;
  return { title: name ? `${name} · ${t("calendar.title")}` : t("calendar.title") };
}

export default async function CalendarPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("calendars.manage");
  const { t, locale } = await getI18n();
  const { id } = await params;
  const calendar = await load(actor, id);
  if (!calendar) notFound();
  const query = firstValues(await searchParams);
  const month = parseCivilMonth(query.month) ? query.month.trim() : calendar.today.slice(0, 7);
  const currentYear = Number(calendar.today.slice(0, 4));
  const basePath = `/settings/calendars/${calendar.id}`;
  const name = locale === "en" ? calendar.nameEn : calendar.name;
  const { definition } = calendar;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/settings/calendars" className="text-blue-800 hover:underline">
          <span aria-hidden="true">← </span>
          {t("calendar.edit.back")}
        </Link>
      </p>
      <PageHeader
        title={
          <>
            {name}
            {calendar.isDefault ? (
              <span className="ml-2 align-middle">
                <Badge tone="blue">{t("calendar.list.default")}</Badge>
              </span>
            ) : null}
          </>
        }
        description={`${calendar.code} · ${definition.timeZone} · ${t("calendar.edit.version", { version: calendar.version })}`}
        actions={<LinkButton href={`${basePath}/years`}>{t("calendar.years.add")}</LinkButton>}
      />
      <nav aria-label={t("calendar.edit.sections")} className="mb-4 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <a href="#settings" className="text-blue-800 hover:underline">
          {t("calendar.edit.settings")}
        </a>
        <a href="#holidays" className="text-blue-800 hover:underline">
          {t("calendar.years.title")}
        </a>
        <a href="#month" className="text-blue-800 hover:underline">
          {t("calendar.month.title")}
        </a>
      </nav>
      {calendar.problems.length > 0 ? (
        <div className="mb-4">
          <Alert tone="error">
            <ul className="list-inside list-disc">
              {calendar.problems.map((problem, index) => (
                <li key={index}>
                  {t(`calendar.problems.${problem.code}`)}
                  {problem.date ? ` (${problem.date})` : problem.weekday ? ` (${t(`calendar.weekdays.${problem.weekday}`)})` : ""}
                </li>
              ))}
            </ul>
          </Alert>
        </div>
      ) : null}

      <div className="space-y-6">
        <section id="settings" aria-labelledby="settings-title" className="scroll-mt-4">
          <Card title={<span id="settings-title">{t("calendar.edit.settings")}</span>}>
            <CalendarSettingsForm
              values={{
                id: calendar.id,
                version: calendar.version,
                name: calendar.name,
                nameEn: calendar.nameEn,
                code: calendar.code,
                timeZone: definition.timeZone,
                isDefault: calendar.isDefault,
                weeklyHours: definition.weeklyHours,
                adjustedDayHours: definition.adjustedDayHours,
              }}
            />
          </Card>
        </section>

        <section id="holidays" aria-labelledby="holidays-title" className="scroll-mt-4">
          <Card title={<span id="holidays-title">{t("calendar.years.title")}</span>} actions={<LinkButton href={`${basePath}/years`}>{t("calendar.years.add")}</LinkButton>}>
            <p className="mb-4 text-sm text-slate-600">{t("calendar.years.description")}</p>
            <HolidayYears calendarId={calendar.id} version={calendar.version} definition={definition} years={calendar.years} currentYear={currentYear} basePath={basePath} />
          </Card>
        </section>

        <section id="month" aria-labelledby="month-title" className="scroll-mt-4">
          <Card title={<span id="month-title">{t("calendar.month.title")}</span>}>
            <p className="mb-4 text-sm text-slate-600">{t("calendar.month.description")}</p>
            {calendar.problems.length === 0 ? (
              <MonthView definition={definition} month={month} today={calendar.today} calendarName={name} basePath={basePath} />
            ) : null}
          </Card>
        </section>
      </div>
    </>
  );
}
