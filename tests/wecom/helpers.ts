import { randomBytes } from "node:crypto";
import type { DbClient } from "@/lib/server/prisma-client";
import { WeComClient, type WeComClientOptions } from "@/lib/wecom/client";
import type { Fault, WeComSim } from "@/scripts/wecom-sim/server";

export function usePiiKey(): void {
  process.env.PII_ENCRYPTION_KEY = randomBytes(32).toString("base64");
  delete process.env.PII_ENCRYPTION_KEY_PREVIOUS;
}

/** Drives the simulator's admin endpoint, as the e2e tests and the demo do. */
export async function simAdmin(sim: WeComSim, path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.url}/__sim/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  return (await res.json()) as Record<string, unknown>;
}
export const injectFaults = (sim: WeComSim, ...faults: Fault[]) => simAdmin(sim, "faults", { faults });

export function contactsClient(prisma: DbClient, sim: WeComSim, extra: Partial<WeComClientOptions> = {}): WeComClient {
  return new WeComClient({ prisma, baseUrl: sim.url, corpId: sim.config.corpId, secret: sim.config.contactSecret, app: "contacts", backoffBaseMs: 1, backoffMaxMs: 4, timeoutMs: 5_000, ...extra });
}
export function customersClient(prisma: DbClient, sim: WeComSim, extra: Partial<WeComClientOptions> = {}): WeComClient {
  return new WeComClient({ prisma, baseUrl: sim.url, corpId: sim.config.corpId, secret: sim.config.customerSecret, app: "customers", backoffBaseMs: 1, backoffMaxMs: 4, timeoutMs: 5_000, ...extra });
}
export function archiveClient(prisma: DbClient, sim: WeComSim, extra: Partial<WeComClientOptions> = {}): WeComClient {
  return new WeComClient({ prisma, baseUrl: sim.url, corpId: sim.config.corpId, secret: sim.config.archiveSecret, app: "archive", backoffBaseMs: 1, backoffMaxMs: 4, timeoutMs: 5_000, ...extra });
}

/** Saves the connection to the simulator as /settings/wecom would (secrets encrypted): the
 * contact-sync and customer-contact secrets unless `apps` names fewer. */
export async function saveSimConnection(prisma: DbClient, sim: WeComSim, options: { callsPerMinute?: number; apps?: ("contacts" | "customers")[] } = {}): Promise<void> {
  const { encrypt } = await import("@/lib/pii");
  const apps = options.apps ?? ["contacts", "customers"];
  const secret = (value: string) => ({ cipher: encrypt(value), last4: value.slice(-4) });
  const contacts = apps.includes("contacts") ? secret(sim.config.contactSecret) : null;
  const customers = apps.includes("customers") ? secret(sim.config.customerSecret) : null;
  await prisma.weComSettings.create({
    data: {
      id: "default",
      corpId: sim.config.corpId,
      apiBaseUrl: sim.url,
      ...(options.callsPerMinute ? { callsPerMinute: options.callsPerMinute } : {}),
      contactSecretCipher: contacts?.cipher,
      contactSecretLast4: contacts?.last4,
      customerSecretCipher: customers?.cipher,
      customerSecretLast4: customers?.last4,
    },
  });
}
