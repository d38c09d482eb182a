import { loadPolicy } from "@/lib/groups/policy";
import { refreshViolationNotices } from "@/lib/groups/tasks";
import { recheckMembership } from "@/lib/groups/violations";
import type { SyncStep } from "./types";

// The governance step of the WeCom sync (issue 14, item 4; docs/wecom.md "Membership rules"): after
// the directory and the customer groups are in, every synced group is checked against the
// membership rules of the policy in force (lib/groups/violations.ts, set-based), a slice of
// GOVERNANCE_BATCH groups (by chat id) per transaction, then each owner with violating groups gets
// today's one notification. The checkpoint is the last chat id checked.

export const GOVERNANCE_BATCH = 2_000;

type Checkpoint = { phase: "check"; after: string } | { phase: "notify" } | { phase: "done" };

export const governanceStep: SyncStep = {
  name: "governance",
  async run(ctx) {
    let cp = (ctx.checkpoint as Checkpoint | null) ?? { phase: "check", after: "" };
    const policy = await loadPolicy(ctx.prisma);
    while (cp.phase === "check") {
      const after = cp.after;
      // The slice's last chat id, read first so the checkpoint is known before the write.
      const [edge] = await ctx.prisma.$queryRaw<{ external_id: string }[]>`
        SELECT external_id FROM work_groups WHERE platform = 'WECOM' AND external_id IS NOT NULL AND external_id > ${after}
         ORDER BY external_id OFFSET ${GOVERNANCE_BATCH - 1} LIMIT 1`;
      const upTo = edge?.external_id ?? null;
      const next: Checkpoint = upTo === null ? { phase: "notify" } : { phase: "check", after: upTo };
      await ctx.commit(
        (tx) => recheckMembership(tx, policy.membership, { after, upTo }, ctx.now()),
        (r) => ({ checkpoint: next, rows: r.checked, counts: { "violations.checked": r.checked, "violations.opened": r.opened, "violations.resolved": r.resolved } }),
      );
      cp = next;
    }
    if (cp.phase === "notify") {
      await ctx.commit(
        async (tx) => {
          const tasks = await refreshViolationNotices(tx, ctx.now());
          const [open] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM work_group_violations WHERE resolved_at IS NULL`;
          return { tasks, open: open.n };
        },
        (r) => ({ checkpoint: { phase: "done" } satisfies Checkpoint, counts: { "violations.ownerTasks": r.tasks, "violations.open": r.open } }),
      );
    }
  },
};
