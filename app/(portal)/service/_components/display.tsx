import { Badge } from "@/components/ui/card";
import { badgeMarkup, tag } from "@/components/ui/list-markup";
import type { Translate } from "@/lib/i18n/translate";
import { durationParts, type SlaState, type TargetView } from "@/lib/service/sla";

// How a service case's time targets read on the page: a coloured state and the time left.

const TONES: Record<SlaState, "green" | "amber" | "red" | "blue"> = { ON_TRACK: "blue", AT_RISK: "amber", BREACHED: "red", MET: "green" };

export function SlaBadge({ state, t }: { state: SlaState; t: Translate }) {
  // One element (the badge carries the test id and the state), not a span around a badge.
  return (
    <Badge tone={TONES[state]} testId="sla-state" state={state}>
      {t(`service.state.${state}`)}
    </Badge>
  );
}

/** `SlaBadge` as markup, for the queue's rows (components/ui/list-markup.ts). */
export function slaBadgeMarkup(state: SlaState, t: Translate): string {
  return badgeMarkup(TONES[state], t(`service.state.${state}`), { testId: "sla-state", state });
}

/** `ProvisionalBadge` (components/ui/provisional-badge.tsx) as markup, for the queue's rows: "" when
 * `year` is null. */
export function provisionalBadgeMarkup(year: number | null | undefined, t: Translate): string {
  if (year === null || year === undefined) return "";
  return tag(
    "span",
    { class: "ml-2 inline-block align-middle", title: t("calendar.provisional.title", { year }), "data-testid": "provisional-due" },
    badgeMarkup("amber", t("calendar.provisional.badge", { year })),
  );
}

/** "剩 1 小时 20 分", "超时 0 小时 5 分", "用时 …", or paused. */
export function timeLeftText(view: TargetView, t: Translate, paused: boolean, minutes: number): string {
  if (view.doneAt) {
    const used = durationParts(minutes * 60_000 - view.leftMs);
    return t("service.duration.done", { h: used.hours, m: used.minutes });
  }
  const p = durationParts(view.leftMs);
  if (paused) return `${t("service.duration.paused")} · ${t(p.negative ? "service.duration.overdue" : "service.duration.left", { h: p.hours, m: p.minutes })}`;
  return t(view.state === "BREACHED" ? "service.duration.overdue" : "service.duration.left", { h: p.hours, m: p.minutes });
}
