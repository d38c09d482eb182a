import { Badge } from "@/components/ui/card";

const TONES: Record<string, "slate" | "green" | "amber" | "red" | "blue"> = {
  REQUESTED: "blue",
  ACTIVE: "green",
  SUSPENDED: "amber",
  HANDOVER: "amber",
  DISSOLUTION_PENDING: "amber",
  DISSOLVED: "slate",
  REASSIGNED: "blue",
  REJECTED: "red",
  WITHDRAWN: "slate",
};

export function AccountStatusBadge({ status, label }: { status: string; label: string }) {
  return <Badge tone={TONES[status] ?? "slate"}>{label}</Badge>;
}
