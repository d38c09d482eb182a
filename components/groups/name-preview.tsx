"use client";
import { cn } from "@/components/ui/cn";
import type { Translate } from "@/lib/i18n/translate";
import type { NameCheck, NameProblem } from "@/lib/groups/naming-rule";

export function nameProblemText(t: Translate, problem: NameProblem): string {
  const { code, ...params } = problem;
  return t(`groups.naming.problems.${code}`, params as Record<string, string | number>);
}

// The enforced name as the naming rule builds it, with the typed parts marked, its length, and
// every problem (the same pure check the server runs: lib/groups/naming-rule.ts).
export function NamePreview({ check, max, t, label, okText, id }: { check: NameCheck; max: number; t: Translate; label: string; okText?: string; id?: string }) {
  const over = check.length > max;
  return (
    <div id={id} className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3" data-testid="name-preview">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="text-xs font-medium text-slate-600">{label}</span>
        <span className={cn("text-xs tabular-nums", over ? "font-semibold text-red-700" : "text-slate-600")} data-testid="name-length">
          {t("groups.request.length", { length: check.length, max })}
        </span>
      </div>
      <p className="break-all text-base font-medium text-slate-900" data-testid="name-value">
        {check.pieces.map((piece, i) =>
          piece.missing ? (
            <span key={i} className="rounded bg-amber-100 px-1 text-amber-900">
              {piece.key ?? t("groups.request.departmentPart")}
            </span>
          ) : piece.kind === "free" ? (
            <span key={i} className="text-blue-800 underline decoration-dotted underline-offset-4">
              {piece.text}
            </span>
          ) : (
            <span key={i}>{piece.text}</span>
          ),
        )}
      </p>
      <div aria-live="polite">
        {check.problems.length ? (
          <ul className="list-disc space-y-1 pl-5 text-sm text-red-700" data-testid="name-problems">
            {check.problems.map((p, i) => (
              <li key={i}>{nameProblemText(t, p)}</li>
            ))}
          </ul>
        ) : okText ? (
          <p className="text-sm text-green-800">{okText}</p>
        ) : null}
      </div>
    </div>
  );
}
