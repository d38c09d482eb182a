import { randomBytes } from "node:crypto";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { makeAccountWithContacts, makeWorkGroup } from "@/lib/offboarding/fixtures";
import type { Actor } from "@/lib/server/actor";
import type { DbClient } from "@/lib/server/prisma-client";
import { actorFor } from "../helpers/actors";

export type Org = Awaited<ReturnType<typeof seedOffboardingOrg>>;

/** HR ×2, ADMIN, a person holding both HR and ADMIN, a leaver with an account of `contacts`
 * customer contacts and a live work group, and two successors. */
export async function seedOffboardingOrg(prisma: DbClient, contacts = 20) {
  // The contacts' external ids are encrypted (lib/pii): a key for this test file when none is set.
  process.env.PII_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  const dept = await makeDepartment(prisma, { name: "销售部", code: `S${Date.now().toString(36)}` });
  const mk = (name: string, roles: ("HR" | "ADMIN" | "EMPLOYEE")[]) => makeEmployee(prisma, { departmentId: dept.id, name, roles });
  const people = {
    hr: await mk("人事甲", ["HR"]),
    hr2: await mk("人事乙", ["HR"]),
    admin: await mk("管理员", ["ADMIN"]),
    both: await mk("人事管理员", ["HR", "ADMIN"]),
    leaver: await mk("离职者", ["EMPLOYEE"]),
    s1: await mk("接替甲", ["EMPLOYEE"]),
    s2: await mk("接替乙", ["EMPLOYEE"]),
  };
  const account = await makeAccountWithContacts(prisma, { holderId: people.leaver.id, departmentId: dept.id, contacts });
  const group = await makeWorkGroup(prisma, { ownerId: people.leaver.id, departmentId: dept.id });
  const actors: Record<keyof typeof people, Actor> = {} as Record<keyof typeof people, Actor>;
  for (const [k, p] of Object.entries(people)) actors[k as keyof typeof people] = await actorFor(prisma, p.id);
  return { dept, people, actors, account, group };
}
