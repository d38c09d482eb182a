import type { Translate } from "@/lib/i18n/translate";
import { Badge } from "./card";

/**
 * Marks a due date that falls in a year without holiday data: it was computed on the weekly hours
 * alone (lib/calendar `provisionalYear`), so it is provisional until an ADMIN loads that year at
 * /settings/calendars (docs/calendar.md). The one marker every page with a deadline uses; renders
 * nothing when `year` is null.
 */
export function ProvisionalBadge({ year, t }: { year: number | null | undefined; t: Translate }) {
  if (year === null || year === undefined) return null;
  return (
    <span className="ml-2 inline-block align-middle" title={t("calendar.provisional.title", { year })} data-testid="provisional-due">
      <Badge tone="amber">{t("calendar.provisional.badge", { year })}</Badge>
    </span>
  );
}
