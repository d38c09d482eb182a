"use client";
import { useId, type ComponentProps, type ReactNode } from "react";
import { MarkupMemo } from "@/lib/charts/markup";
import { cn } from "./cn";
import { useFieldErrors } from "./form";
import { optionsMarkup, selectOption } from "./select-options";

// 16 px text below `sm`: iOS zooms into any focused input smaller than that (WeCom's web view too).
const control =
  "block min-h-11 w-full scroll-mt-24 scroll-mb-28 rounded-md border bg-white px-3 py-2 text-base text-slate-900 sm:min-h-10 sm:text-sm shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-blue-600 disabled:bg-slate-100";

function FieldShell({ id, label, hint, errors, required, children }: { id: string; label: ReactNode; hint?: ReactNode; errors?: string[]; required?: boolean; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
        {required ? <span aria-hidden="true" className="ml-0.5 text-red-700">*</span> : null}
      </label>
      {children}
      {hint ? <p id={`${id}-hint`} className="text-xs text-slate-500">{hint}</p> : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700" role="alert">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, hint: unknown, errors?: string[]) {
  return [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

type Common = { name: string; label: ReactNode; hint?: ReactNode };

/** What every field's control carries: its id and name, its errors and hint linked, its look. */
function controlProps(id: string, name: string, hint: unknown, errors: string[] | undefined, className?: string) {
  return {
    id,
    name,
    "aria-invalid": errors?.length ? true : undefined,
    "aria-describedby": describedBy(id, hint, errors),
    className: cn(control, errors?.length ? "border-red-600" : "border-slate-300", className),
  };
}

export function TextField({ name, label, hint, className, ...props }: Common & Omit<ComponentProps<"input">, "name">) {
  const id = useId();
  const errors = useFieldErrors(name);
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} required={props.required}>
      <input
        {...controlProps(id, name, hint, errors, className)}
        {...props}
      />
    </FieldShell>
  );
}

export function TextAreaField({ name, label, hint, className, rows = 3, ...props }: Common & Omit<ComponentProps<"textarea">, "name">) {
  const id = useId();
  const errors = useFieldErrors(name);
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} required={props.required}>
      <textarea
        {...controlProps(id, name, hint, errors, className)}
        rows={rows}
        {...props}
      />
    </FieldShell>
  );
}

export function SelectField({ name, label, hint, options, className, placeholder, ...props }: Common & Omit<ComponentProps<"select">, "name"> & { options: { value: string; label: string }[]; placeholder?: string }) {
  const id = useId();
  const errors = useFieldErrors(name);
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} required={props.required}>
      <select
        {...controlProps(id, name, hint, errors, className)}
        {...props}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

// The options' markup of ManySelectField, kept under what it is written from (the list and the
// placeholder; the selected option is marked per view): the server writes the same department list
// for every view until a department changes.
const keptOptions = new MarkupMemo(50);

/**
 * SelectField for a list of hundreds of options (a company's departments): the same field and the
 * same <select> and <option>s, given the options as one string (`optionList` in
 * components/ui/select-options.ts) and written as one markup string, so that neither the page's
 * payload nor its HTML carries hundreds of values and elements (docs/performance.md, tenth
 * session). The option of `defaultValue` is the selected one (the placeholder's when it is ""), as
 * SelectField's.
 */
export function ManySelectField({
  name,
  label,
  hint,
  options,
  placeholder,
  defaultValue,
  className,
  required,
  disabled,
}: Common & { options: string; placeholder?: string; defaultValue?: string; className?: string; required?: boolean; disabled?: boolean }) {
  const id = useId();
  const errors = useFieldErrors(name);
  const markup = keptOptions.get(`${placeholder ?? "\u0001"}\u0000${options}`, () => optionsMarkup(options, placeholder));
  const html = defaultValue === undefined ? markup : selectOption(markup, defaultValue);
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} required={required}>
      <select
        {...controlProps(id, name, hint, errors, className)}
        required={required}
        disabled={disabled}
        dangerouslySetInnerHTML={{ __html: html }}
      />
    </FieldShell>
  );
}

export function CheckboxGroup({ name, label, options, defaultValues = [], disabledValues = [] }: { name: string; label: ReactNode; options: { value: string; label: string }[]; defaultValues?: string[]; disabledValues?: string[] }) {
  const id = useId();
  const errors = useFieldErrors(name);
  return (
    <fieldset className="space-y-2" aria-describedby={errors?.length ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-800">{label}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-2">
        {options.map((o) => (
          <label key={o.value} className="inline-flex min-h-11 items-center gap-2 text-base sm:min-h-0 sm:text-sm">
            <input
              type="checkbox"
              name={name}
              value={o.value}
              defaultChecked={defaultValues.includes(o.value)}
              disabled={disabledValues.includes(o.value)}
              className="h-5 w-5 rounded border-slate-400 sm:h-4 sm:w-4"
            />
            {o.label}
          </label>
        ))}
      </div>
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700" role="alert">
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
