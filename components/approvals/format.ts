import type { Translate } from "@/lib/i18n/translate";
import type { Resolution } from "@/lib/approvals/chain-resolution";
import { overdueLabel, type Overdue } from "@/lib/approvals/overdue";

// Display helpers shared by the inbox and the request page.

/** Date and time in the request's business calendar's zone (the company's: Asia/Shanghai). */
export function formatDateTime(locale: string, timeZone: string, date: Date): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(date);
}

export function overdueText(t: Translate, overdue: Overdue): string {
  const { key, params } = overdueLabel(overdue);
  return t(key, params);
}

export function resolutionText(t: Translate, resolution: Resolution | null): string {
  if (!resolution || resolution.code === "ROLE" || resolution.code === "PERSON") return "";
  const params: Record<string, string> = {};
  if ("departmentName" in resolution) params.department = resolution.departmentName;
  if ("fromDepartmentName" in resolution) params.from = resolution.fromDepartmentName;
  if ("personName" in resolution) params.person = resolution.personName;
  if (resolution.code === "ROLE_FALLBACK") params.role = t(`roles.${resolution.role}`);
  // Steps resolved before the fallback was configurable fell back to ADMIN.
  if (resolution.code === "FALLBACK_ADMIN" || resolution.code === "ROLE_FALLBACK" || resolution.code === "PERSON_UNAVAILABLE") params.fallback = t(`roles.${resolution.fallbackRole ?? "ADMIN"}`);
  return t(`approvals.resolution.${resolution.code}`, params);
}

export const REQUEST_STATUS_TONE = { PENDING: "blue", APPROVED: "green", REJECTED: "red", WITHDRAWN: "slate" } as const;
export const STEP_STATUS_TONE = { WAITING: "slate", PENDING: "blue", APPROVED: "green", REJECTED: "red", SKIPPED: "slate", CANCELLED: "slate" } as const;
