import { Link } from "@/components/ui/link";
import { Alert } from "@/components/ui/alert";
import { LinkButton } from "@/components/ui/button";
import { Badge, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { listCalendars } from "@/lib/calendar/queries";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import type { Metadata } from "next";

// Business calendars (SPEC §8): every calendar with its zone, whether it is the default, the
// years that have holiday data, and a warning when this year or next year has none.

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("calendar.title") };
}

export default async function CalendarsPage() {
  const actor = await requirePagePermission("calendars.manage");
  const { t, locale } = await getI18n();
  const calendars = await listCalendars(actor);
  const warnings = calendars.flatMap((c) => c.missingYears.filter((m) => m.current).map((m) => ({ calendar: c, year: m.year })));

  return (
    <>
      <PageHeader
        title={t("calendar.title")}
        description={t("calendar.description")}
        actions={
          <LinkButton href="/settings/calendars/new" variant="primary" data-testid="calendar-new">
            {t("calendar.list.new")}
          </LinkButton>
        }
      />
      {warnings.length > 0 ? (
        <div className="mb-4 space-y-2">
          {warnings.map(({ calendar, year }) => (
            <Alert key={calendar.id} tone="warning">
              <strong className="font-semibold">{locale === "en" ? calendar.nameEn : calendar.name}</strong>: {t("calendar.list.missingCurrent", { year })}
            </Alert>
          ))}
        </div>
      ) : null}
      <DataList caption={t("calendar.list.caption")}>
        <ListHead>
            <Th>{t("calendar.list.name")}</Th>
            <Th>{t("calendar.list.code")}</Th>
            <Th>{t("calendar.list.timeZone")}</Th>
            <Th>{t("calendar.list.years")}</Th>
            <Th>{t("calendar.list.status")}</Th>
        </ListHead>
        <ListBody>
          {calendars.length === 0 ? <ListEmpty colSpan={5}>{t("calendar.list.empty")}</ListEmpty> : null}
          {calendars.map((calendar) => {
            const name = locale === "en" ? calendar.nameEn : calendar.name;
            return (
              <ListRow key={calendar.id} data-testid="calendar-row">
                <Cell kind="title" className="sm:min-w-44">
                  <Link href={`/settings/calendars/${calendar.id}`} className="font-medium text-blue-800 hover:underline" aria-label={t("calendar.list.edit", { name })}>
                    {name}
                  </Link>
                  {calendar.isDefault ? (
                    <span className="ml-2">
                      <Badge tone="blue">{t("calendar.list.default")}</Badge>
                    </span>
                  ) : null}
                  <span className="block text-xs text-slate-500" lang={locale === "en" ? "zh-CN" : "en"}>
                    {locale === "en" ? calendar.name : calendar.nameEn}
                  </span>
                </Cell>
                <Cell label={t("calendar.list.code")} className="whitespace-nowrap font-mono text-xs">{calendar.code}</Cell>
                <Cell label={t("calendar.list.timeZone")} className="whitespace-nowrap">{calendar.timeZone}</Cell>
                <Cell label={t("calendar.list.years")} className="whitespace-nowrap tabular-nums">{calendar.years.length > 0 ? calendar.years.join(", ") : t("calendar.list.noYears")}</Cell>
                <Cell kind="status" className="sm:min-w-48">
                  <ul className="space-y-1">
                    {calendar.problems.map((problem, index) => (
                      <li key={`p${index}`}>
                        <Badge tone="red">{t(`calendar.problems.${problem.code}`)}</Badge>
                      </li>
                    ))}
                    {calendar.missingYears.map(({ year, current }) => (
                      <li key={year}>
                        <Badge tone={current ? "red" : "amber"}>{t(current ? "calendar.list.missingCurrent" : "calendar.list.missingNext", { year })}</Badge>
                      </li>
                    ))}
                    {calendar.problems.length === 0 && calendar.missingYears.length === 0 ? (
                      <li>
                        <Badge tone="green">{t("calendar.list.allGood")}</Badge>
                      </li>
                    ) : null}
                  </ul>
                </Cell>
              </ListRow>
            );
          })}
        </ListBody>
      </DataList>
    </>
  );
}
