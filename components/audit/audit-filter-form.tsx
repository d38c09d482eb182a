import { Link } from "@/components/ui/link";
import type { ReactNode } from "react";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { auditActionLabel, auditEntityLabel } from "@/lib/audit/labels";
import { DEFAULT_LOCALE, isLocale } from "@/lib/i18n/config";
import { createTranslator, messagesFor } from "@/lib/i18n/translate";

// The audit list's filters: a plain GET form, so a filtered view is a URL that can be bookmarked
// or handed to a colleague, and works before any script has loaded. The server checks the values
// (lib/audit/schemas.ts) and sends its messages back beside the fields.

export type AuditFilterLabels = {
  title: string;
  actor: string;
  actorHint: string;
  entityType: string;
  anyEntityType: string;
  entityId: string;
  action: string;
  actionHint: string;
  from: string;
  to: string;
  dateHint: string;
  apply: string;
  reset: string;
  /** "展开更多条件" and "展开更多条件（{count}）" (the list pages' words, lists.more / lists.moreActive). */
  more: string;
  moreActive: (count: number) => string;
};

const control =
  "block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-blue-600";

/** A value from the URL shown back in its field: a hostile megabyte is not echoed whole, and
 * control characters (refused with a message anyway) show as the replacement character. */
function shown(value: string | undefined): string {
  return (value ?? "").slice(0, 300).replace(/[\u0000-\u001F\u007F-\u009F]/g, "\uFFFD");
}

function Field({ id, label, hint, errors, children }: { id: string; label: string; hint?: string; errors?: string[]; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function aria(id: string, hint: string | undefined, errors: string[] | undefined) {
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ");
  return {
    id,
    "aria-invalid": errors?.length ? true : undefined,
    "aria-describedby": describedBy || undefined,
    className: cn(control, errors?.length ? "border-red-600" : "border-slate-300"),
  } as const;
}

/** The fields behind 展开. */
const MORE_KEYS = ["entityId", "from", "to"] as const;

export function AuditFilterForm({
  values,
  errors,
  entityTypes,
  actionOptions,
  labels,
  locale = DEFAULT_LOCALE,
}: {
  values: Record<string, string | undefined>;
  errors: Record<string, string[]>;
  entityTypes: string[];
  actionOptions: string[];
  labels: AuditFilterLabels;
  /** The reader's language, for the names of the object types and actions offered. */
  locale?: string;
}) {
  const t = createTranslator(messagesFor(isLocale(locale) ? locale : DEFAULT_LOCALE));
  const entityType = shown(values.entityType);
  const typeOptions = entityType && !entityTypes.includes(entityType) ? [entityType, ...entityTypes] : entityTypes;
  const moreSet = MORE_KEYS.filter((k) => Boolean(values[k])).length;
  const moreOpen = moreSet > 0 || MORE_KEYS.some((k) => Boolean(errors[k]?.length));
  return (
    <form method="get" action="/audit" role="search" aria-label={labels.title} className="space-y-4" data-testid="audit-filters">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Field id="audit-actor" label={labels.actor} hint={labels.actorHint} errors={errors.actor}>
          <input {...aria("audit-actor", labels.actorHint, errors.actor)} name="actor" type="search" defaultValue={shown(values.actor)} maxLength={254} autoComplete="off" />
        </Field>
        <Field id="audit-action" label={labels.action} hint={labels.actionHint} errors={errors.action}>
          <input {...aria("audit-action", labels.actionHint, errors.action)} name="action" type="search" list="audit-action-options" defaultValue={shown(values.action)} maxLength={100} autoComplete="off" />
          <datalist id="audit-action-options">
            {actionOptions.map((a) => (
              <option key={a} value={a} label={a.endsWith(".") ? a : locale === "en" ? `${auditActionLabel(a, t)} (${a})` : `${auditActionLabel(a, t)}（${a}）`} />
            ))}
          </datalist>
        </Field>
        <Field id="audit-entity-type" label={labels.entityType} errors={errors.entityType}>
          <select {...aria("audit-entity-type", undefined, errors.entityType)} name="entityType" defaultValue={entityType}>
            <option value="">{labels.anyEntityType}</option>
            {typeOptions.map((type) => (
              <option key={type} value={type}>
                {auditEntityLabel(type, t)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {/* The three most used fields are shown; the object's id and the dates wait behind 展开, as on
          every list page (FilterBar), open when one of them is set or refused. */}
      <details open={moreOpen} className="group" data-testid="filter-more">
        <summary className="inline-flex min-h-11 cursor-pointer items-center gap-1 rounded-md text-sm font-medium text-blue-800 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600">
          {moreSet > 0 ? labels.moreActive(moreSet) : labels.more}
        </summary>
        <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <Field id="audit-entity-id" label={labels.entityId} errors={errors.entityId}>
            <input {...aria("audit-entity-id", undefined, errors.entityId)} name="entityId" type="search" defaultValue={shown(values.entityId)} maxLength={200} autoComplete="off" />
          </Field>
          <Field id="audit-from" label={labels.from} hint={labels.dateHint} errors={errors.from}>
            <input {...aria("audit-from", labels.dateHint, errors.from)} name="from" type="date" defaultValue={shown(values.from)} />
          </Field>
          <Field id="audit-to" label={labels.to} hint={labels.dateHint} errors={errors.to}>
            <input {...aria("audit-to", labels.dateHint, errors.to)} name="to" type="date" defaultValue={shown(values.to)} />
          </Field>
        </div>
      </details>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonClass("primary", "max-sm:min-h-11")}>
          {labels.apply}
        </button>
        <Link href="/audit" className={buttonClass("ghost", "max-sm:min-h-11")}>
          {labels.reset}
        </Link>
      </div>
    </form>
  );
}
