import { createHash, randomBytes } from "node:crypto";
import { decrypt, encrypt } from "@/lib/pii";
import type { DbClient } from "@/lib/server/prisma-client";

// A WeCom or OIDC sign-in under way (docs/sign-in.md). The start of a flow draws a random
// `state` (and for OIDC a nonce and a PKCE verifier) and binds it to the browser: the browser
// holds a random value in an HttpOnly cookie, the row holds SHA-256 hashes of both. The callback
// must come back to the same browser with that state, once, within FLOW_TTL. The code it brings
// is recorded (hashed, unique), so a code seen before is refused before anyone is asked about it.
// Once the person is known, the flow hands the Auth.js provider a single-use grant that lives a
// minute and never leaves the server.

export type FlowMethod = "WECOM_OAUTH" | "WECOM_QR" | "OIDC";
export const FLOW_TTL_MS = 10 * 60_000;
const GRANT_TTL_MS = 60_000;

export const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");
export const randomToken = (bytes = 32) => randomBytes(bytes).toString("base64url");

export type StartedFlow = { state: string; nonce: string | null; codeVerifier: string | null; codeChallenge: string | null };

export async function beginFlow(
  client: DbClient,
  input: { method: FlowMethod; browserToken: string; redirectUri: string; returnTo: string; pkce?: boolean; now?: Date },
): Promise<StartedFlow> {
  const now = input.now ?? new Date();
  const state = randomToken();
  const oidc = input.method === "OIDC";
  const nonce = oidc ? randomToken() : null;
  const codeVerifier = oidc || input.pkce ? randomToken(48) : null;
  const codeChallenge = codeVerifier ? createHash("sha256").update(codeVerifier).digest("base64url") : null;
  await client.signInFlow.create({
    data: {
      method: input.method,
      stateHash: sha256(state),
      browserHash: sha256(input.browserToken),
      nonce,
      codeVerifierCipher: codeVerifier ? encrypt(codeVerifier) : null,
      redirectUri: input.redirectUri,
      returnTo: input.returnTo,
      createdAt: now,
      expiresAt: new Date(now.getTime() + FLOW_TTL_MS),
    },
  });
  // Flows nobody finished are kept a day (for the record of what happened), then removed.
  await client.signInFlow.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - 86_400_000) } } });
  return { state, nonce, codeVerifier, codeChallenge };
}

export type TakenFlow = { id: string; method: FlowMethod; nonce: string | null; codeVerifier: string | null; redirectUri: string; returnTo: string };
export type FlowRefusal = "STATE" | "EXPIRED" | "USED" | "CODE_REPLAYED";

/**
 * The callback's first step: the flow of this state, in this browser, not used, not expired, for
 * one of `methods`; it is marked used (whatever happens next) and the code recorded. A code that
 * any flow recorded before is refused.
 */
export async function takeFlow(
  client: DbClient,
  input: { state: string; browserToken: string | null; code: string | null; methods: FlowMethod[]; now?: Date },
): Promise<{ ok: true; flow: TakenFlow } | { ok: false; reason: FlowRefusal; flowId: string | null; returnTo: string | null }> {
  const now = input.now ?? new Date();
  if (!input.state || input.state.length > 200) return { ok: false, reason: "STATE", flowId: null, returnTo: null };
  try {
    return await client.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "sign_in_flows" WHERE "state_hash" = ${sha256(input.state)} FOR UPDATE`;
      const flow = rows.length ? await tx.signInFlow.findUnique({ where: { id: rows[0].id } }) : null;
      // Unknown state, another browser's state, or a state of another method: the same answer.
      if (!flow || !input.browserToken || flow.browserHash !== sha256(input.browserToken) || !input.methods.includes(flow.method as FlowMethod)) {
        return { ok: false as const, reason: "STATE" as const, flowId: null, returnTo: null };
      }
      if (flow.usedAt) return { ok: false as const, reason: "USED" as const, flowId: flow.id, returnTo: flow.returnTo };
      const codeHash = input.code ? sha256(input.code) : null;
      await tx.signInFlow.update({ where: { id: flow.id }, data: { usedAt: now } });
      if (flow.expiresAt <= now) return { ok: false as const, reason: "EXPIRED" as const, flowId: flow.id, returnTo: flow.returnTo };
      if (codeHash) {
        const seen = await tx.signInFlow.findUnique({ where: { codeHash }, select: { id: true } });
        if (seen) return { ok: false as const, reason: "CODE_REPLAYED" as const, flowId: flow.id, returnTo: flow.returnTo };
        await tx.signInFlow.update({ where: { id: flow.id }, data: { codeHash } });
      }
      return {
        ok: true as const,
        flow: {
          id: flow.id,
          method: flow.method as FlowMethod,
          nonce: flow.nonce,
          codeVerifier: flow.codeVerifierCipher ? decrypt(flow.codeVerifierCipher) : null,
          redirectUri: flow.redirectUri,
          returnTo: flow.returnTo,
        },
      };
    });
  } catch (error) {
    // Two callbacks racing with one code: the unique index decides, the second is a replay.
    if ((error as { code?: string })?.code === "P2002") return { ok: false, reason: "CODE_REPLAYED", flowId: null, returnTo: null };
    throw error;
  }
}

/** The person is known: a single-use grant for the Auth.js provider (returned, stored hashed). */
export async function mintGrant(client: DbClient, flowId: string, employeeId: string, now = new Date()): Promise<string> {
  const grant = randomToken();
  await client.signInFlow.update({ where: { id: flowId }, data: { employeeId, grantHash: sha256(grant), grantExpiresAt: new Date(now.getTime() + GRANT_TTL_MS) } });
  return grant;
}

/** Redeems a grant once: the employee and the method, or null (unknown, used, expired, other method). */
export async function redeemGrant(client: DbClient, grant: string, methods: FlowMethod[], now = new Date()): Promise<{ employeeId: string; method: FlowMethod; flowId: string } | null> {
  if (typeof grant !== "string" || grant.length < 20 || grant.length > 100) return null;
  const grantHash = sha256(grant);
  const n = await client.signInFlow.updateMany({ where: { grantHash, grantUsedAt: null, grantExpiresAt: { gt: now }, method: { in: methods } }, data: { grantUsedAt: now } });
  if (n.count !== 1) return null;
  const flow = await client.signInFlow.findUnique({ where: { grantHash }, select: { id: true, employeeId: true, method: true } });
  if (!flow?.employeeId) return null;
  return { employeeId: flow.employeeId, method: flow.method as FlowMethod, flowId: flow.id };
}
