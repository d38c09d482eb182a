"use server";
import { defineAction } from "@/lib/server/action";
import { abandonSubmission, acceptFinding, createSubmission, decideReview, reviseSubmission, submitSubmission, withdrawReview } from "./commands";
import { registerMedia, updateMedia } from "./media-commands";
import { addExemption, addTerm, createRule, removeExemption, removeTerm, updateRule } from "./rule-commands";
import {
  acceptFindingSchema,
  exemptionAddSchema,
  exemptionRemoveSchema,
  mediaCreateSchema,
  mediaUpdateSchema,
  reviewDecisionSchema,
  ruleCreateSchema,
  ruleUpdateSchema,
  submissionCreateSchema,
  submissionRefSchema,
  submissionReviseSchema,
  termAddSchema,
  termRemoveSchema,
} from "./schemas";

// Content compliance's Server Actions: each one is defineAction (session → actor → zod →
// permission → transaction → command → audit → typed result). Reviewing is not a permission: the
// engine's step resolution says who decides (checked by the commands). Forms that act on a
// content page navigate afterwards instead of revalidating it (as the approvals' forms do).

const ROOT = "/content";
const paths = ({ id }: { id: string }) => [ROOT, `${ROOT}/${id}`, "/"];

export const createSubmissionAction = defineAction({ schema: submissionCreateSchema, permission: "content.submit", run: (ctx) => createSubmission(ctx), revalidate: paths });
export const reviseSubmissionAction = defineAction({ schema: submissionReviseSchema, permission: "content.submit", run: (ctx) => reviseSubmission(ctx), revalidate: paths });
export const submitSubmissionAction = defineAction({ schema: submissionRefSchema, permission: "content.submit", run: (ctx) => submitSubmission(ctx) });
export const withdrawReviewAction = defineAction({ schema: submissionRefSchema, permission: "content.submit", run: (ctx) => withdrawReview(ctx) });
export const abandonSubmissionAction = defineAction({ schema: submissionRefSchema, permission: "content.submit", run: abandonSubmission });
export const acceptFindingAction = defineAction({ schema: acceptFindingSchema, permission: "signed-in", run: (ctx) => acceptFinding(ctx) });
export const decideReviewAction = defineAction({ schema: reviewDecisionSchema, permission: "signed-in", run: (ctx) => decideReview(ctx) });

const MEDIA = `${ROOT}/media`;
export const registerMediaAction = defineAction({ schema: mediaCreateSchema, permission: ["content.submit", "media.manage"], run: registerMedia, revalidate: () => [MEDIA] });
export const updateMediaAction = defineAction({ schema: mediaUpdateSchema, permission: ["content.submit", "media.manage"], run: updateMedia, revalidate: ({ id }) => [MEDIA, `${MEDIA}/${id}`] });

const RULES = "/settings/content-rules";
export const addTermAction = defineAction({ schema: termAddSchema, permission: "content.configure", run: addTerm, revalidate: () => [RULES] });
export const removeTermAction = defineAction({ schema: termRemoveSchema, permission: "content.configure", run: removeTerm, revalidate: () => [RULES] });
export const addExemptionAction = defineAction({ schema: exemptionAddSchema, permission: "content.configure", run: addExemption, revalidate: () => [RULES] });
export const removeExemptionAction = defineAction({ schema: exemptionRemoveSchema, permission: "content.configure", run: removeExemption, revalidate: () => [RULES] });
export const updateRuleAction = defineAction({ schema: ruleUpdateSchema, permission: "content.configure", run: updateRule, revalidate: () => [RULES] });
export const createRuleAction = defineAction({ schema: ruleCreateSchema, permission: "content.configure", run: createRule, revalidate: () => [RULES] });
