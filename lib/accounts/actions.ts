"use server";
import { defineAction } from "@/lib/server/action";
import { registerAccount, requestAccount, requestDissolutionCommand, resumeAccount, revealContactIdentifier, revealIdentifier, suspendAccount } from "./commands";
import { accountRegisterSchema, accountRequestSchema, reasonSchema, resumeSchema, revealContactSchema, revealSchema } from "./schemas";

// The accounts' Server Actions: each one is defineAction (session → actor → zod → permission →
// transaction → command → audit → typed result). The commands check scope, status and version.

const REGISTRY = "/accounts";
const accountPaths = ({ id }: { id: string }) => [REGISTRY, `${REGISTRY}/${id}`, "/"];

export const requestAccountAction = defineAction({ schema: accountRequestSchema, permission: "accounts.request", run: requestAccount, revalidate: accountPaths });

export const registerAccountAction = defineAction({ schema: accountRegisterSchema, permission: "accounts.manage", run: registerAccount, revalidate: accountPaths });

export const suspendAccountAction = defineAction({ schema: reasonSchema, permission: "accounts.manage", run: suspendAccount, revalidate: accountPaths });

export const resumeAccountAction = defineAction({ schema: resumeSchema, permission: "accounts.manage", run: resumeAccount, revalidate: accountPaths });

export const requestDissolutionAction = defineAction({
  schema: reasonSchema,
  permission: ["accounts.request", "accounts.manage", "offboarding.manage"],
  run: requestDissolutionCommand,
  revalidate: accountPaths,
});

/** Returns the clear value to the browser that asked; audited (field only) by the command. */
export const revealIdentifierAction = defineAction({ schema: revealSchema, permission: "accounts.reveal", run: revealIdentifier });

/** A customer contact's external id, to the browser that asked; audited by the command. */
export const revealContactIdentifierAction = defineAction({ schema: revealContactSchema, permission: "accounts.reveal", run: revealContactIdentifier });
