import { DataList, ListEmpty, ListHead } from "@/components/ui/data-list";
import { rowMarkup, tag, text } from "@/components/ui/list-markup";
import { Th } from "@/components/ui/table";
import { auditActionLabel, auditActorLabel, auditEntityLabel, auditFieldLabel } from "@/lib/audit/labels";
import type { AuditTrailRow } from "@/lib/audit/queries";
import { DEFAULT_LOCALE, isLocale } from "@/lib/i18n/config";
import { formatDateTime } from "@/lib/i18n/format";
import { createTranslator, messagesFor, type Translate } from "@/lib/i18n/translate";
import { AUDIT_TIME_ZONE } from "@/lib/audit/time";
import { auditChangeMarkup, type AuditChangeLabels } from "./audit-change";
import { AuditRows } from "./audit-rows";

export type AuditTableLabels = {
  caption: string;
  time: string;
  actor: string;
  action: string;
  entity: string;
  ip: string;
  change: string;
  empty: string;
  filterByActor: string;
  filterByEntity: string;
  diff: AuditChangeLabels;
};

/** One page of audit events, newest first; a card per event on a phone (DataList). */
export function AuditTable({
  events,
  locale,
  labels,
  hrefFor,
}: {
  events: AuditTrailRow[];
  locale: string;
  labels: AuditTableLabels;
  /** A link to the list filtered on one more value (an actor, an entity). */
  hrefFor: (changes: Record<string, string>) => string;
}) {
  const t = createTranslator(messagesFor(isLocale(locale) ? locale : DEFAULT_LOCALE));
  return (
    <DataList caption={labels.caption}>
      <ListHead>
          <Th>{labels.time}</Th>
          <Th>{labels.actor}</Th>
          <Th>{labels.action}</Th>
          <Th>{labels.entity}</Th>
          <Th>{labels.ip}</Th>
          <Th>{labels.change}</Th>
      </ListHead>
      {/* The cells' and their contents' style is set once here rather than on each of the page's
          ~300 cells, links and lines (the same look, with less to render, stream and compress per
          request: docs/performance.md); the rows are one markup string (auditRowMarkup). Columns:
          1 time (one line from sm up; the event's number below it, small), 2 actor (a link, broken anywhere), 3 action (one line), 4 entity (a link;
          its id below, monospace, broken anywhere), 5 IP (monospace, small, one line), 6 change.
          On a phone each row is a card (ListRow) and its cells stack, in the order of the columns. */}
      {events.length === 0 ? (
        <tbody className="divide-y divide-slate-100 max-sm:block">
          <ListEmpty colSpan={6}>{labels.empty}</ListEmpty>
        </tbody>
      ) : (
        <AuditRows
          className="divide-y divide-slate-100 *:*:px-3 *:*:py-2 *:*:align-top *:*:text-slate-800 max-sm:block max-sm:space-y-3 max-sm:divide-y-0 max-sm:*:flex-col max-sm:*:items-stretch max-sm:*:*:block max-sm:*:*:p-0 max-sm:*:*:break-words max-sm:*:*:whitespace-normal sm:[&>tr>:is(:nth-child(1),:nth-child(3),:nth-child(5))]:whitespace-nowrap [&>tr>td>a]:text-blue-800 [&>tr>td>a]:hover:underline [&>tr>:nth-child(2)>a]:break-all [&>tr>td>div]:text-xs [&>tr>td>div]:text-slate-500 [&>tr>:nth-child(4)>div]:font-mono [&>tr>:nth-child(4)>div]:break-all [&>tr>:nth-child(5)]:font-mono [&>tr>:nth-child(5)]:text-xs"
          html={events.map((e) => auditRowMarkup(e, { locale, labels, hrefFor, t })).join("")}
        />
      )}
    </DataList>
  );
}

/** One event's row as markup (components/ui/list-markup.ts): the cells, links and lines the
 * `<tbody>`'s classes style by column. */
function auditRowMarkup(
  e: AuditTrailRow,
  { locale, labels, hrefFor, t }: { locale: string; labels: AuditTableLabels; hrefFor: (changes: Record<string, string>) => string; t: Translate },
): string {
  const time = tag("time", { datetime: e.createdAt.toISOString() }, text(formatDateTime(e.createdAt, locale, { seconds: true, timeZone: AUDIT_TIME_ZONE }))) + tag("div", {}, text(`#${e.id}`));
  const actor = tag("a", { title: labels.filterByActor, href: hrefFor({ actor: e.actorId ?? e.actorLabel }) }, text(auditActorLabel(e.actorLabel, t)));
  const entity =
    tag("a", { title: labels.filterByEntity, href: hrefFor({ entityType: e.entityType, entityId: e.entityId }) }, text(auditEntityLabel(e.entityType, t))) + tag("div", {}, text(e.entityId));
  const change = auditChangeMarkup({ changed: e.changed, labels: labels.diff, name: (field) => auditFieldLabel(field, t), chinese: !locale.startsWith("en") });
  return rowMarkup(
    { "data-testid": "audit-row", "data-event-id": e.id },
    tag("td", {}, time) +
      tag("td", {}, actor) +
      tag("td", { "data-action": e.action }, text(auditActionLabel(e.action, t))) +
      tag("td", {}, entity) +
      tag("td", {}, text(e.ip ?? "")) +
      tag("td", {}, change),
  );
}
