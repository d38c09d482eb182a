"use server";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import type { ActionResult } from "@/lib/forms";
import { getI18n } from "@/lib/i18n/server";
import { defineAction, errorResult } from "@/lib/server/action";
import { verifyAuditChain, type VerifyResult } from "@/lib/server/audit-verify";

// "Verify the chain" on the audit page. defineAction is the gate (session → actor → permission
// audit.read); the walk itself runs after it, outside the wrapper's transaction, because
// verifyAuditChain reads over its own connection: inside an open transaction it would wait on
// PGlite (which serialises transactions) until the 20-second transaction timeout, and on a
// large chain it outlasts that timeout on PostgreSQL too.
const mayVerify = defineAction({
  schema: z.object({}),
  permission: "audit.read",
  mutation: false,
  run: async () => null,
});

export async function verifyAuditChainAction(prev: unknown, formData: FormData): Promise<ActionResult<VerifyResult>> {
  const allowed = await mayVerify(prev, formData);
  if (!allowed.ok) return allowed;
  try {
    return { ok: true, data: await verifyAuditChain(process.env.DATABASE_URL!) };
  } catch (error) {
    unstable_rethrow(error);
    const { t } = await getI18n();
    return errorResult(error, t);
  }
}
