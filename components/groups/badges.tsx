import { Badge } from "@/components/ui/card";
import { badgeMarkup } from "@/components/ui/list-markup";
import type { Classification, GroupStatus, ReviewState } from "@/lib/groups/schemas";

// The colours of a work group's status, classification and review state, the same everywhere.

const STATUS_TONE: Record<GroupStatus, "slate" | "green" | "amber" | "red" | "blue"> = {
  PENDING_APPROVAL: "blue",
  ACTIVE: "green",
  REJECTED: "red",
  WITHDRAWN: "slate",
  DISSOLUTION_PENDING: "amber",
  DISSOLVED: "slate",
};

const CLASSIFICATION_TONE: Record<Classification, "slate" | "green" | "amber" | "red" | "blue"> = {
  PUBLIC: "slate",
  INTERNAL: "blue",
  CONFIDENTIAL: "amber",
  SECRET: "red",
};

const REVIEW_TONE: Record<ReviewState, "green" | "amber" | "red"> = { ok: "green", dueSoon: "amber", overdue: "red" };

export function StatusBadge({ status, label }: { status: GroupStatus; label: string }) {
  return <Badge tone={STATUS_TONE[status]}>{label}</Badge>;
}

export function ClassificationBadge({ classification, label }: { classification: Classification; label: string }) {
  return <Badge tone={CLASSIFICATION_TONE[classification]}>{label}</Badge>;
}

export function ReviewBadge({ state, label }: { state: ReviewState; label: string }) {
  return <Badge tone={REVIEW_TONE[state]}>{label}</Badge>;
}

// The same badges as markup, for the registry's rows (components/ui/list-markup.ts).
export function statusBadgeMarkup(status: GroupStatus, label: string): string {
  return badgeMarkup(STATUS_TONE[status], label);
}

export function classificationBadgeMarkup(classification: Classification, label: string): string {
  return badgeMarkup(CLASSIFICATION_TONE[classification], label);
}

export function reviewBadgeMarkup(state: ReviewState, label: string): string {
  return badgeMarkup(REVIEW_TONE[state], label);
}
