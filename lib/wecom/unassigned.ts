import { newId } from "@/lib/ids";
import { sendNotifications } from "@/lib/notifications/store";
import { protect } from "@/lib/pii";
import { writeAuditEvent, type AuditActor } from "@/lib/server/audit-write";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import type { WeComClient } from "./client";
import { clientsFor } from "./connection";
import { loadConnection } from "./settings";
import { loadSyncSettings } from "./sync/runner";
import { notifyHr, openLeaverCase, SYNC_CASE_OPENER, type Leaver } from "./sync/directory";
import type { SyncSettings } from "./sync/types";

// Unassigned leavers (issue 15, item 4; docs/wecom.md "Unassigned leavers"). WeCom keeps a list of
// the customers of members who left and were given to no one (externalcontact/get_unassigned_list,
// 1000 a page until is_last). A scheduled job reads it whole into wecom_unassigned_customers (the
// customer's external_userid as a lib/pii token, keyed hash and mask), drops the rows WeCom no
// longer lists once the read is complete, links each leaver to the employee with that WeCom userid,
// and then makes sure no leaver there is forgotten:
// - an OPEN offboarding case for the employee: nothing to do (the case carries the handover);
// - an ACTIVE employee (the sync has not seen them leave yet), unless the sync's own case for them
//   was cancelled by HR: the directory sync's leaver action, as the settings say — an offboarding
//   case opened by the system (the same openCase), or the HR_TASK notification to every HR person;
// - anyone else (already DEPARTED, a case HR cancelled, a userid no employee carries): an HR
//   notification naming the leaver and the number of unassigned customers, once per leaver.
// Idempotent: a second read opens nothing (the case is OPEN) and notifies no one twice (each
// notification has a dedupe key). One audit event per read with the counts.

export const UNASSIGNED_ACTOR: AuditActor = { id: null, label: "system:wecom-unassigned", ip: null };

export type UnassignedCounts = { customers: number; leavers: number; removed: number; opened: number; hrTasks: number; covered: number; refused: number; calls: number };

type Row = { handoverUserid: string; externalUserid: string; dimissionTime: number | undefined };

async function upsertPage(prisma: DbClient, rows: Row[], now: Date): Promise<void> {
  // One row per leaver and customer even if WeCom repeats a pair in a page (ON CONFLICT may not
  // touch one row twice in a statement).
  const byKey = new Map<string, { id: string; userid: string; cipher: string; hash: string; mask: string; dimission: string | null }>();
  for (const r of rows) {
    const p = protect("identifier", r.externalUserid);
    byKey.set(`${r.handoverUserid}\u0000${p.hash}`, { id: newId(), userid: r.handoverUserid, cipher: p.cipher, hash: p.hash, mask: p.mask, dimission: r.dimissionTime ? new Date(r.dimissionTime * 1000).toISOString() : null });
  }
  const list = [...byKey.values()];
  if (list.length === 0) return;
  await prisma.$executeRaw`
    INSERT INTO "wecom_unassigned_customers" ("id", "handover_userid", "external_id_cipher", "external_id_hash", "external_id_mask", "dimission_time", "first_seen_at", "last_seen_at")
    SELECT t.id, t.userid, t.cipher, t.hash, t.mask, t.dimission::timestamptz, ${now}, ${now}
      FROM unnest(${list.map((l) => l.id)}::text[], ${list.map((l) => l.userid)}::text[], ${list.map((l) => l.cipher)}::text[], ${list.map((l) => l.hash)}::text[], ${list.map((l) => l.mask)}::text[], ${list.map((l) => l.dimission)}::text[])
           AS t(id, userid, cipher, hash, mask, dimission)
    ON CONFLICT ("handover_userid", "external_id_hash") DO UPDATE SET "last_seen_at" = EXCLUDED."last_seen_at", "dimission_time" = EXCLUDED."dimission_time"`;
}

type LeaverRow = { handover_userid: string; employee_id: string | null; name: string | null; employee_no: string | null; status: string | null; customers: bigint; open_case: boolean; cancelled_by_hr: boolean };

