"use client";

import { useId, useState, type ReactNode } from "react";

/**
 * Below `sm` a list's filters sit behind one "筛选（n）" button; from `sm` up they are always shown (the
 * button is hidden). Without JavaScript the filters are simply shown (the <noscript> style).
 */
export function FilterDisclosure({ label, ariaLabel, defaultOpen = false, nonce, children }: { label: string; ariaLabel: string; defaultOpen?: boolean; /** The request's CSP nonce, for the <noscript> style. */ nonce?: string; children: ReactNode }) {
  const [open, setOpen] = useState(defaultOpen);
  const id = useId();
  return (
    <div className="mb-4">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        aria-label={ariaLabel}
        onClick={() => setOpen((o) => !o)}
        data-testid="filter-toggle"
        className="inline-flex min-h-11 items-center gap-2 rounded-md border border-slate-300 bg-white px-4 text-sm font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 sm:hidden"
      >
        {label}
        <span aria-hidden="true" className="text-slate-500">{open ? "▴" : "▾"}</span>
      </button>
      <div id={id} data-filter-panel="" className={open ? "max-sm:mt-2" : "max-sm:hidden"}>
        {children}
      </div>
      <noscript>
        <style nonce={nonce}>{"[data-filter-panel]{display:block!important}[data-testid=filter-toggle]{display:none!important}"}</style>
      </noscript>
    </div>
  );
}
