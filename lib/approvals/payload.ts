import type { Translate } from "@/lib/i18n/translate";
import type { ApprovalPayloadSummaryItem } from "./types";

// A request's payload for a reader: the capability's own summary when it gave one
// (payload.summary, see ApprovalPayload), otherwise every top-level key with its value. Pure.

const MAX_VALUE = 500;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isSummaryItem(v: unknown): v is ApprovalPayloadSummaryItem {
  return isRecord(v) && (typeof v.labelKey === "string" || typeof v.label === "string");
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

export function payloadLines(payload: unknown, t: Translate): { label: string; value: string }[] {
  if (!isRecord(payload)) return payload === null || payload === undefined ? [] : [{ label: "payload", value: show(payload) }];
  if (Array.isArray(payload.summary) && payload.summary.length > 0 && payload.summary.every(isSummaryItem)) {
    return payload.summary.map((item) => ({
      label: item.labelKey ? t(item.labelKey) : (item.label ?? ""),
      value: item.valueKey ? t(item.valueKey) : show(item.value),
    }));
  }
  return Object.entries(payload)
    .filter(([key]) => key !== "summary" && key !== "subjectHref")
    .map(([key, value]) => ({ label: key, value: show(value) }));
}

/** A link to the subject, only to a path inside the portal ("/groups/…", never "//host" or a scheme). */
export function subjectHref(payload: unknown): string | null {
  const href = isRecord(payload) ? payload.subjectHref : undefined;
  return typeof href === "string" && /^\/(?![/\\])[^\s\\]*$/.test(href) ? href : null;
}
