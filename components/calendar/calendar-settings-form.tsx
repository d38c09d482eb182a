"use client";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import type { IsoWeekday, WeeklyHours, WorkingInterval } from "@/lib/calendar";
import { createCalendarAction, updateCalendarAction } from "@/lib/calendar/actions";
import { calendarCreateSchema, calendarUpdateSchema, MAX_INTERVALS_PER_DAY } from "@/lib/calendar/admin-schemas";
import { useI18n } from "@/lib/i18n/client";
import { IntervalRows, toRows, type IntervalRow } from "./interval-rows";
import { GroupErrors } from "./row-field";

// Creates a business calendar or edits its settings: names, code, time zone, the working
// intervals of each weekday (a lunch break is two intervals), the hours of 调休 days, and the
// default flag. Holidays are edited year by year elsewhere. The same zod schema as the server
// runs first; validateCalendar's problems appear beside the row they concern.

const WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

/** A few zones suggested while typing; any IANA name is accepted. */
const SUGGESTED_ZONES = ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "UTC"];

export type CalendarSettingsValues = {
  id?: string;
  version?: number;
  name: string;
  nameEn: string;
  code: string;
  timeZone: string;
  isDefault: boolean;
  weeklyHours: WeeklyHours;
  adjustedDayHours?: WorkingInterval[];
};

