import { formatDateTime as formatPortalDateTime } from "@/lib/i18n/format";
import type { Translate } from "@/lib/i18n/translate";
import type { Resolution } from "@/lib/approvals/chain-resolution";
import { overdueLabel, type Overdue } from "@/lib/approvals/overdue";
import type { StepStatus } from "@/lib/approvals/types";

// Display helpers shared by the inbox and the request page.

/** Date and time in the request's business calendar's zone (the company's: Asia/Shanghai), in the
 * portal's one date-time format (lib/i18n/format.ts). */
export function formatDateTime(locale: string, timeZone: string, date: Date): string {
  return formatPortalDateTime(date, locale, { timeZone });
}

export function overdueText(t: Translate, overdue: Overdue): string {
  const { key, params } = overdueLabel(overdue);
  return t(key, params);
}

/** Why the step has the decider it has. A step that passes automatically says so once passed, and
 * that it will while it waits (nothing once the request ended before it). */
export function resolutionText(t: Translate, resolution: Resolution | null, status?: StepStatus): string {
  if (!resolution || resolution.code === "ROLE" || resolution.code === "PERSON") return "";
  if (resolution.code === "AUTO_PASSED") {
    if (status === "AUTO_APPROVED") return t(`approvals.resolution.autoPassed.${resolution.reason}`);
    return status === undefined || status === "WAITING" ? t(`approvals.resolution.autoPassPlanned.${resolution.reason}`) : "";
  }
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
export const STEP_STATUS_TONE = { WAITING: "slate", PENDING: "blue", APPROVED: "green", REJECTED: "red", SKIPPED: "slate", CANCELLED: "slate", AUTO_APPROVED: "green" } as const;
