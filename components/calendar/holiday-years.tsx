import { Link } from "@/components/ui/link";
import { Alert } from "@/components/ui/alert";
import { LinkButton } from "@/components/ui/button";
import { Cell, DataList, ListBody, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import type { CalendarDefinition } from "@/lib/calendar";
import { yearData } from "@/lib/calendar/year-entries";
import { getI18n } from "@/lib/i18n/server";
import { RemoveYearForm } from "./remove-year-form";

// A calendar's holidays and adjusted working days, year by year (newest first): the holiday
// periods as the notice publishes them, the 调休 days with their weekday, and per year the
// links to correct / replace it, to check it in the month view, and to remove it.

/** ISO weekday (1 = Monday) of a "YYYY-MM-DD" date. */
const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

export async function HolidayYears({
  calendarId,
  version,
  definition,
  years,
  currentYear,
  basePath,
}: {
  calendarId: string;
  version: number;
  definition: CalendarDefinition;
  years: number[];
  currentYear: number;
  basePath: string;
}) {
  const { t, locale } = await getI18n();
  const missing = [currentYear, currentYear + 1].filter((year) => !years.includes(year));
  const yearsHref = (year?: number) => `${basePath}/years${year ? `?year=${year}` : ""}`;

  return (
    <div className="space-y-4">
      {missing.map((year) => (
        <Alert key={year} tone="warning">
          {t(year === currentYear ? "calendar.list.missingCurrent" : "calendar.list.missingNext", { year })}{" "}
          <Link href={yearsHref(year)} className="font-medium underline">
            {t("calendar.years.add")}
          </Link>
        </Alert>
      ))}
      {years.length === 0 ? <p className="text-sm text-slate-600">{t("calendar.years.none")}</p> : null}
      {[...years].reverse().map((year) => {
        const data = yearData(definition, year);
        return (
          <details key={year} open={year >= currentYear} className="group rounded-md border border-slate-200">
            <summary className="flex cursor-pointer flex-wrap items-baseline gap-x-3 gap-y-1 px-3 py-2 hover:bg-slate-50">
              <span className="font-semibold text-slate-900">{t("calendar.years.yearTitle", { year })}</span>
              <span className="text-sm text-slate-600">
                {t("calendar.years.summary", { ranges: data.ranges.length, holidays: data.holidays.length, adjusted: data.adjustedWorkingDays.length })}
              </span>
            </summary>
            <div className="space-y-4 border-t border-slate-200 p-3">
              {data.ranges.length > 0 ? (
                <DataList caption={t("calendar.years.holidaysCaption", { year })}>
                  <ListHead>
                    <Th>{t("calendar.years.name")}</Th>
                    <Th>{t("calendar.years.from")}</Th>
                    <Th>{t("calendar.years.to")}</Th>
                    <Th className="text-right">{t("calendar.years.days")}</Th>
                  </ListHead>
                  <ListBody>
                    {data.ranges.map((range) => (
                      <ListRow key={range.from}>
                        <Cell kind="title">
                          {locale === "en" ? (range.nameEn ?? range.name) : range.name}
                          {locale !== "en" && range.nameEn ? (
                            <span className="ml-1 text-xs text-slate-500" lang="en">
                              {range.nameEn}
                            </span>
                          ) : null}
                        </Cell>
                        <Cell label={t("calendar.years.from")} className="tabular-nums sm:whitespace-nowrap">{range.from}</Cell>
                        <Cell label={t("calendar.years.to")} className="tabular-nums sm:whitespace-nowrap">{range.to}</Cell>
                        <Cell label={t("calendar.years.days")} className="tabular-nums sm:text-right">{range.days}</Cell>
                      </ListRow>
                    ))}
                  </ListBody>
                </DataList>
              ) : null}
              {data.adjustedWorkingDays.length > 0 ? (
                <DataList caption={t("calendar.years.adjustedCaption", { year })}>
                  <ListHead>
                    <Th>{t("calendar.years.date")}</Th>
                    <Th>{t("calendar.years.weekday")}</Th>
                    <Th>{t("calendar.years.name")}</Th>
                  </ListHead>
                  <ListBody>
                    {data.adjustedWorkingDays.map((day) => (
                      <ListRow key={day.date}>
                        <Cell kind="title" className="tabular-nums sm:whitespace-nowrap">{day.date}</Cell>
                        <Cell label={t("calendar.years.weekday")} className="sm:whitespace-nowrap">{t(`calendar.weekdays.${isoWeekday(day.date)}`)}</Cell>
                        <Cell label={t("calendar.years.name")}>{day.name ?? ""}</Cell>
                      </ListRow>
                    ))}
                  </ListBody>
                </DataList>
              ) : (
                <p className="text-sm text-slate-600">{t("calendar.years.noAdjusted")}</p>
              )}
              <div className="flex flex-wrap items-start gap-2">
                <LinkButton href={yearsHref(year)}>{t("calendar.years.replace", { year })}</LinkButton>
                <LinkButton href={`${basePath}?month=${year}-01#month`} variant="ghost">
                  {t("calendar.years.showMonth", { year })}
                </LinkButton>
                <RemoveYearForm calendarId={calendarId} version={version} year={year} />
              </div>
            </div>
          </details>
        );
      })}
    </div>
  );
}
