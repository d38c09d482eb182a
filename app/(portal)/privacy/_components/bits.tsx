import { Badge } from "@/components/ui/card";
import { badgeMarkup } from "@/components/ui/list-markup";
import type { ConsentState } from "@/lib/privacy/schemas";

// Small server-side pieces of the privacy pages.

export function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="text-sm break-words text-slate-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

const STATE_TONE: Record<ConsentState, "green" | "amber" | "red" | "slate"> = { valid: "green", expiring: "amber", withdrawn: "red", expired: "slate" };

export function ConsentStateBadge({ state, label }: { state: ConsentState; label: string }) {
  return <Badge tone={STATE_TONE[state]}>{label}</Badge>;
}

/** `ConsentStateBadge` as markup, for the consent list's rows (components/ui/list-markup.ts). */
export function consentStateBadgeMarkup(state: ConsentState, label: string): string {
  return badgeMarkup(STATE_TONE[state], label);
}

export const isId = (v: string) => /^[a-z0-9]{20,40}$/i.test(v);
