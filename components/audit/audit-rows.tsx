"use client";
import { useEffect, useRef } from "react";
import type { FieldChange } from "@/lib/audit/diff";
import { auditFieldLabel } from "@/lib/audit/labels";
import { useI18n } from "@/lib/i18n/client";
import type { Translate } from "@/lib/i18n/translate";
import { tag, text } from "@/components/ui/list-markup";
import { useListLinks } from "@/components/ui/list-rows";

type State = "loading" | "loaded" | "failed";

// Each folded change list's state, by its <details> (a new page is new elements: nothing to reset).
const states = new WeakMap<HTMLDetailsElement, State>();

/** What follows the summary inside an opened change list, as markup (every value escaped). */
function bodyMarkup(state: Exclude<State, "loaded"> | FieldChange[], t: Translate): string {
  if (state === "loading") return tag("p", { class: "mt-2 text-xs text-slate-500", "aria-busy": "true" }, text(t("audit.diff.loading")));
  if (state === "failed") return tag("p", { class: "mt-2 text-xs text-red-800", role: "alert" }, text(t("audit.diff.failed")));
  const value = (v: string | undefined, tone: string) =>
    v === undefined ? tag("span", { class: "text-slate-400" }, text(t("audit.diff.absent"))) : tag("span", { class: `font-mono break-all whitespace-pre-wrap ${tone}` }, text(v));
  const fields = state.map((c) =>
    tag(
      "div",
      {},
      tag("dt", { "data-field": c.field ?? undefined }, text(c.field ? auditFieldLabel(c.field, t) : t("audit.diff.value"))) +
        tag("dd", {}, `${tag("span", {}, text(t("audit.diff.before")))}${value(c.before, "text-red-800")}${tag("span", {}, text(t("audit.diff.after")))}${value(c.after, "text-green-800")}`),
    ),
  );
  return tag(
    "dl",
    {
      class:
        "mt-2 space-y-2 text-xs *:rounded *:border *:border-slate-200 *:bg-slate-50 *:p-2 [&_dd]:mt-1 [&_dd]:grid [&_dd]:grid-cols-[auto_1fr] [&_dd]:gap-x-2 [&_dd]:gap-y-1 [&_dt]:font-medium [&_dt]:text-slate-800 [&_dd>span:nth-child(odd)]:text-slate-500",
      "data-testid": "audit-change-fields",
    },
    fields.join(""),
  );
}

function show(details: HTMLDetailsElement, markup: string) {
  const summary = details.querySelector(":scope > summary");
  while (summary?.nextSibling) summary.nextSibling.remove();
  details.insertAdjacentHTML("beforeend", markup);
}

/**
 * The audit trail's rows (written as markup by components/audit/audit-table.tsx): links navigate on
 * the client, and an event's folded change list reads its fields when the reader opens it (by
 * keyboard as by touch), from /api/audit/changes (audit.read, like the trail): a page of fifty
 * events does not render and send fifty folded lists that are mostly never opened. Values are JSON
 * text, escaped, never HTML. A failed read says so and is tried again when opened again.
 */
export function AuditRows({ html, className }: { html: string; className: string }) {
  const { t } = useI18n();
  const onClick = useListLinks();
  const ref = useRef<HTMLTableSectionElement>(null);
  useEffect(() => {
    const body = ref.current;
    if (!body) return;
    // `toggle` does not bubble: caught on its way down (capture) for every <details> of the rows.
    const onToggle = (event: Event) => {
      const details = event.target;
      if (!(details instanceof HTMLDetailsElement) || details.dataset.testid !== "audit-change" || !details.open) return;
      const state = states.get(details);
      if (state === "loading" || state === "loaded") return;
      const id = details.closest("tr")?.dataset.eventId;
      if (!id) return;
      states.set(details, "loading");
      show(details, bodyMarkup("loading", t));
      fetch(`/api/audit/changes?id=${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? (r.json() as Promise<{ changes: FieldChange[] }>) : Promise.reject(new Error(String(r.status)))))
        .then(
          (result) => {
            states.set(details, "loaded");
            show(details, bodyMarkup(result.changes, t));
          },
          () => {
            states.set(details, "failed");
            show(details, bodyMarkup("failed", t));
          },
        );
    };
    body.addEventListener("toggle", onToggle, true);
    return () => body.removeEventListener("toggle", onToggle, true);
  }, [t]);
  return <tbody ref={ref} className={className} onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
