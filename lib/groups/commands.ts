import "server-only";
import { submitApprovalRequest } from "@/lib/approvals/engine";
import { assertNoPendingRequest } from "@/lib/approvals/pending";
import type { ApprovalPayload } from "@/lib/approvals/types";
import type { Permission } from "@/lib/auth/permissions";
import { newId } from "@/lib/ids";
import type { ActionContext } from "@/lib/server/action";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/db";
import { DomainError, forbidden, notFound, stale } from "@/lib/server/errors";
import { checkGroupName, parseBlockedWords, validateNamingRule, type NameProblem, type RuleProblem } from "./naming-rule";
import { rulesFromForm } from "./membership";
import { loadPolicy, membershipColumns, policyAuditView, toPolicy } from "./policy";
import { exportDayProblem, isArchiveFresh, isoDay, reviewDueAfter } from "./policy-rules";
import { groupAuditView, GROUP_ENTITY } from "./audit-view";
import type { ArchiveInput, GroupRefInput, GroupRequestInput, PolicyInput, RegisterInput, TransferInput } from "./schemas";
import { refreshUnregisteredNotices, refreshViolationNotices } from "./tasks";
import { recheckMembership } from "./violations";
import { LIVE_STATUSES } from "./schemas";
import { groupScope } from "./scope";

// Writes of the work groups. Each runs inside the action's transaction and records its audit
// events there; known refusals are DomainErrors with `groups.errors.*` keys, attached to the form
// field they concern. Permissions are checked again here so a command is safe whoever calls it.
// Edits are conditional on the version the person saw (optimistic concurrency) and on the
// status the change starts from, so nothing is applied twice.

/** The advisory-lock class of "a live group named …" (with the name's hash as the second key). */
const NAME_LOCK = 4_200_120;

const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, options?: ConstructorParameters<typeof DomainError>[2]) =>
  new DomainError(code, `groups.errors.${key}`, options);

function requirePermission(actor: Pick<Actor, "permissions">, permission: Permission) {
  if (!actor.permissions.has(permission)) throw forbidden();
}

export function nameProblemError(problem: NameProblem): DomainError {
  const { code, ...params } = problem;
  return new DomainError("VALIDATION", `groups.naming.problems.${code}`, { field: "name", params: params as Record<string, string | number> });
}

function ruleProblemError(problem: RuleProblem): DomainError {
  const { code, ...params } = problem;
  const field =
    code.startsWith("BLOCKED") || code === "TOO_MANY_BLOCKED_WORDS"
      ? "blockedWords"
      : code.startsWith("EXEMPTION") || code === "TOO_MANY_EXEMPTIONS"
        ? "blockedWordExemptions"
        : code === "MAX_LENGTH_RANGE"
          ? "maxLength"
          : "template";
  return new DomainError("VALIDATION", `groups.naming.ruleProblems.${code}`, { field, params: params as Record<string, string | number> });
}

/** An ACTIVE employee, or a refusal on the field that named them. */
async function activeEmployee(tx: Tx, id: string, field: string, key: string) {
  const e = await tx.employee.findUnique({ where: { id }, select: { id: true, name: true, status: true, departmentId: true } });
  if (!e || e.status !== "ACTIVE") throw err("VALIDATION", key, { field });
  return e;
}

/**
 * A group the actor may read, locked for the rest of the transaction (so a decision's effect and
 * this command cannot interleave on it), with its administrators. Outside their scope it does
 * not exist, as on its page.
 */
async function readableGroup(actor: Actor, tx: Tx, id: string) {
  await tx.$queryRaw`SELECT "id" FROM "work_groups" WHERE "id" = ${id} FOR UPDATE`;
  const group = await tx.workGroup.findFirst({
    where: { AND: [await groupScope(actor, tx), { id }] },
    include: { administrators: { select: { employeeId: true } } },
  });
  if (!group) throw notFound();
  return group;
}

type LoadedGroup = Awaited<ReturnType<typeof readableGroup>>;

