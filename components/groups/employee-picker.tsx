"use client";
import { useEffect, useId, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { useFieldErrors } from "@/components/ui/form";
import { useI18n } from "@/lib/i18n/client";

export type PickedPerson = { id: string; label: string };

// Chooses ACTIVE employees by searching as one types (GET /api/groups/people), so the form never
// ships the whole company to a phone. The choice travels as hidden inputs named `name` (one per
// person), which is what the zod schema reads; the server checks each id again.
export function EmployeePicker({
  name,
  label,
  hint,
  multiple = false,
  max = 10,
  initial = [],
  required,
}: {
  name: string;
  label: string;
  hint?: string;
  multiple?: boolean;
  max?: number;
  initial?: PickedPerson[];
  required?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const errors = useFieldErrors(name);
  const [selected, setSelected] = useState<PickedPerson[]>(initial);
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<PickedPerson[]>([]);
  const [state, setState] = useState<"idle" | "searching" | "done" | "failed">("idle");
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setState("searching");
      try {
        const response = await fetch(`/api/groups/people?q=${encodeURIComponent(q)}`, { signal: controller.signal });
        if (!response.ok) throw new Error(String(response.status));
        const body = (await response.json()) as { people: PickedPerson[] };
        setResults(body.people);
        setState("done");
      } catch (error) {
        if ((error as Error).name !== "AbortError") setState("failed");
      }
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const choose = (person: PickedPerson) => {
    setSelected((prior) => (multiple ? (prior.some((p) => p.id === person.id) || prior.length >= max ? prior : [...prior, person]) : [person]));
    setQuery("");
    setResults([]);
    setState("idle");
    inputRef.current?.focus();
  };
  const remove = (personId: string) => setSelected((prior) => prior.filter((p) => p.id !== personId));

  const shown = query.trim() ? results.filter((r) => !selected.some((s) => s.id === r.id)) : [];
  const full = multiple && selected.length >= max;
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <fieldset className="space-y-2" aria-describedby={describedBy}>
      <legend className="text-sm font-medium text-slate-800">
        {label}
        {required ? <span aria-hidden="true" className="ml-0.5 text-red-700">*</span> : null}
      </legend>
      {selected.map((p) => (
        <input key={p.id} type="hidden" name={name} value={p.id} />
      ))}
      {selected.length ? (
        <ul className="flex flex-wrap gap-2" aria-label={label}>
          {selected.map((p) => (
            <li key={p.id} className="inline-flex max-w-full items-center gap-1 rounded-full bg-blue-50 py-1 pl-3 pr-1 text-sm text-blue-900">
              <span className="truncate">{p.label}</span>
              {multiple || !required ? (
                <button
                  type="button"
                  onClick={() => remove(p.id)}
                  className="inline-flex h-8 w-8 shrink-0 items-center justify-center rounded-full hover:bg-blue-100 focus-visible:outline-2 focus-visible:outline-blue-600"
                  aria-label={t("groups.picker.remove", { name: p.label })}
                >
                  <span aria-hidden="true">×</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-500">{t("groups.picker.none")}</p>
      )}
      {full ? null : (
        <div className="space-y-1">
          <label htmlFor={`${id}-search`} className="sr-only">
            {t("groups.picker.search")}
          </label>
          <input
            ref={inputRef}
            id={`${id}-search`}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              // Enter picks the only match instead of submitting the whole form.
              if (e.key === "Enter") {
                e.preventDefault();
                if (shown.length === 1) choose(shown[0]);
              }
            }}
            placeholder={t("groups.picker.searchHint")}
            autoComplete="off"
            maxLength={100}
            aria-invalid={errors?.length ? true : undefined}
            className={cn(
              "block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-blue-600",
              errors?.length ? "border-red-600" : "border-slate-300",
            )}
          />
          <div aria-live="polite" className="text-sm">
            {query.trim() && state === "searching" ? <p className="text-slate-500">{t("groups.picker.searching")}</p> : null}
            {query.trim() && state === "failed" ? <p className="text-red-700">{t("groups.picker.failed")}</p> : null}
            {query.trim() && state === "done" && shown.length === 0 ? <p className="text-slate-500">{t("groups.picker.noMatch")}</p> : null}
          </div>
          {shown.length ? (
            <ul className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white">
              {shown.map((p) => (
                <li key={p.id}>
                  <button type="button" onClick={() => choose(p)} className="block min-h-10 w-full px-3 py-2 text-left text-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-blue-600">
                    {p.label}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700" role="alert">
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
