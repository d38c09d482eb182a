import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { HolidayYearForm, type ExistingYears } from "@/components/calendar/holiday-year-form";
import { Card, PageHeader } from "@/components/ui/card";
import { MAX_YEAR, MIN_YEAR } from "@/lib/calendar/admin-schemas";
import { getCalendar } from "@/lib/calendar/queries";
import { yearData, yearFormValuesOf } from "@/lib/calendar/year-entries";
import { getI18n } from "@/lib/i18n/server";
import { getActor, requirePagePermission, type Actor } from "@/lib/server/actor";
import { firstValues, type SearchParams } from "@/lib/url";

// Add a year's holidays and adjusted working days, or correct / replace a year (?year=2027
// prefills the rows with what is stored). Without a year: the first year from this one on that
// has no data, which is what an ADMIN usually comes here for (next year's notice).

/** One read per request for the page and its title. */
const load = cache((actor: Actor, id: string) => getCalendar(actor, id));

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { t, locale } = await getI18n();
  const actor = await getActor();
  const calendar = actor?.permissions.has("calendars.manage") ? await load(actor, (await params).id) : null;
  const name = calendar ? (locale === "en" ? calendar.nameEn : calendar.name) : null;
  return { title: name ? `${t("calendar.yearForm.title")} · ${name}` : t("calendar.yearForm.title") };
}

export default async function CalendarYearPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("calendars.manage");
  const { t, locale } = await getI18n();
  const { id } = await params;
  const calendar = await load(actor, id);
  if (!calendar) notFound();
  const query = firstValues(await searchParams);
  const asked = /^\d{4}$/.test(query.year ?? "") ? Number(query.year) : undefined;
  const currentYear = Number(calendar.today.slice(0, 4));
  let year = asked !== undefined && asked >= MIN_YEAR && asked <= MAX_YEAR ? asked : currentYear;
  if (asked === undefined) while (calendar.years.includes(year)) year++;
  const replacing = calendar.years.includes(year);

  const existing: ExistingYears = Object.fromEntries(
    calendar.years.map((y) => {
      const data = yearData(calendar.definition, y);
      return [y, { holidays: data.holidays.length, adjusted: data.adjustedWorkingDays.length }];
    }),
  );
  const basePath = `/settings/calendars/${calendar.id}`;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`${basePath}#holidays`} className="text-blue-800 hover:underline">
          <span aria-hidden="true">← </span>
          {locale === "en" ? calendar.nameEn : calendar.name}
        </Link>
      </p>
      <PageHeader title={replacing ? t("calendar.yearForm.replaceTitle", { year }) : t("calendar.yearForm.title")} description={t("calendar.yearForm.description")} />
      <Card>
        <HolidayYearForm
          // Keyed by the year asked for, not the version: a save re-renders this page (revalidated)
          // and the form must stay mounted to take the person on to the calendar.
          key={query.year ?? "next"}
          calendarId={calendar.id}
          version={calendar.version}
          initial={replacing ? yearFormValuesOf(calendar.definition, year) : { year: String(year), holidays: [], adjustedWorkingDays: [] }}
          existing={existing}
        />
      </Card>
    </>
  );
}