function requireOwnerOrManager(actor: Actor, group: LoadedGroup) {
  if (group.ownerId !== actor.id && !actor.permissions.has("groups.manage")) throw err("FORBIDDEN", "ownerOnly");
}

function requireVersion(group: LoadedGroup, version: number) {
  if (group.version !== version) throw stale();
}

function requireStatus(group: LoadedGroup, ...statuses: string[]) {
  if (!statuses.includes(group.status)) throw err("INVALID_STATE", "wrongStatus", { params: { status: group.status } });
}

function summary(items: { labelKey: string; value?: string | number; valueKey?: string }[]): ApprovalPayload["summary"] {
  return items;
}

// ---------------------------------------------------------------------------------------------
// Requesting a group

export async function requestGroup({ actor, input, tx, audit }: ActionContext<GroupRequestInput>): Promise<{ id: string; requestId: string }> {
  requirePermission(actor, "groups.request");
  const policy = await loadPolicy(tx);
  if (input.policyVersion !== policy.version) throw err("STALE", "policyChanged", { field: "name" });

  const department = await tx.department.findUnique({ where: { id: input.departmentId }, select: { id: true, name: true, code: true } });
  if (!department) throw err("VALIDATION", "departmentNotFound", { field: "departmentId" });

  const check = checkGroupName(policy, { department, parts: input.parts });
  if (!check.ok) throw nameProblemError(check.problems[0]);
  // Two requests for the same name at once: the second waits for the first's transaction, then
  // sees its group (the name is not unique in the schema, since dissolved groups keep theirs).
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${NAME_LOCK}::int, hashtext(lower(${check.name})))`;
  const taken = await tx.workGroup.findFirst({
    where: { name: { equals: check.name, mode: "insensitive" }, status: { in: [...LIVE_STATUSES] } },
    select: { id: true },
  });
  if (taken) throw err("CONFLICT", "nameTaken", { field: "name" });

  const owner = await activeEmployee(tx, input.ownerId, "ownerId", "ownerNotActive");
  // The owner holds every right an administrator has: listing them twice adds nothing.
  const administratorIds = input.administratorIds.filter((a) => a !== owner.id);
  for (const a of administratorIds) await activeEmployee(tx, a, "administratorIds", "administratorNotActive");

  const id = newId();
  const group = await tx.workGroup.create({
    data: {
      id,
      name: check.name,
      nameParts: check.parts,
      policyVersion: policy.version,
      purpose: input.purpose,
      platform: input.platform,
      kind: input.kind,
      departmentId: department.id,
      ownerId: owner.id,
      requesterId: actor.id,
      classification: input.classification,
      expectedSize: input.expectedSize,
      status: "PENDING_APPROVAL",
      administrators: { create: administratorIds.map((employeeId) => ({ employeeId })) },
    },
  });
  await audit({ action: "workGroup.request", entityType: GROUP_ENTITY, entityId: id, before: null, after: groupAuditView(group, administratorIds) });

  const payload: ApprovalPayload = {
    subjectHref: `/groups/${id}`,
    groupId: id,
    summary: summary([
      { labelKey: "groups.fields.name", value: check.name },
      { labelKey: "groups.fields.purpose", value: input.purpose },
      { labelKey: "groups.fields.platform", valueKey: `groups.platform.${input.platform}` },
      { labelKey: "groups.fields.kind", valueKey: `groups.kind.${input.kind}` },
      { labelKey: "groups.fields.classification", valueKey: `groups.classification.${input.classification}` },
      { labelKey: "groups.fields.department", value: department.name },
      { labelKey: "groups.fields.owner", value: owner.name },
      { labelKey: "groups.fields.expectedSize", value: input.expectedSize },
    ]),
  };
  const request = await submitApprovalRequest(
    { tx, audit, actor },
    {
      type: "GROUP_CREATE",
      subjectType: GROUP_ENTITY,
      subjectId: id,
      title: check.name.slice(0, 200),
      facts: { managerOfDepartmentId: actor.departmentId, classification: input.classification },
      payload,
    },
  );
  return { id, requestId: request.id };
}

// ---------------------------------------------------------------------------------------------
// Recertification, ownership, archives

export async function confirmReview({ actor, input, tx, audit }: ActionContext<GroupRefInput>): Promise<{ id: string }> {
  requirePermission(actor, "groups.request");
  const group = await readableGroup(actor, tx, input.id);
  requireOwnerOrManager(actor, group);
  requireVersion(group, input.version);
  requireStatus(group, "ACTIVE");
  await assertNoPendingRequest(tx, GROUP_ENTITY, group.id);
  const policy = await loadPolicy(tx);
  const now = new Date();
  const reviewDueAt = reviewDueAfter(policy, group.classification, now);
  const { count } = await tx.workGroup.updateMany({
    where: { id: group.id, version: input.version, status: "ACTIVE" },
    data: { lastReviewedAt: now, reviewDueAt, version: { increment: 1 } },
  });
  if (count !== 1) throw stale();
  await audit({
    action: "workGroup.review",
    entityType: GROUP_ENTITY,
    entityId: group.id,
    before: { reviewDueAt: group.reviewDueAt, lastReviewedAt: group.lastReviewedAt, version: group.version },
    after: { reviewDueAt, lastReviewedAt: now, reviewDays: policy.reviewDays[group.classification], version: group.version + 1 },
  });
  return { id: group.id };
}

export async function transferOwnership({ actor, input, tx, audit }: ActionContext<TransferInput>): Promise<{ id: string }> {
  requirePermission(actor, "groups.request");
  const group = await readableGroup(actor, tx, input.id);
  requireOwnerOrManager(actor, group);
  requireVersion(group, input.version);
  // Not while its creation or dissolution is pending: the approvers decide on this owner.
  await assertNoPendingRequest(tx, GROUP_ENTITY, group.id);
  requireStatus(group, "PENDING_APPROVAL", "ACTIVE", "DISSOLUTION_PENDING");
  if (input.ownerId === group.ownerId) throw err("VALIDATION", "sameOwner", { field: "ownerId" });
  const owner = await activeEmployee(tx, input.ownerId, "ownerId", "ownerNotActive");
  const { count } = await tx.workGroup.updateMany({
    where: { id: group.id, version: input.version, status: group.status },
    data: { ownerId: owner.id, version: { increment: 1 } },
  });
  if (count !== 1) throw stale();
  // The new owner is no longer also an administrator: the owner's rights include theirs.
  const wasAdministrator = group.administrators.some((a) => a.employeeId === owner.id);
  if (wasAdministrator) await tx.workGroupAdministrator.delete({ where: { groupId_employeeId: { groupId: group.id, employeeId: owner.id } } });
  await audit({
    action: "workGroup.transfer",
    entityType: GROUP_ENTITY,
    entityId: group.id,
    before: { ownerId: group.ownerId, version: group.version },
    after: { ownerId: owner.id, ownerName: owner.name, removedFromAdministrators: wasAdministrator, version: group.version + 1 },
  });
  return { id: group.id };
}

export async function recordArchive({ actor, input, tx, audit }: ActionContext<ArchiveInput>): Promise<{ id: string; archiveId: string }> {
  requirePermission(actor, "groups.request");
  const group = await readableGroup(actor, tx, input.id);
  const allowed = group.ownerId === actor.id || group.administrators.some((a) => a.employeeId === actor.id) || actor.permissions.has("groups.manage");
  if (!allowed) throw err("FORBIDDEN", "archiveNotAllowed");
  // Allowed under a pending dissolution (no assertNoPendingRequest): an archive is a new record
  // that adds to what the approvers see and keeps the archive fresh until the dissolution; it
  // changes nothing they decided on.
  requireStatus(group, "ACTIVE", "DISSOLUTION_PENDING");
  const dayProblem = exportDayProblem(input.exportedOn, new Date());
  if (dayProblem === "future") throw err("VALIDATION", "exportInFuture", { field: "exportedOn" });
  if (dayProblem === "tooOld") throw err("VALIDATION", "exportTooOld", { field: "exportedOn" });
  const archive = await tx.workGroupArchive.create({
    data: {
      id: newId(),
      groupId: group.id,
      content: input.content,
      location: input.location,
      exportedOn: input.exportedOn,
      note: input.note ?? null,
      recordedById: actor.id,
    },
  });
  await audit({
    action: "workGroup.archive",
    entityType: GROUP_ENTITY,
    entityId: group.id,
    before: null,
    after: { archiveId: archive.id, content: archive.content, location: archive.location, exportedOn: isoDay(archive.exportedOn), note: archive.note },
  });
  return { id: group.id, archiveId: archive.id };
}

// ---------------------------------------------------------------------------------------------
// Registering a group found in WeCom (docs/wecom.md "Customer groups")

/**
 * A customer group the WeCom sync found without a request here ("created outside the portal")
 * is registered by its owner or ADMIN: what a request would have said (purpose, classification,
 * department) replaces the sync's placeholders, the flag is cleared and recertification starts
 * from now. No approval: the group already exists in WeCom, so an approver could not prevent it;
 * the control is that it is accounted for — an owner, a department, a classification whose
 * membership rules are checked at once (and on every sync) — and that the registration is
 * audited. The owner's "register your groups" task is updated in the same transaction.
 */
export async function registerGroup({ actor, input, tx, audit }: ActionContext<RegisterInput>): Promise<{ id: string }> {
  requirePermission(actor, "groups.request");
  const group = await readableGroup(actor, tx, input.id);
  requireOwnerOrManager(actor, group);
  requireVersion(group, input.version);
  if (!group.outsidePortal) throw err("INVALID_STATE", "notOutsidePortal");
  requireStatus(group, "PENDING_APPROVAL", "ACTIVE", "DISSOLUTION_PENDING");
  const department = await tx.department.findUnique({ where: { id: input.departmentId }, select: { id: true, name: true } });
  if (!department) throw err("VALIDATION", "departmentNotFound", { field: "departmentId" });
  const policy = await loadPolicy(tx);
  const now = new Date();
  const reviewDueAt = group.status === "ACTIVE" ? reviewDueAfter(policy, input.classification, now) : group.reviewDueAt;
  const { count } = await tx.workGroup.updateMany({
    where: { id: group.id, version: input.version, outsidePortal: true },
    data: { purpose: input.purpose, classification: input.classification, departmentId: department.id, outsidePortal: false, reviewDueAt, lastReviewedAt: now, version: { increment: 1 } },
  });
  if (count !== 1) throw stale();
  // The classification decides the membership rules: re-checked now, not at the next sync.
  const check = await recheckMembership(tx, policy.membership, { groupIds: [group.id] }, now);
  await audit({
    action: "workGroup.register",
    entityType: GROUP_ENTITY,
    entityId: group.id,
    before: { outsidePortal: true, purpose: group.purpose, classification: group.classification, departmentId: group.departmentId, reviewDueAt: group.reviewDueAt, version: group.version },
    after: {
      outsidePortal: false,
      purpose: input.purpose,
      classification: input.classification,
      departmentId: department.id,
      departmentName: department.name,
      reviewDueAt,
      violationsOpened: check.opened,
      violationsResolved: check.resolved,
      version: group.version + 1,
    },
  });
  if (group.ownerId) {
    await refreshUnregisteredNotices(tx, now, [group.ownerId]);
    await refreshViolationNotices(tx, now, [group.ownerId]);
  }
  return { id: group.id };
}

// ---------------------------------------------------------------------------------------------
// Dissolution

export async function requestDissolution({ actor, input, tx, audit }: ActionContext<GroupRefInput>): Promise<{ id: string; requestId: string }> {
  requirePermission(actor, "groups.request");
  const group = await readableGroup(actor, tx, input.id);
  requireOwnerOrManager(actor, group);
  requireVersion(group, input.version);
  requireStatus(group, "ACTIVE");
  const policy = await loadPolicy(tx);
  const newest = await tx.workGroupArchive.findFirst({ where: { groupId: group.id }, orderBy: { exportedOn: "desc" }, select: { exportedOn: true } });
  if (!isArchiveFresh(newest?.exportedOn, new Date(), policy.archiveWindowDays)) {
    throw err("INVALID_STATE", newest ? "archiveStale" : "archiveMissing", {
      params: { days: policy.archiveWindowDays, exportedOn: newest ? isoDay(newest.exportedOn) : "" },
    });
  }
  // A group found in WeCom whose owner the directory does not know has none here: its own
  // department's manager decides first, and the summary says WeCom's owner.
  const owner = group.ownerId ? await tx.employee.findUnique({ where: { id: group.ownerId }, select: { name: true, departmentId: true } }) : null;
  if (group.ownerId && !owner) throw new Error(`Work group ${group.id} names an owner that does not exist`);

  const { count } = await tx.workGroup.updateMany({
    where: { id: group.id, version: input.version, status: "ACTIVE" },
    data: { status: "DISSOLUTION_PENDING", version: { increment: 1 } },
  });
  if (count !== 1) throw stale();
  await audit({
    action: "workGroup.dissolutionRequest",
    entityType: GROUP_ENTITY,
    entityId: group.id,
    before: { status: group.status, version: group.version },
    after: { status: "DISSOLUTION_PENDING", newestArchiveOn: newest ? isoDay(newest.exportedOn) : null, version: group.version + 1 },
  });
  const request = await submitApprovalRequest(
    { tx, audit, actor },
    {
      type: "GROUP_DISSOLVE",
      subjectType: GROUP_ENTITY,
      subjectId: group.id,
      title: group.name.slice(0, 200),
      facts: { managerOfDepartmentId: owner?.departmentId ?? group.departmentId, classification: group.classification },
      payload: {
        subjectHref: `/groups/${group.id}`,
        groupId: group.id,
        summary: summary([
          { labelKey: "groups.fields.name", value: group.name },
          { labelKey: "groups.fields.classification", valueKey: `groups.classification.${group.classification}` },
          { labelKey: "groups.fields.owner", value: owner?.name ?? group.wecomOwnerUserid ?? "—" },
          { labelKey: "groups.fields.newestArchive", value: newest ? isoDay(newest.exportedOn) : "" },
        ]),
      } satisfies ApprovalPayload,
    },
  );
  return { id: group.id, requestId: request.id };
}

// ---------------------------------------------------------------------------------------------
// The policy (naming rule, archive window, review intervals)

export async function savePolicy({ actor, input, tx, audit }: ActionContext<PolicyInput>): Promise<{ version: number }> {
  requirePermission(actor, "naming.configure");
  const current = await loadPolicy(tx);
  if (current.version !== input.version) throw stale();
  const blockedWords = parseBlockedWords(input.blockedWords);
  const blockedWordExemptions = parseBlockedWords(input.blockedWordExemptions);
  const problems = validateNamingRule({ template: input.template, maxLength: input.maxLength, blockedWords, blockedWordExemptions });
  if (problems.length) throw ruleProblemError(problems[0]);

  let row;
  try {
    row = await tx.workGroupPolicy.create({
      data: {
        id: newId(),
        version: current.version + 1,
        template: input.template,
        maxLength: input.maxLength,
        blockedWords,
        blockedWordExemptions,
        archiveWindowDays: input.archiveWindowDays,
        reviewDaysPublic: input.reviewDaysPublic,
        reviewDaysInternal: input.reviewDaysInternal,
        reviewDaysConfidential: input.reviewDaysConfidential,
        reviewDaysSecret: input.reviewDaysSecret,
        ...membershipColumns(rulesFromForm(input)),
        createdById: actor.id,
      },
    });
  } catch (error) {
    // Two administrators saving version n+1 at once: the unique version lets one win.
    if ((error as { code?: unknown })?.code === "P2002") throw stale();
    throw error;
  }
  const saved = toPolicy(row);
  await audit({ action: "workGroupPolicy.update", entityType: "WorkGroupPolicy", entityId: saved.id, before: policyAuditView(current), after: policyAuditView(saved) });
  return { version: saved.version };
}
