import Form from "next/form";
import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClass } from "./button";

/**
 * The filters of a list page: a GET form (next/form, so submitting is a client-side navigation and
 * works without JavaScript too) whose values land in the URL with the rest of the list's state.
 * Give it a `key` that changes with the URL so its fields show what the URL says after "reset"
 * or the browser's back button.
 */
export function FilterBar({
  action,
  label,
  submitLabel,
  resetHref,
  resetLabel,
  hidden = {},
  children,
  testId,
}: {
  action: string;
  label: string;
  submitLabel: string;
  resetHref: string;
  resetLabel: string;
  /** Parameters kept across a new search (sort order, page size); the page starts at 1 again. */
  hidden?: Record<string, string | undefined>;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Form
      action={action}
      role="search"
      aria-label={label}
      data-testid={testId}
      className="mb-4 grid items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4"
    >
      {Object.entries(hidden).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      {children}
      <div className="flex flex-wrap gap-2 sm:col-span-2 lg:col-span-4">
        <button type="submit" className={buttonClass("primary")}>
          {submitLabel}
        </button>
        <Link href={resetHref} className={buttonClass("ghost")}>
          {resetLabel}
        </Link>
      </div>
    </Form>
  );
}
