import type { Classification } from "./schemas";

// The membership rules (成员准入与权限控制, SPEC §4), pure: per classification, whether external
// members (customers, partners) may be in a group, the largest number of members, and whether an
// employee who has left may stay. They are part of the versioned work-group policy; ADMIN edits
// them on /settings/naming-rule. The synced WeCom groups are checked against the rules in force
// (lib/groups/violations.ts) on every sync and every group-change callback.

export type MembershipRule = { externalAllowed: boolean; maxMembers: number; departedMayStay: boolean };
export type MembershipRules = Record<Classification, MembershipRule>;

export const CLASSIFICATION_ORDER: readonly Classification[] = ["PUBLIC", "INTERNAL", "CONFIDENTIAL", "SECRET"];

/**
 * What every install starts with (the migration's column defaults): customers may be in public and
 * internal groups, not in confidential or secret ones; only a public group may keep someone who
 * has left; 500 members for public and internal groups (a WeChat group's limit and WeCom's for a
 * customer group of an unverified company), 200 for confidential, 50 for secret ones.
 */
export const DEFAULT_MEMBERSHIP_RULES: MembershipRules = {
  PUBLIC: { externalAllowed: true, maxMembers: 500, departedMayStay: true },
  INTERNAL: { externalAllowed: true, maxMembers: 500, departedMayStay: false },
  CONFIDENTIAL: { externalAllowed: false, maxMembers: 200, departedMayStay: false },
  SECRET: { externalAllowed: false, maxMembers: 50, departedMayStay: false },
};

/** The size limits an administrator may set: at least the owner and one more, at most what WeCom holds. */
export const MIN_MAX_MEMBERS = 2;
export const MAX_MAX_MEMBERS = 2000;

export type MembershipProblem = { field: string; code: "STRICTER_SIZE" | "STRICTER_EXTERNAL" | "STRICTER_DEPARTED"; classification: Classification; looser: Classification };

const cap = (c: Classification) => `${c.charAt(0)}${c.slice(1).toLowerCase()}`;
/** The form field of a classification's size limit: maxMembersPublic, maxMembersInternal, … */
export const maxMembersField = (c: Classification) => `maxMembers${cap(c)}`;

/**
 * A higher classification may not be looser than a lower one: a secret group cannot admit
 * customers that a confidential one may not, nor hold more members, nor keep leavers a lower one
 * must remove. Returns the first problems found, on the field to correct (the higher class's).
 */
export function membershipProblems(rules: MembershipRules): MembershipProblem[] {
  const problems: MembershipProblem[] = [];
  for (let i = 1; i < CLASSIFICATION_ORDER.length; i++) {
    const lower = CLASSIFICATION_ORDER[i - 1];
    const higher = CLASSIFICATION_ORDER[i];
    if (rules[higher].maxMembers > rules[lower].maxMembers) problems.push({ field: maxMembersField(higher), code: "STRICTER_SIZE", classification: higher, looser: lower });
    if (rules[higher].externalAllowed && !rules[lower].externalAllowed) problems.push({ field: "externalAllowed", code: "STRICTER_EXTERNAL", classification: higher, looser: lower });
    if (rules[higher].departedMayStay && !rules[lower].departedMayStay) problems.push({ field: "departedMayStay", code: "STRICTER_DEPARTED", classification: higher, looser: lower });
  }
  return problems;
}

/** The rules from the policy form's fields (checkbox lists of classifications, one size per class). */
export function rulesFromForm(input: { externalAllowed: readonly Classification[]; departedMayStay: readonly Classification[] } & Record<string, unknown>): MembershipRules {
  const out = {} as MembershipRules;
  for (const c of CLASSIFICATION_ORDER) {
    out[c] = { externalAllowed: input.externalAllowed.includes(c), departedMayStay: input.departedMayStay.includes(c), maxMembers: Number(input[maxMembersField(c)]) };
  }
  return out;
}
