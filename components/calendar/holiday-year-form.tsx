"use client";
import { useRouter } from "next/navigation";
import { useCallback, useId, useMemo, useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { expandHolidayRanges } from "@/lib/calendar";
import { replaceCalendarYearAction } from "@/lib/calendar/actions";
import { MAX_YEAR_ROWS, parseOfficialNotice, replaceYearSchema, yearEntriesSchema, yearFormFields, type YearFormValues } from "@/lib/calendar/admin-schemas";
import { useI18n } from "@/lib/i18n/client";
import { newRowKey } from "./interval-rows";
import { GroupErrors, RowField } from "./row-field";

// Adds one year's holidays and adjusted working days (调休), or replaces that year as a whole.
// People type rows (a holiday period per row, an adjusted day per row) or paste the official
// notice as JSON, which fills the same rows. A preview, computed with the schema the server
// uses, says what will be saved (and what it replaces) before anything is sent.

type HolidayRow = YearFormValues["holidays"][number] & { key: number };
type AdjustedRow = YearFormValues["adjustedWorkingDays"][number] & { key: number };

const withKeys = <T extends object>(rows: readonly T[]) => rows.map((r) => ({ ...r, key: newRowKey() }));
const withoutKey = <T extends { key: number }>({ key: _key, ...rest }: T) => {
  void _key;
  return rest;
};

export type ExistingYears = Record<number, { holidays: number; adjusted: number }>;

export function HolidayYearForm({ calendarId, version, initial, existing }: { calendarId: string; version: number; initial: YearFormValues; existing: ExistingYears }) {
  const { t } = useI18n();
  const router = useRouter();
  const jsonId = useId();
  const [year, setYear] = useState(initial.year);
  const [holidays, setHolidays] = useState<HolidayRow[]>(() => withKeys(initial.holidays));
  const [adjusted, setAdjusted] = useState<AdjustedRow[]>(() => withKeys(initial.adjustedWorkingDays));
  const [json, setJson] = useState("");
  const [jsonMessage, setJsonMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);

  const values: YearFormValues = useMemo(() => ({ year, holidays: holidays.map(withoutKey), adjustedWorkingDays: adjusted.map(withoutKey) }), [year, holidays, adjusted]);
  const preview = useMemo(() => yearEntriesSchema.safeParse(yearFormFields(values)), [values]);

  const onSaved = useCallback(
    (data: { id: string; year: number }) => router.push(`/settings/calendars/${data.id}?month=${data.year}-01#holidays`),
    [router],
  );

  function loadJson() {
    const result = parseOfficialNotice(json);
    if (!result.ok) return setJsonMessage({ tone: "error", text: t(result.error, { detail: result.detail }) });
    setYear(result.values.year);
    setHolidays(withKeys(result.values.holidays));
    setAdjusted(withKeys(result.values.adjustedWorkingDays));
    setJsonMessage({
      tone: "success",
      text: t("calendar.yearForm.json.loaded", { year: result.values.year, ranges: result.values.holidays.length, adjusted: result.values.adjustedWorkingDays.length }),
    });
  }

  const updateHoliday = (key: number, field: keyof YearFormValues["holidays"][number], value: string) =>
    setHolidays((rows) => rows.map((r) => (r.key === key ? { ...r, [field]: value } : r)));
  const updateAdjusted = (key: number, field: keyof YearFormValues["adjustedWorkingDays"][number], value: string) =>
    setAdjusted((rows) => rows.map((r) => (r.key === key ? { ...r, [field]: value } : r)));
  const yearBounds = /^\d{4}$/.test(year) ? { min: `${year}-01-01`, max: `${year}-12-31` } : {};

  return (
    <div className="space-y-6">
      <section aria-labelledby={`${jsonId}-title`} className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3 sm:p-4">
        <h2 id={`${jsonId}-title`} className="text-sm font-semibold text-slate-900">
          {t("calendar.yearForm.json.title")}
        </h2>
        <p id={`${jsonId}-hint`} className="break-words text-xs text-slate-600">
          {t("calendar.yearForm.json.hint")}
        </p>
        <label htmlFor={jsonId} className="block text-sm font-medium text-slate-800">
          {t("calendar.yearForm.json.label")}
        </label>
        <textarea
          id={jsonId}
          value={json}
          onChange={(e) => setJson(e.target.value)}
          rows={6}
          spellCheck={false}
          aria-describedby={`${jsonId}-hint`}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs text-slate-900 shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-blue-600"
        />
        <Button variant="secondary" onClick={loadJson} disabled={json.trim() === ""}>
          {t("calendar.yearForm.json.load")}
        </Button>
        <div aria-live="polite">{jsonMessage ? <Alert tone={jsonMessage.tone === "error" ? "warning" : "success"}>{jsonMessage.text}</Alert> : null}</div>
      </section>

      <ActionForm action={replaceCalendarYearAction} schema={replaceYearSchema} onSuccess={onSaved} ariaLabel={t("calendar.yearForm.title")} className="space-y-5">
        <input type="hidden" name="calendarId" value={calendarId} />
        <input type="hidden" name="version" value={version} />
        <div className="max-w-56">
          <RowField name="year" label={t("calendar.yearForm.year")} hint={t("calendar.yearForm.yearHint")} value={year} onChange={(e) => setYear(e.target.value)} inputMode="numeric" maxLength={4} autoComplete="off" required />
        </div>

        <fieldset className="space-y-3">
          <legend className="text-sm font-semibold text-slate-900">{t("calendar.yearForm.holidays")}</legend>
          <p className="text-xs text-slate-600">{t("calendar.yearForm.holidaysHint")}</p>
          <GroupErrors name="holidays" />
          {holidays.length === 0 ? <p className="text-sm text-slate-500">{t("calendar.yearForm.noHolidays")}</p> : null}
          <ol className="space-y-3">
            {holidays.map((row, index) => {
              const rowLabel = t("calendar.yearForm.holidayRow", { n: index + 1 });
              const sr = (field: string) => t("calendar.yearForm.fieldOf", { row: rowLabel, field });
              const name = `holidays.${index}`;
              return (
                <li key={row.key} className="rounded-md border border-slate-200 p-3">
                  <div className="grid grid-cols-2 gap-2 sm:grid-cols-[1fr_1fr_10rem_10rem_auto] sm:items-end">
                    <RowField name={`${name}.name`} label={t("calendar.yearForm.rowName")} srLabel={sr(t("calendar.yearForm.rowName"))} value={row.name} onChange={(e) => updateHoliday(row.key, "name", e.target.value)} maxLength={100} autoComplete="off" />
                    <RowField name={`${name}.nameEn`} label={t("calendar.yearForm.rowNameEn")} srLabel={sr(t("calendar.yearForm.rowNameEn"))} value={row.nameEn} onChange={(e) => updateHoliday(row.key, "nameEn", e.target.value)} maxLength={100} autoComplete="off" lang="en" />
                    <RowField name={`${name}.from`} type="date" label={t("calendar.yearForm.from")} srLabel={sr(t("calendar.yearForm.from"))} value={row.from} onChange={(e) => updateHoliday(row.key, "from", e.target.value)} {...yearBounds} />
                    <RowField name={`${name}.to`} type="date" label={t("calendar.yearForm.to")} srLabel={sr(t("calendar.yearForm.to"))} value={row.to} onChange={(e) => updateHoliday(row.key, "to", e.target.value)} {...yearBounds} />
                    <Button variant="ghost" className="col-span-2 justify-self-start sm:col-span-1" aria-label={t("calendar.yearForm.removeRow", { row: rowLabel })} onClick={() => setHolidays((rows) => rows.filter((r) => r.key !== row.key))}>
                      {t("calendar.yearForm.remove")}
                    </Button>
                  </div>
                </li>
              );
            })}
          </ol>
          {holidays.length < MAX_YEAR_ROWS ? (
            <Button variant="secondary" onClick={() => setHolidays((rows) => [...rows, { key: newRowKey(), name: "", nameEn: "", from: "", to: "" }])}>
              {t("calendar.yearForm.addHoliday")}
            </Button>
          ) : null}
        </fieldset>

        <fieldset className="space-y-3">
          <legend className="text-sm font-semibold text-slate-900">{t("calendar.yearForm.adjusted")}</legend>
          <p className="text-xs text-slate-600">{t("calendar.yearForm.adjustedHint")}</p>
          <GroupErrors name="adjustedWorkingDays" />
          {adjusted.length === 0 ? <p className="text-sm text-slate-500">{t("calendar.yearForm.noAdjusted")}</p> : null}
          <ol className="space-y-3">
            {adjusted.map((row, index) => {
              const rowLabel = t("calendar.yearForm.adjustedRow", { n: index + 1 });
              const sr = (field: string) => t("calendar.yearForm.fieldOf", { row: rowLabel, field });
              const name = `adjustedWorkingDays.${index}`;
              return (
                <li key={row.key} className="rounded-md border border-slate-200 p-3">
                  <div className="grid grid-cols-2 gap-2 sm:grid-cols-[10rem_1fr_auto] sm:items-end">
                    <RowField name={`${name}.date`} type="date" label={t("calendar.yearForm.date")} srLabel={sr(t("calendar.yearForm.date"))} value={row.date} onChange={(e) => updateAdjusted(row.key, "date", e.target.value)} {...yearBounds} />
                    <RowField name={`${name}.name`} label={t("calendar.yearForm.rowName")} srLabel={sr(t("calendar.yearForm.rowName"))} value={row.name} onChange={(e) => updateAdjusted(row.key, "name", e.target.value)} maxLength={100} autoComplete="off" />
                    <Button variant="ghost" className="col-span-2 justify-self-start sm:col-span-1" aria-label={t("calendar.yearForm.removeRow", { row: rowLabel })} onClick={() => setAdjusted((rows) => rows.filter((r) => r.key !== row.key))}>
                      {t("calendar.yearForm.remove")}
                    </Button>
                  </div>
                </li>
              );
            })}
          </ol>
          {adjusted.length < MAX_YEAR_ROWS ? (
            <Button variant="secondary" onClick={() => setAdjusted((rows) => [...rows, { key: newRowKey(), date: "", name: "" }])}>
              {t("calendar.yearForm.addAdjusted")}
            </Button>
          ) : null}
        </fieldset>

        <Preview preview={preview} existing={existing} />
        <SubmitButton>{t("calendar.yearForm.save")}</SubmitButton>
      </ActionForm>
    </div>
  );
}

function Preview({ preview, existing }: { preview: ReturnType<typeof yearEntriesSchema.safeParse>; existing: ExistingYears }) {
  const { t } = useI18n();
  // Problems found by the server (a stale page, a calendar-wide rule) are shown by the form;
  // the preview reflects what is typed now.
  let body: ReactNode;
  if (preview.success) {
    const { year, holidays, adjustedWorkingDays } = preview.data;
    const current = existing[year];
    body = (
      <>
        <p>{t("calendar.yearForm.preview.ok", { year, ranges: holidays.length, holidays: expandHolidayRanges(holidays).length, adjusted: adjustedWorkingDays.length })}</p>
        <p className="mt-1">
          {current ? t("calendar.yearForm.preview.replaces", { year, holidays: current.holidays, adjusted: current.adjusted }) : t("calendar.yearForm.preview.adds", { year })}
        </p>
      </>
    );
  } else {
    const empty = preview.error.issues.every((i) => i.message === "calendar.v.yearEmpty" || i.message === "calendar.v.year");
    body = <p>{empty ? t("calendar.yearForm.preview.incomplete") : t("calendar.yearForm.preview.problems", { count: preview.error.issues.length })}</p>;
  }
  return (
    <section aria-labelledby="year-preview-title" className="rounded-md border border-blue-200 bg-blue-50 p-3 text-sm text-blue-950" aria-live="polite">
      <h2 id="year-preview-title" className="font-semibold">
        {t("calendar.yearForm.preview.title")}
      </h2>
      <div className="mt-1">{body}</div>
    </section>
  );
}