/** Reads WeCom's whole list and applies the rules above. `client`: the customer-contact app's. */
export async function readUnassigned(prisma: DbClient, client: WeComClient, settings: SyncSettings, options: { now?: Date; log?: (line: string) => void; pageSize?: number } = {}): Promise<UnassignedCounts> {
  const now = options.now ?? new Date();
  const log = options.log ?? (() => undefined);
  const callsBefore = client.calls;
  const counts: UnassignedCounts = { customers: 0, leavers: 0, removed: 0, opened: 0, hrTasks: 0, covered: 0, refused: 0, calls: 0 };

  // 1. The list, page by page (a failure part-way leaves the rows of earlier reads in place: the
  //    removal below runs only after a complete read).
  for await (const page of client.allUnassigned(options.pageSize)) {
    await upsertPage(prisma, page.map((i) => ({ handoverUserid: i.handover_userid, externalUserid: i.external_userid, dimissionTime: i.dimission_time })), now);
    counts.customers += page.length;
  }
  counts.removed = await prisma.$executeRaw`DELETE FROM "wecom_unassigned_customers" WHERE "last_seen_at" < ${now}`;
  await prisma.$executeRaw`
    UPDATE "wecom_unassigned_customers" w SET "employee_id" = e."id" FROM "employees" e
     WHERE e."wecom_userid" = w."handover_userid" AND w."employee_id" IS DISTINCT FROM e."id"`;
  await prisma.$executeRaw`
    UPDATE "wecom_unassigned_customers" w SET "employee_id" = NULL
     WHERE w."employee_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "employees" e WHERE e."id" = w."employee_id" AND e."wecom_userid" = w."handover_userid")`;

  // 2. Each leaver on the list.
  const leavers = await prisma.$queryRaw<LeaverRow[]>`
    SELECT w."handover_userid", e."id" AS employee_id, e."name", e."employee_no", e."status"::text AS status, count(*) AS customers,
           EXISTS (SELECT 1 FROM "offboarding_cases" c WHERE c."employee_id" = e."id" AND c."status" = 'OPEN') AS open_case,
           EXISTS (SELECT 1 FROM "offboarding_cases" c WHERE c."employee_id" = e."id" AND c."status" = 'CANCELLED' AND c."opened_by_id" = ${SYNC_CASE_OPENER}) AS cancelled_by_hr
      FROM "wecom_unassigned_customers" w LEFT JOIN "employees" e ON e."id" = w."employee_id"
     GROUP BY w."handover_userid", e."id" ORDER BY w."handover_userid"`;
  counts.leavers = leavers.length;
  for (const l of leavers) {
    if (l.open_case) {
      counts.covered++;
      continue;
    }
    const customers = Number(l.customers);
    await prisma.$transaction(
      async (tx) => {
        if (l.employee_id && l.status === "ACTIVE" && !l.cancelled_by_hr) {
          const leaver: Leaver = { id: l.employee_id, name: l.name ?? "", employee_no: l.employee_no ?? "" };
          if (settings.leaverAction === "HR_TASK") {
            counts.hrTasks += await notifyHr(tx, [leaver]);
            return;
          }
          const r = await openLeaverCase(tx, leaver, now);
          if (r.opened) {
            counts.opened++;
            return;
          }
          if (!r.refusal) {
            counts.covered++; // a case opened meanwhile
            return;
          }
          counts.refused++;
          log(`[wecom-unassigned] no case could be opened for ${l.handover_userid} (${r.refusal}); HR is told instead`);
        }
        counts.hrTasks += await notifyUnassigned(tx, l, customers);
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  }

  counts.calls = client.calls - callsBefore;
  await prisma.$transaction((tx) => writeAuditEvent(tx, UNASSIGNED_ACTOR, { action: "wecom.unassigned.read", entityType: "WeComUnassignedCustomer", entityId: newId(), after: counts }));
  log(`[wecom-unassigned] ${counts.customers} unassigned customer(s) of ${counts.leavers} leaver(s): ${counts.opened} case(s) opened, ${counts.hrTasks} HR notification(s), ${counts.covered} already in a case`);
  return counts;
}

/** HR is told that a leaver's customers are unassigned in WeCom: once per leaver and HR person. */
async function notifyUnassigned(tx: Tx, l: LeaverRow, customers: number): Promise<number> {
  const hr = await tx.employee.findMany({ where: { status: "ACTIVE", roles: { some: { role: "HR" } } }, select: { id: true } });
  const who = l.employee_id ?? `u:${l.handover_userid}`;
  const params: Record<string, string | number> = l.employee_id ? { name: l.name ?? "", employeeNo: l.employee_no ?? "", count: customers } : { userid: l.handover_userid, count: customers };
  return sendNotifications(
    tx,
    hr.map((h) => ({
      recipientId: h.id,
      kind: "wecom.unassigned",
      messageKey: l.employee_id ? "directory.wecom.notify.unassigned" : "directory.wecom.notify.unassignedUnknown",
      params,
      href: "/offboarding",
      dedupeKey: `wecom.unassigned:${who}:${h.id}`,
    })),
  );
}

/** The scheduled job: when the customer-contact secret is set. */
export async function runUnassignedJob(prisma: DbClient, log: (line: string) => void = console.log): Promise<UnassignedCounts | null> {
  const { customers } = clientsFor(prisma, await loadConnection(prisma));
  if (!customers) return null;
  return readUnassigned(prisma, customers, await loadSyncSettings(prisma), { log });
}
