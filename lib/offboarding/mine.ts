import "server-only";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";

export type MyHandoverItem = {
  id: string;
  kind: "ACCOUNT" | "CONTACT" | "GROUP";
  label: string;
  status: string;
  transferDueAt: Date | null;
  leaverName: string;
  lastWorkingDay: Date;
};

/** The handover items of open cases assigned to the actor as successor: theirs only, by the
 * where clause. Newest case first, then open before done. */
export async function myHandoverItems(actor: Pick<Actor, "id">, client: Tx, page = 1, pageSize = 50): Promise<{ items: MyHandoverItem[]; total: number }> {
  const where = { successorId: actor.id, case: { status: "OPEN" as const } };
  const [rows, total] = await Promise.all([
    client.handoverItem.findMany({
      where,
      orderBy: [{ case: { lastWorkingDay: "asc" } }, { status: "asc" }, { label: "asc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: { id: true, kind: true, label: true, status: true, transferDueAt: true, case: { select: { employeeId: true, lastWorkingDay: true } } },
    }),
    client.handoverItem.count({ where }),
  ]);
  const leavers = await client.employee.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.case.employeeId))] } }, select: { id: true, name: true } });
  const names = new Map(leavers.map((e) => [e.id, e.name]));
  return {
    total,
    items: rows.map((r) => ({ id: r.id, kind: r.kind, label: r.label, status: r.status, transferDueAt: r.transferDueAt, leaverName: names.get(r.case.employeeId) ?? "—", lastWorkingDay: r.case.lastWorkingDay })),
  };
}
