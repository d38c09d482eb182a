import { randomBytes } from "node:crypto";
import { requestAccount } from "@/lib/accounts/commands";
import { accountRequestSchema } from "@/lib/accounts/schemas";
import type { Actor } from "@/lib/server/actor";
import type { DbClient } from "@/lib/server/prisma-client";
import { expectOk, run } from "../helpers/run-command";
import { makeEmployee } from "@/prisma/factories";
import { seedGroupsOrganisation } from "../groups/helpers";

export { approveAll, rejectCurrent, withdraw, seedGroupsOrganisation, type GroupsOrganisation } from "../groups/helpers";
export { expectOk, run } from "../helpers/run-command";

/** A random PII key for this test file (as npm start would generate one). */
export function usePiiKey(): string {
  const key = randomBytes(32).toString("base64");
  process.env.PII_ENCRYPTION_KEY = key;
  delete process.env.PII_ENCRYPTION_KEY_PREVIOUS;
  return key;
}

/** The work groups' test organisation plus an HR person (ACCOUNT_DISSOLVE asks HR, then ADMIN). */
export async function seedOrganisation(prisma: DbClient) {
  const org = await seedGroupsOrganisation(prisma);
  const hr = await prisma.$transaction((tx) => makeEmployee(tx, { departmentId: org.dept.hq.id, name: "林晓燕", employeeNo: "H-001", email: "h-001@example.test", roles: ["HR", "EMPLOYEE"] }));
  return { ...org, people: { ...org.people, hr } };
}
export type AccountsOrganisation = Awaited<ReturnType<typeof seedOrganisation>>;

let counter = 0;
export function uniquePlatformId(prefix = "wxid_demo"): string {
  counter++;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

export function requestForm(custodianDepartmentId: string, overrides: Record<string, unknown> = {}) {
  return { type: "WECOM_MEMBER", displayName: `企业微信号${++counter}`, platformId: uniquePlatformId(), phone: "", custodianDepartmentId, holderId: "", note: "", ...overrides };
}

export async function requestAs(prisma: DbClient, actor: Actor, custodianDepartmentId: string, overrides: Record<string, unknown> = {}) {
  return expectOk(await run(prisma, actor, accountRequestSchema, requestForm(custodianDepartmentId, overrides), requestAccount));
}

export async function auditActions(prisma: DbClient, accountId: string): Promise<string[]> {
  const events = await prisma.auditEvent.findMany({ where: { entityType: "Account", entityId: accountId }, orderBy: { id: "asc" }, select: { action: true } });
  return events.map((e) => e.action);
}
