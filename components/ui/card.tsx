import type { ReactNode } from "react";
import { cn } from "./cn";

export function Card({ title, actions, children, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={cn("rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6", className)}>
      {title || actions ? (
        <header className="mb-4 flex flex-wrap items-center justify-between gap-2">
          {title ? <h2 className="text-base font-semibold text-slate-900">{title}</h2> : <span />}
          {actions}
        </header>
      ) : null}
      {children}
    </section>
  );
}

export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900 sm:text-2xl">{title}</h1>
        {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

/** A short state label. Its look per tone is `[data-badge]` in app/globals.css: set once there, not
 * as ~100 characters of classes on every badge of a list (rendered and sent twice per request). */
export function Badge({
  children,
  tone = "slate",
  testId,
  state,
}: {
  children: ReactNode;
  tone?: "slate" | "green" | "amber" | "red" | "blue";
  testId?: string;
  /** A machine-readable state (`data-state`), for a badge that shows one. */
  state?: string;
}) {
  // The optional attributes only when given: an absent prop still costs `"$undefined"` in the RSC payload.
  return (
    <span data-badge={tone} {...(testId === undefined ? {} : { "data-testid": testId })} {...(state === undefined ? {} : { "data-state": state })}>
      {children}
    </span>
  );
}
