import { authenticateBearer } from "@/lib/api-tokens/tokens";
import { answerCheck } from "@/lib/privacy/check";
import { checkQuerySchema } from "@/lib/privacy/schemas";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";

// GET /api/v1/consents/check?phone=…|wecomId=…|email=…|subjectId=…&purpose=CODE[&separate=FLAG]
// Authorization: Bearer <personal access token>. Answers whether the subject has a valid consent
// for the purpose (and separate consent) now, with the record that decides (docs/privacy.md).

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  query: checkQuerySchema,
  permission: ["consents.record", "privacy.read:all"],
  authenticate: (request) => authenticateBearer(db(), request),
  async run({ input }) {
    const now = new Date();
    const { subjectId, answer } = await answerCheck(db(), input, now);
    const r = answer.record;
    return Response.json(
      {
        valid: answer.valid,
        reason: answer.reason,
        subjectId,
        purpose: input.purpose,
        separate: input.separate ?? null,
        checkedAt: now.toISOString(),
        record: r
          ? {
              consentId: r.consentId,
              noticeId: r.noticeId,
              grantedAt: r.grantedAt.toISOString(),
              expiresAt: r.expiresAt?.toISOString() ?? null,
              withdrawnAt: r.withdrawnAt?.toISOString() ?? null,
              withdrawalChannel: r.withdrawalChannel,
              purposes: r.purposes,
              separateConsents: r.separateConsents,
              channel: r.channel,
            }
          : null,
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  },
});
