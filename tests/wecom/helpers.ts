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
