import Link from "next/link";
import { Table, Td, Th, EmptyRow } from "@/components/ui/table";
import type { AuditEventRow } from "@/lib/audit/queries";
import { AUDIT_TIME_ZONE } from "@/lib/audit/time";
import { AuditChange, type AuditChangeLabels } from "./audit-change";

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

/** One page of audit events, newest first; scrolls sideways inside its box on a phone. */
export function AuditTable({
  events,
  locale,
  labels,
  hrefFor,
}: {
  events: AuditEventRow[];
  locale: string;
  labels: AuditTableLabels;
  /** A link to the list filtered on one more value (an actor, an entity). */
  hrefFor: (changes: Record<string, string>) => string;
}) {
  const time = new Intl.DateTimeFormat(locale, {
    timeZone: AUDIT_TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
  return (
    <Table caption={labels.caption}>
      <thead>
        <tr>
          <Th>{labels.time}</Th>
          <Th>{labels.actor}</Th>
          <Th>{labels.action}</Th>
          <Th>{labels.entity}</Th>
          <Th>{labels.ip}</Th>
          <Th>{labels.change}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {events.length === 0 ? (
          <EmptyRow colSpan={6}>{labels.empty}</EmptyRow>
        ) : (
          events.map((e) => (
            <tr key={e.id} data-testid="audit-row" data-event-id={e.id}>
              <Td className="whitespace-nowrap">
                <time dateTime={e.createdAt.toISOString()}>{time.format(e.createdAt)}</time>
                <div className="text-xs text-slate-500">#{e.id}</div>
              </Td>
              <Td>
                <Link
                  href={hrefFor({ actor: e.actorId ?? e.actorLabel })}
                  title={labels.filterByActor}
                  className="break-all text-blue-800 hover:underline"
                >
                  {e.actorLabel}
                </Link>
              </Td>
              <Td className="font-mono text-xs whitespace-nowrap">{e.action}</Td>
              <Td>
                <Link href={hrefFor({ entityType: e.entityType, entityId: e.entityId })} title={labels.filterByEntity} className="text-blue-800 hover:underline">
                  {e.entityType}
                </Link>
                <div className="font-mono text-xs break-all text-slate-500">{e.entityId}</div>
              </Td>
              <Td className="font-mono text-xs whitespace-nowrap">{e.ip ?? ""}</Td>
              <Td>
                <AuditChange before={e.before} after={e.after} labels={labels.diff} />
              </Td>
            </tr>
          ))
        )}
      </tbody>
    </Table>
  );
}
