"use client";
import { Button } from "@/components/ui/button";
import { useI18n } from "@/lib/i18n/client";
import { GroupErrors, RowField } from "./row-field";

// One day's working intervals as rows of start–end inputs, added and removed in place. Inputs
// are named `<prefix>.<row>.start|end` (see lib/calendar/admin-schemas.ts), numbered as shown,
// so a message from the server lands beside the row it concerns.

export type IntervalRow = { key: number; start: string; end: string };

let nextKey = 1;
export const newRowKey = () => nextKey++;

export function toRows(intervals: readonly { start: string; end: string }[]): IntervalRow[] {
  return intervals.map((i) => ({ key: newRowKey(), start: i.start, end: i.end }));
}

export function IntervalRows({
  prefix,
  dayLabel,
  rows,
  onChange,
  emptyText,
  maxRows,
}: {
  prefix: string;
  dayLabel: string;
  rows: IntervalRow[];
  onChange: (rows: IntervalRow[]) => void;
  emptyText: string;
  maxRows: number;
}) {
  const { t } = useI18n();
  const update = (key: number, field: "start" | "end", value: string) => onChange(rows.map((r) => (r.key === key ? { ...r, [field]: value } : r)));
  return (
    <div className="space-y-2">
      <GroupErrors name={prefix} />
      {rows.length === 0 ? <p className="text-sm text-slate-500">{emptyText}</p> : null}
      <ul className="space-y-2">
        {rows.map((row, index) => {
          const n = index + 1;
          const name = `${prefix}.${index}`;
          return (
            <li key={row.key} className="space-y-1">
              <div className="flex flex-wrap items-end gap-2">
                <RowField
                  name={`${name}.start`}
                  label={t("calendar.hours.start")}
                  srLabel={t("calendar.hours.startOf", { day: dayLabel, n })}
                  labelHidden={index > 0}
                  value={row.start}
                  onChange={(e) => update(row.key, "start", e.target.value)}
                  placeholder="09:00"
                  autoComplete="off"
                  maxLength={5}
                  className="w-20 sm:w-24"
                />
                <span aria-hidden="true" className="self-end pb-2 text-slate-500">
                  –
                </span>
                <RowField
                  name={`${name}.end`}
                  label={t("calendar.hours.end")}
                  srLabel={t("calendar.hours.endOf", { day: dayLabel, n })}
                  labelHidden={index > 0}
                  value={row.end}
                  onChange={(e) => update(row.key, "end", e.target.value)}
                  placeholder="18:00"
                  autoComplete="off"
                  maxLength={5}
                  className="w-20 sm:w-24"
                />
                <Button
                  variant="ghost"
                  className="px-3"
                  aria-label={t("calendar.hours.removeOf", { day: dayLabel, n })}
                  onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
                >
                  {t("calendar.hours.remove")}
                </Button>
              </div>
              <GroupErrors name={name} />
            </li>
          );
        })}
      </ul>
      {rows.length < maxRows ? (
        <Button variant="secondary" className="min-h-9 px-3 py-1" aria-label={t("calendar.hours.addTo", { day: dayLabel })} onClick={() => onChange([...rows, { key: newRowKey(), start: "", end: "" }])}>
          {t("calendar.hours.add")}
        </Button>
      ) : null}
    </div>
  );
}
