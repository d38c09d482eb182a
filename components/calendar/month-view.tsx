import { Link } from "@/components/ui/link";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { CalendarDefinition, DayKind, IsoWeekday } from "@/lib/calendar";
import { addMonths, monthGrid, type CivilMonth } from "@/lib/calendar/month-grid";
import { getI18n } from "@/lib/i18n/server";

// One month of a calendar as describeDate sees it, so an ADMIN can check the definition they
// saved: a real table (caption, weekday headers) whose cells say in words what each day is —
// working day, day off, holiday (with its name) or adjusted working day — colour only repeats
// it. Seven equal columns fit a 375 px screen; the hours show from the small breakpoint up.

const WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

const KIND_STYLE: Record<DayKind, string> = {
  WORKING_DAY: "bg-white text-slate-900",
  DAY_OFF: "bg-slate-100 text-slate-600",
  HOLIDAY: "bg-red-50 text-red-900",
  ADJUSTED_WORKING_DAY: "bg-amber-50 text-amber-950",
};

const KIND_MARK: Record<DayKind, string> = {
  WORKING_DAY: "border-l-slate-300",
  DAY_OFF: "border-l-slate-400",
  HOLIDAY: "border-l-red-600",
  ADJUSTED_WORKING_DAY: "border-l-amber-500",
};

export async function MonthView({
  definition,
  month,
  today,
  calendarName,
  basePath,
}: {
  definition: CalendarDefinition;
  month: CivilMonth;
  /** The calendar's local date today, marked in the grid. */
  today: string;
  calendarName: string;
  /** The page the month links point to (`?month=YYYY-MM#month` is added). */
  basePath: string;
}) {
  const { t, locale } = await getI18n();
  const grid = monthGrid(definition, month);
  const [year, monthNumber] = month.split("-").map(Number);
  const monthTitle = new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(Date.UTC(year, monthNumber - 1, 1));
  const fullDate = new Intl.DateTimeFormat(locale, { month: "long", day: "numeric", weekday: "long", timeZone: "UTC" });
  const href = (m: CivilMonth) => `${basePath}?month=${m}#month`;
  const currentMonth = today.slice(0, 7);
  const hoursText = (hours: { start: string; end: string }[]) => hours.map((h) => `${h.start}–${h.end}`).join(", ");

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <nav aria-label={t("calendar.month.title")} className="flex flex-wrap gap-2">
          <Link href={href(addMonths(month, -1))} className={buttonClass("secondary", "px-3")}>
            <span aria-hidden="true">←</span> {t("calendar.month.previous")}
          </Link>
          {month !== currentMonth ? (
            <Link href={href(currentMonth)} className={buttonClass("ghost", "px-3")}>
              {t("calendar.month.thisMonth")}
            </Link>
          ) : null}
          <Link href={href(addMonths(month, 1))} className={buttonClass("secondary", "px-3")}>
            {t("calendar.month.next")} <span aria-hidden="true">→</span>
          </Link>
        </nav>
        {/* A plain GET form: any month can be typed (a browser without a month picker shows a text box). */}
        <form action={`${basePath}#month`} method="get" className="flex items-end gap-2">
          <div className="space-y-1">
            <label htmlFor="calendar-month" className="block text-xs font-medium text-slate-700">
              {t("calendar.month.monthLabel")}
            </label>
            <input
              id="calendar-month"
              name="month"
              type="month"
              defaultValue={month}
              min="1900-01"
              max="9999-12"
              pattern="\d{4}-\d{2}"
              className="block w-40 rounded-md border border-slate-300 bg-white px-2 py-2 text-sm shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-blue-600"
            />
          </div>
          <button type="submit" className={buttonClass("secondary", "px-3")}>
            {t("calendar.month.go")}
          </button>
        </form>
      </div>

      {grid.missingHolidayData ? <Alert tone="warning">{t("calendar.month.noData", { year })}</Alert> : null}

      <table className="w-full table-fixed border-collapse text-left text-xs sm:text-sm">
        <caption className="mb-2 text-left text-base font-semibold text-slate-900">{t("calendar.month.caption", { month: monthTitle, calendar: calendarName })}</caption>
        <thead>
          <tr>
            {WEEKDAYS.map((weekday) => (
              <th key={weekday} scope="col" className="border border-slate-200 bg-slate-50 px-1 py-1 text-center font-medium text-slate-700">
                <span aria-hidden="true">{t(`calendar.weekdaysShort.${weekday}`)}</span>
                <span className="sr-only">{t(`calendar.weekdays.${weekday}`)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.weeks.map((week, index) => (
            <tr key={index}>
              {week.map((day, column) => {
                if (!day) return <td key={`pad-${column}`} className="border border-slate-200 bg-slate-50/50" />;
                const isToday = day.date === today;
                const [y, m, d] = day.date.split("-").map(Number);
                const name = locale === "en" ? (day.nameEn ?? day.name) : day.name;
                return (
                  <td
                    key={day.date}
                    aria-current={isToday ? "date" : undefined}
                    className={cn("h-16 border border-l-4 border-slate-200 px-0.5 py-1 align-top wrap-anywhere sm:h-20 sm:px-2", KIND_STYLE[day.kind], KIND_MARK[day.kind], isToday && "outline-2 -outline-offset-2 outline-blue-700")}
                  >
                    <span className="sr-only">{fullDate.format(Date.UTC(y, m - 1, d))}</span>
                    <span aria-hidden="true" className="block font-semibold">
                      {d}
                    </span>
                    <span className="sr-only">{t(`calendar.month.kinds.${day.kind}`)}</span>
                    <span aria-hidden="true" className="block text-[11px] leading-tight sm:hidden">
                      {t(`calendar.month.kindsShort.${day.kind}`)}
                    </span>
                    <span aria-hidden="true" className="hidden leading-tight sm:block">
                      {t(`calendar.month.kinds.${day.kind}`)}
                    </span>
                    {name ? <span className="block text-[11px] leading-tight font-medium sm:text-xs">{name}</span> : null}
                    {day.hours.length > 0 ? <span className="hidden text-[11px] leading-tight text-slate-600 md:block">{hoursText(day.hours)}</span> : null}
                    {isToday ? <span className="block text-[11px] font-semibold text-blue-800">{t("calendar.month.today")}</span> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>

      <p className="text-sm text-slate-700">
        {t("calendar.month.summary", { working: grid.counts.working + grid.counts.adjusted, adjusted: grid.counts.adjusted, holiday: grid.counts.holiday, dayOff: grid.counts.dayOff })}
      </p>
      <ul aria-label={t("calendar.month.legend")} className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700">
        {(Object.keys(KIND_STYLE) as DayKind[]).map((kind) => (
          <li key={kind} className="flex items-center gap-1">
            <span aria-hidden="true" className={cn("inline-block h-3 w-4 border border-l-4 border-slate-200", KIND_STYLE[kind], KIND_MARK[kind])} />
            {t(`calendar.month.kinds.${kind}`)}
            {/* The cells of a phone screen use the short words. */}
            <span aria-hidden="true" className="text-slate-500 sm:hidden">
              ({t(`calendar.month.kindsShort.${kind}`)})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
