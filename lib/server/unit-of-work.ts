import type { Actor } from "./actor";
import { writeAuditEvent, type AuditInput } from "./audit-write";
import type { DbClient, Tx } from "./prisma-client";
import { transactionLimits } from "./transaction-limits";

export type UnitOfWork = { tx: Tx; audit: (event: AuditInput) => Promise<void> };

/**
 * One transaction for a command and its audit events. A mutation that records no audit event is
 * refused (rolled back): every change is audited (SPEC §12). Used by defineAction and by the
 * integration tests, so both run commands the same way.
 */
export async function inUnitOfWork<T>(
  client: DbClient,
  actor: Pick<Actor, "id" | "email" | "ip">,
  run: (uow: UnitOfWork) => Promise<T>,
  options: { mutation?: boolean } = {},
): Promise<T> {
  // A read-only action needs no transaction: it may run longer than a transaction's time limit
  // (verifying a long audit chain) and has nothing to roll back.
  if (options.mutation === false) {
    return run({
      tx: client,
      audit: async () => {
        throw new Error("A read-only action (mutation: false) cannot write audit events.");
      },
    });
  }
  return client.$transaction(
    async (tx) => {
      let audited = 0;
      const audit = async (event: AuditInput) => {
        await writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: actor.ip }, event);
        audited++;
      };
      const value = await run({ tx, audit });
      if (audited === 0) {
        throw new Error("A mutation committed no audit event; every change must be audited (SPEC §12).");
      }
      return value;
    },
    transactionLimits(),
  );
}
