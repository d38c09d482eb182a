"use client";
import { useId, type ComponentProps, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { useFieldErrors } from "@/components/ui/form";

// A multi-line field in the look and behaviour of components/ui/field.tsx (label, hint, errors
// from the enclosing ActionForm), which has no textarea yet.
export function TextAreaField({ name, label, hint, className, ...props }: { name: string; label: ReactNode; hint?: ReactNode } & Omit<ComponentProps<"textarea">, "name">) {
  const id = useId();
  const errors = useFieldErrors(name);
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
        {props.required ? <span aria-hidden="true" className="ml-0.5 text-red-700">*</span> : null}
      </label>
      <textarea
        id={id}
        name={name}
        rows={3}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
        className={cn(
          "block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-blue-600",
          errors?.length ? "border-red-600" : "border-slate-300",
          className,
        )}
        {...props}
      />
      {hint ? <p id={`${id}-hint`} className="text-xs text-slate-500">{hint}</p> : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700" role="alert">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