export function CalendarSettingsForm({ values, officialYears }: { values: CalendarSettingsValues; officialYears?: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const editing = Boolean(values.id);
  const [week, setWeek] = useState<Record<IsoWeekday, IntervalRow[]>>(
    () => Object.fromEntries(WEEKDAYS.map((d) => [d, toRows(values.weeklyHours[d])])) as Record<IsoWeekday, IntervalRow[]>,
  );
  const [customAdjusted, setCustomAdjusted] = useState(Boolean(values.adjustedDayHours));
  const [adjustedRows, setAdjustedRows] = useState<IntervalRow[]>(() => toRows(values.adjustedDayHours ?? values.weeklyHours[1]));
  const lockedDefault = editing && values.isDefault;

  const onCreated = useCallback((data: { id: string }) => router.push(`/settings/calendars/${data.id}`), [router]);

  const fields = (
    <>
      {editing ? (
        <>
          <input type="hidden" name="id" value={values.id} />
          {/* value, not defaultValue: after a save the page refreshes with the new version. */}
          <input type="hidden" name="version" value={values.version} />
        </>
      ) : null}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField name="name" label={t("calendar.fields.name")} defaultValue={values.name} required autoComplete="off" maxLength={100} />
        <TextField name="nameEn" label={t("calendar.fields.nameEn")} defaultValue={values.nameEn} required autoComplete="off" maxLength={100} lang="en" />
        <TextField name="code" label={t("calendar.fields.code")} hint={t("calendar.fields.codeHint")} defaultValue={values.code} required autoComplete="off" maxLength={32} className="uppercase" />
        <TextField name="timeZone" label={t("calendar.fields.timeZone")} hint={t("calendar.fields.timeZoneHint")} defaultValue={values.timeZone} required autoComplete="off" list="calendar-time-zones" spellCheck={false} />
        <datalist id="calendar-time-zones">
          {SUGGESTED_ZONES.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </div>

      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3 sm:p-4" aria-describedby="calendar-hours-hint">
        <legend className="px-1 text-sm font-semibold text-slate-900">{t("calendar.hours.title")}</legend>
        <p id="calendar-hours-hint" className="text-xs text-slate-600">
          {t("calendar.hours.hint")}
        </p>
        <GroupErrors name="weeklyHours" />
        <ul className="divide-y divide-slate-100">
          {WEEKDAYS.map((weekday) => {
            const dayLabel = t(`calendar.weekdays.${weekday}`);
            return (
              <li key={weekday} className="grid gap-2 py-3 sm:grid-cols-[6rem_1fr]">
                <h3 className="pt-1 text-sm font-medium text-slate-800">{dayLabel}</h3>
                <IntervalRows
                  prefix={`weeklyHours.${weekday}`}
                  dayLabel={dayLabel}
                  rows={week[weekday]}
                  onChange={(rows) => setWeek((w) => ({ ...w, [weekday]: rows }))}
                  emptyText={t("calendar.hours.dayOff")}
                  maxRows={MAX_INTERVALS_PER_DAY}
                />
              </li>
            );
          })}
        </ul>
        <Button
          variant="secondary"
          onClick={() => setWeek((w) => ({ ...w, 2: toRows(w[1]), 3: toRows(w[1]), 4: toRows(w[1]), 5: toRows(w[1]) }))}
        >
          {t("calendar.hours.copyMonday")}
        </Button>
      </fieldset>

      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3 sm:p-4">
        <legend className="px-1 text-sm font-semibold text-slate-900">{t("calendar.hours.adjustedTitle")}</legend>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="customAdjustedHours" checked={customAdjusted} onChange={(e) => setCustomAdjusted(e.target.checked)} className="mt-0.5 h-4 w-4 rounded border-slate-400" aria-describedby="calendar-adjusted-hint" />
          <span>
            {t("calendar.hours.customAdjusted")}
            <span id="calendar-adjusted-hint" className="block text-xs text-slate-600">
              {t("calendar.hours.customAdjustedHint")}
            </span>
          </span>
        </label>
        <GroupErrors name="adjustedDayHours" />
        {customAdjusted ? (
          <IntervalRows
            prefix="adjustedDayHours"
            dayLabel={t("calendar.hours.adjustedDay")}
            rows={adjustedRows}
            onChange={setAdjustedRows}
            emptyText={t("calendar.hours.dayOff")}
            maxRows={MAX_INTERVALS_PER_DAY}
          />
        ) : null}
      </fieldset>

      <div className="space-y-1">
        {lockedDefault ? (
          <>
            {/* The only default cannot be unticked here (another calendar takes the flag over). */}
            <input type="hidden" name="isDefault" value="on" />
            <p className="flex items-start gap-2 text-sm">
              <input type="checkbox" checked disabled aria-describedby="calendar-default-locked" className="mt-0.5 h-4 w-4 rounded border-slate-400" aria-label={t("calendar.fields.isDefault")} />
              <span>
                {t("calendar.fields.isDefault")}
                <span id="calendar-default-locked" className="block text-xs text-slate-600">
                  {t("calendar.fields.isDefaultLocked")}
                </span>
              </span>
            </p>
          </>
        ) : (
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="isDefault" defaultChecked={values.isDefault} className="mt-0.5 h-4 w-4 rounded border-slate-400" aria-describedby="calendar-default-hint" />
            <span>
              {t("calendar.fields.isDefault")}
              <span id="calendar-default-hint" className="block text-xs text-slate-600">
                {t("calendar.fields.isDefaultHint")}
              </span>
            </span>
          </label>
        )}
        <GroupErrors name="isDefault" />
      </div>

      {!editing && officialYears ? (
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="includeOfficialHolidays" defaultChecked className="mt-0.5 h-4 w-4 rounded border-slate-400" />
          <span>{t("calendar.fields.includeOfficial", { years: officialYears })}</span>
        </label>
      ) : null}
    </>
  );

  return editing ? (
    <ActionForm action={updateCalendarAction} schema={calendarUpdateSchema} successMessage={t("calendar.edit.saved")} ariaLabel={t("calendar.edit.settings")} className="space-y-5">
      {fields}
      <SubmitButton>{t("common.save")}</SubmitButton>
    </ActionForm>
  ) : (
    <ActionForm action={createCalendarAction} schema={calendarCreateSchema} onSuccess={onCreated} ariaLabel={t("calendar.edit.newTitle")} className="space-y-5">
      {fields}
      <SubmitButton>{t("calendar.edit.create")}</SubmitButton>
    </ActionForm>
  );
}
