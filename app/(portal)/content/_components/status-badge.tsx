import { Badge } from "@/components/ui/card";

const tones = { DRAFT: "slate", IN_REVIEW: "blue", CHANGES_REQUESTED: "amber", PUBLISHED: "green", WITHDRAWN: "slate" } as const;

export function ContentStatusBadge({ status, label }: { status: string; label: string }) {
  return (
    <span data-testid="content-status" data-status={status}>
      <Badge tone={tones[status as keyof typeof tones] ?? "slate"}>{label}</Badge>
    </span>
  );
}
