import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";
import { syncTraining } from "./assign";

// Called by the directory when HR creates an employee or changes their department, status or hire
// date: the person gets the assignments and policy requests their new place calls for at once, in
// the same transaction (the hourly job would catch them too). Audited only when something was made.
export async function trainingAfterEmployeeChange(tx: Tx, audit: (event: AuditInput) => Promise<void>, employeeId: string, now = new Date()): Promise<void> {
  const result = await syncTraining(tx, now, [employeeId]);
  if (result.assigned + result.asked > 0) {
    await audit({ action: "training.sync", entityType: "Employee", entityId: employeeId, after: { assigned: result.assigned, asked: result.asked } });
  }
}
