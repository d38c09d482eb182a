import { Badge } from "@/components/ui/card";
import type { EmployeeStatus } from "@/lib/directory/schemas";

const TONES = { ACTIVE: "green", OFFBOARDING: "amber", DEPARTED: "slate" } as const;

/** An employee's status in words (the colour only repeats what the text says). */
export function StatusBadge({ status, label }: { status: EmployeeStatus; label: string }) {
  return <Badge tone={TONES[status]}>{label}</Badge>;
}
