"use client";
import { useId, type ComponentProps } from "react";
import { cn } from "@/components/ui/cn";
import { useFieldErrors } from "@/components/ui/form";

// A small labelled input for the repeatable rows of the calendar forms (an interval's start,
// a holiday's first date). The visible label may be short ("Start") or hidden when the row above
// already shows it; the accessible name is always complete ("Tuesday, interval 2, start").
// Errors are those of the enclosing ActionForm for this input's name.

export function RowField({
  name,
  label,
  srLabel,
  labelHidden,
  className,
  inputClassName,
  hint,
  ...props
}: { name: string; label: string; srLabel?: string; labelHidden?: boolean; className?: string; inputClassName?: string; hint?: string } & Omit<ComponentProps<"input">, "name" | "className">) {
  const id = useId();
  const errors = useFieldErrors(name);
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("min-w-0 space-y-1", className)}>
      <label htmlFor={id} className={labelHidden ? "sr-only" : "block text-xs font-medium text-slate-700"}>
        <span aria-hidden={srLabel ? true : undefined}>{label}</span>
        {srLabel ? <span className="sr-only">{srLabel}</span> : null}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
        className={cn(
          "block w-full min-w-0 rounded-md border bg-white px-2 py-2 text-sm text-slate-900 shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-blue-600",
          errors?.length ? "border-red-600" : "border-slate-300",
          inputClassName,
        )}
        {...props}
      />
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

/** Errors that belong to a whole row or group (an overlap, an empty week), not to one input. */
export function GroupErrors({ name, id }: { name: string; id?: string }) {
  const errors = useFieldErrors(name);
  if (!errors?.length) return null;
  return (
    <p id={id} className="text-sm text-red-700" role="alert">
      {errors.join(" ")}
    </p>
  );
}
