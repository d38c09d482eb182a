"use server";
import { defineAction } from "@/lib/server/action";
import { confirmReview, recordArchive, registerGroup, requestDissolution, requestGroup, savePolicy, transferOwnership } from "./commands";
import { archiveSchema, groupRefSchema, groupRequestSchema, policySchema, registerSchema, transferSchema } from "./schemas";

// The work groups' Server Actions: each one is defineAction (session → actor → zod → permission →
// transaction → command → audit → typed result). The commands check scope, ownership, status and
// version.

const REGISTRY = "/groups";
const groupPaths = ({ id }: { id: string }) => [REGISTRY, `${REGISTRY}/${id}`, "/"];

export const requestGroupAction = defineAction({
  schema: groupRequestSchema,
  permission: "groups.request",
  run: requestGroup,
  revalidate: groupPaths,
});

export const confirmReviewAction = defineAction({
  schema: groupRefSchema,
  permission: "groups.request",
  run: confirmReview,
  revalidate: groupPaths,
});

export const transferOwnershipAction = defineAction({
  schema: transferSchema,
  permission: "groups.request",
  run: transferOwnership,
  revalidate: groupPaths,
});

export const recordArchiveAction = defineAction({
  schema: archiveSchema,
  permission: "groups.request",
  run: recordArchive,
  revalidate: groupPaths,
});

export const requestDissolutionAction = defineAction({
  schema: groupRefSchema,
  permission: "groups.request",
  run: requestDissolution,
  revalidate: groupPaths,
});

export const savePolicyAction = defineAction({
  schema: policySchema,
  permission: "naming.configure",
  run: savePolicy,
  revalidate: () => ["/settings/naming-rule", "/groups/new"],
});

export const registerGroupAction = defineAction({
  schema: registerSchema,
  permission: "groups.request",
  run: registerGroup,
  revalidate: groupPaths,
});
