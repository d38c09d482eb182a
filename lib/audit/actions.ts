"use server";
import { z } from "zod";
import { defineAction } from "@/lib/server/action";
import { verifyAuditChain } from "@/lib/server/audit-verify";

// "Verify the chain" on the audit page. Read-only (mutation: false), so the wrapper runs it
// outside a transaction: the walk reads over its own connection and may take longer than a
// transaction's time limit on a long chain.
export const verifyAuditChainAction = defineAction({
  schema: z.object({}),
  permission: "audit.read",
  mutation: false,
  run: async () => verifyAuditChain(process.env.DATABASE_URL!),
});
