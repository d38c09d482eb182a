import type { Tx } from "@/lib/server/prisma-client";
import type { MembershipRules } from "./membership";
import type { GroupPolicy } from "./policy-rules";

// The work-group policy in force: the newest version in work_group_policies (the migration
// installs version 1). Not marked "server-only" because the demo seed, which runs outside Next.js
// under tsx, reads it too; nothing in the browser imports this file.

type PolicyRow = {
  id: string;
  version: number;
  template: string;
  maxLength: number;
  blockedWords: unknown;
  blockedWordExemptions: unknown;
  archiveWindowDays: number;
  reviewDaysPublic: number;
  reviewDaysInternal: number;
  reviewDaysConfidential: number;
  reviewDaysSecret: number;
  externalAllowedPublic: boolean;
  externalAllowedInternal: boolean;
  externalAllowedConfidential: boolean;
  externalAllowedSecret: boolean;
  maxMembersPublic: number;
  maxMembersInternal: number;
  maxMembersConfidential: number;
  maxMembersSecret: number;
  departedMayStayPublic: boolean;
  departedMayStayInternal: boolean;
  departedMayStayConfidential: boolean;
  departedMayStaySecret: boolean;
  createdById: string | null;
  createdAt: Date;
};

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((w): w is string => typeof w === "string") : [];
}

export function toPolicy(row: PolicyRow): GroupPolicy {
  return {
    id: row.id,
    version: row.version,
    template: row.template,
    maxLength: row.maxLength,
    blockedWords: stringList(row.blockedWords),
    blockedWordExemptions: stringList(row.blockedWordExemptions),
    archiveWindowDays: row.archiveWindowDays,
    reviewDays: {
      PUBLIC: row.reviewDaysPublic,
      INTERNAL: row.reviewDaysInternal,
      CONFIDENTIAL: row.reviewDaysConfidential,
      SECRET: row.reviewDaysSecret,
    },
    membership: {
      PUBLIC: { externalAllowed: row.externalAllowedPublic, maxMembers: row.maxMembersPublic, departedMayStay: row.departedMayStayPublic },
      INTERNAL: { externalAllowed: row.externalAllowedInternal, maxMembers: row.maxMembersInternal, departedMayStay: row.departedMayStayInternal },
      CONFIDENTIAL: { externalAllowed: row.externalAllowedConfidential, maxMembers: row.maxMembersConfidential, departedMayStay: row.departedMayStayConfidential },
      SECRET: { externalAllowed: row.externalAllowedSecret, maxMembers: row.maxMembersSecret, departedMayStay: row.departedMayStaySecret },
    },
    createdById: row.createdById,
    createdAt: row.createdAt,
  };
}

export async function loadPolicy(tx: Tx): Promise<GroupPolicy> {
  const row = await tx.workGroupPolicy.findFirst({ orderBy: { version: "desc" } });
  if (!row) throw new Error("No work-group policy (the work_groups migration installs version 1)");
  return toPolicy(row);
}

/** The membership rules as the policy row's columns. */
export function membershipColumns(m: MembershipRules) {
  return {
    externalAllowedPublic: m.PUBLIC.externalAllowed,
    externalAllowedInternal: m.INTERNAL.externalAllowed,
    externalAllowedConfidential: m.CONFIDENTIAL.externalAllowed,
    externalAllowedSecret: m.SECRET.externalAllowed,
    maxMembersPublic: m.PUBLIC.maxMembers,
    maxMembersInternal: m.INTERNAL.maxMembers,
    maxMembersConfidential: m.CONFIDENTIAL.maxMembers,
    maxMembersSecret: m.SECRET.maxMembers,
    departedMayStayPublic: m.PUBLIC.departedMayStay,
    departedMayStayInternal: m.INTERNAL.departedMayStay,
    departedMayStayConfidential: m.CONFIDENTIAL.departedMayStay,
    departedMayStaySecret: m.SECRET.departedMayStay,
  };
}

/** What an audit event records of a policy version. */
export function policyAuditView(p: GroupPolicy) {
  return {
    version: p.version,
    template: p.template,
    maxLength: p.maxLength,
    blockedWords: p.blockedWords,
    blockedWordExemptions: p.blockedWordExemptions,
    archiveWindowDays: p.archiveWindowDays,
    reviewDays: p.reviewDays,
    membership: p.membership,
  };
}
