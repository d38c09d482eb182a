import "server-only";
import { submitApprovalRequest } from "@/lib/approvals/engine";
import { assertNoPendingRequest } from "@/lib/approvals/pending";
import type { ApprovalPayload } from "@/lib/approvals/types";
import type { Permission } from "@/lib/auth/permissions";
import { newId } from "@/lib/ids";
import type { ActionContext } from "@/lib/server/action";
import type { Actor } from "@/lib/server/actor";
import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/db";
import { DomainError, forbidden, notFound, stale } from "@/lib/server/errors";
import { accountAuditView, ACCOUNT_ENTITY } from "./audit-view";
import { protectValue, revealValue, searchHashes } from "./identifiers";
import { DISSOLVABLE_STATUSES, type AccountRegisterInput, type AccountRequestInput, type AccountStatus, type ReasonInput, type ResumeInput, type RevealContactInput, type RevealInput } from "./schemas";
import { accountScope } from "./scope";

// Writes of the accounts (SPEC §5). Each runs inside the caller's transaction and records its
// audit events there (masks only: never a clear identifier). Known refusals are DomainErrors with
// `accounts.errors.*` keys. Status moves are conditional on the state and version read, so
// nothing is applied twice and a stale form is told so.

/** The advisory-lock class of "an account of this type with this platform-id hash". */
const PLATFORM_ID_LOCK = 4_200_130;

/** What every account command needs; the Server Actions' context is one. */
export type AccountCommandContext = { actor: Actor; tx: Tx; audit: (event: AuditInput) => Promise<void> };

const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, options?: ConstructorParameters<typeof DomainError>[2]) =>
  new DomainError(code, `accounts.errors.${key}`, options);

function requireAny(actor: Pick<Actor, "permissions">, ...permissions: Permission[]) {
  if (!permissions.some((p) => actor.permissions.has(p))) throw forbidden();
}

async function activeEmployee(tx: Tx, id: string, field: string) {
  const e = await tx.employee.findUnique({ where: { id }, select: { id: true, name: true, status: true, departmentId: true } });
  if (!e || e.status !== "ACTIVE") throw err("VALIDATION", "holderNotActive", { field });
  return e;
}

/** The account locked for the rest of the transaction; outside the actor's scope it does not exist. */
async function lockedAccount(actor: Actor, tx: Tx, id: string, options: { scoped?: boolean } = { scoped: true }) {
  await tx.$queryRaw`SELECT "id" FROM "accounts" WHERE "id" = ${id} FOR UPDATE`;
  const where = options.scoped === false ? { id } : { AND: [await accountScope(actor, tx), { id }] };
  const account = await tx.account.findFirst({ where });
  if (!account) throw notFound();
  return account;
}

/** An account that may change: locked, and under no pending request (its opening or closing):
 * the approvers decide on the account as the request shows it. */
async function changeableAccount(actor: Actor, tx: Tx, id: string, options: { scoped?: boolean } = { scoped: true }) {
  const account = await lockedAccount(actor, tx, id, options);
  await assertNoPendingRequest(tx, ACCOUNT_ENTITY, account.id);
  return account;
}
type LoadedAccount = Awaited<ReturnType<typeof lockedAccount>>;

function requireStatus(account: LoadedAccount, statuses: readonly AccountStatus[]) {
  if (!statuses.includes(account.status)) throw err("INVALID_STATE", "wrongStatus", { params: { status: account.status } });
}

function requireVersion(account: LoadedAccount, expected: number | undefined) {
  if (expected !== undefined && account.version !== expected) throw stale();
}

/** One conditional status move with its audit event. */
async function move(
  ctx: AccountCommandContext,
  account: LoadedAccount,
  to: AccountStatus,
  action: string,
  extra: { holderId?: string | null; details?: Record<string, unknown> } = {},
): Promise<{ id: string; version: number; status: AccountStatus }> {
  const data = { status: to, ...(extra.holderId !== undefined ? { holderId: extra.holderId } : {}), version: { increment: 1 } };
  const { count } = await ctx.tx.account.updateMany({ where: { id: account.id, version: account.version, status: account.status }, data });
  if (count !== 1) throw stale();
  await ctx.audit({
    action,
    entityType: ACCOUNT_ENTITY,
    entityId: account.id,
    before: { status: account.status, holderId: account.holderId, version: account.version },
    after: { status: to, holderId: extra.holderId !== undefined ? extra.holderId : account.holderId, version: account.version + 1, ...extra.details },
  });
  return { id: account.id, version: account.version + 1, status: to };
}

// ---------------------------------------------------------------------------------------------
// Requesting and registering

async function prepare(ctx: AccountCommandContext, input: AccountRequestInput) {
  const { tx, actor } = ctx;
  const department = await tx.department.findUnique({ where: { id: input.custodianDepartmentId }, select: { id: true, name: true } });
  if (!department) throw err("VALIDATION", "departmentNotFound", { field: "custodianDepartmentId" });
  const holder = await activeEmployee(tx, input.holderId ?? actor.id, "holderId");
  const platformId = protectValue("identifier", input.platformId);
  const phone = input.phone ? protectValue("phone", input.phone) : null;
  // Two requests for the same id at once: the second waits for the first, then sees its row.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PLATFORM_ID_LOCK}::int, hashtext(${`${input.type}:${platformId.hash}`}))`;
  const taken = await tx.account.findFirst({
    where: { type: input.type, platformIdHash: { in: searchHashes("identifier", input.platformId) } },
    select: { id: true, status: true },
  });
  if (taken) throw err("CONFLICT", "duplicatePlatformId", { field: "platformId", params: { status: taken.status } });
  return { department, holder, platformId, phone };
}

function createData(input: AccountRequestInput, prepared: Awaited<ReturnType<typeof prepare>>, actor: Actor, status: AccountStatus) {
  return {
    id: newId(),
    type: input.type,
    displayName: input.displayName,
    platformIdCipher: prepared.platformId.cipher,
    platformIdHash: prepared.platformId.hash,
    platformIdMask: prepared.platformId.mask,
    phoneCipher: prepared.phone?.cipher ?? null,
    phoneHash: prepared.phone?.hash ?? null,
    phoneMask: prepared.phone?.mask ?? null,
    holderId: prepared.holder.id,
    custodianDepartmentId: prepared.department.id,
    status,
    requestedById: actor.id,
    note: input.note ?? null,
  };
}

/** An employee asks for an account: REQUESTED, and an ACCOUNT_CREATE request decided first by
 * the manager of the requester's department, in the same transaction. */
export async function requestAccount({ actor, input, tx, audit }: ActionContext<AccountRequestInput>): Promise<{ id: string; requestId: string }> {
  requireAny(actor, "accounts.request");
  const ctx = { actor, tx, audit };
  const prepared = await prepare(ctx, input);
  const account = await tx.account.create({ data: createData(input, prepared, actor, "REQUESTED") });
  await audit({ action: "account.request", entityType: ACCOUNT_ENTITY, entityId: account.id, before: null, after: accountAuditView(account) });

  const payload: ApprovalPayload = {
    subjectHref: `/accounts/${account.id}`,
    accountId: account.id,
    summary: [
      { labelKey: "accounts.fields.type", valueKey: `accounts.type.${input.type}` },
      { labelKey: "accounts.fields.displayName", value: input.displayName },
      { labelKey: "accounts.fields.platformId", value: account.platformIdMask },
      { labelKey: "accounts.fields.phone", value: account.phoneMask ?? "—" },
      { labelKey: "accounts.fields.custodianDepartment", value: prepared.department.name },
      { labelKey: "accounts.fields.holder", value: prepared.holder.name },
      ...(input.note ? [{ labelKey: "accounts.fields.note", value: input.note }] : []),
    ],
  };
  const request = await submitApprovalRequest(
    { tx, audit, actor },
    {
      type: "ACCOUNT_CREATE",
      subjectType: ACCOUNT_ENTITY,
      subjectId: account.id,
      title: `${input.displayName}`,
      facts: { managerOfDepartmentId: actor.departmentId },
      payload,
    },
  );
  return { id: account.id, requestId: request.id };
}

/** accounts.manage records an account that already exists: ACTIVE at once, audited. */
export async function registerAccount({ actor, input, tx, audit }: ActionContext<AccountRegisterInput>): Promise<{ id: string }> {
  requireAny(actor, "accounts.manage");
  const prepared = await prepare({ actor, tx, audit }, input);
  const account = await tx.account.create({ data: createData(input, prepared, actor, "ACTIVE") });
  await audit({ action: "account.register", entityType: ACCOUNT_ENTITY, entityId: account.id, before: null, after: accountAuditView(account) });
  return { id: account.id };
}

// ---------------------------------------------------------------------------------------------
// Suspending and resuming (accounts.manage)

export async function suspendAccount({ actor, input, tx, audit }: ActionContext<ReasonInput>) {
  requireAny(actor, "accounts.manage");
  const account = await changeableAccount(actor, tx, input.id);
  requireVersion(account, input.version);
  requireStatus(account, ["ACTIVE"]);
  return move({ actor, tx, audit }, account, "SUSPENDED", "account.suspend", { details: { reason: input.reason } });
}

export async function resumeAccount({ actor, input, tx, audit }: ActionContext<ResumeInput>) {
  requireAny(actor, "accounts.manage");
  const account = await changeableAccount(actor, tx, input.id);
  requireVersion(account, input.version);
  requireStatus(account, ["SUSPENDED"]);
  return move({ actor, tx, audit }, account, "ACTIVE", "account.resume", { details: input.reason ? { reason: input.reason } : {} });
}

// ---------------------------------------------------------------------------------------------
// Offboarding (called by lib/offboarding) and dissolution

/**
 * The account moves to HANDOVER while its holder leaves (from ACTIVE, SUSPENDED or REASSIGNED).
 * Already in HANDOVER: nothing changes (`changed: false`). Needs accounts.manage or
 * offboarding.manage; version-checked when `expectedVersion` is given, and always conditional on
 * the version read.
 */
export async function markAccountInHandover(
  ctx: AccountCommandContext,
  input: { accountId: string; expectedVersion?: number },
): Promise<{ id: string; version: number; status: AccountStatus; changed: boolean }> {
  requireAny(ctx.actor, "accounts.manage", "offboarding.manage");
  const account = await changeableAccount(ctx.actor, ctx.tx, input.accountId, { scoped: false });
  requireVersion(account, input.expectedVersion);
  if (account.status === "HANDOVER") return { id: account.id, version: account.version, status: "HANDOVER", changed: false };
  requireStatus(account, ["ACTIVE", "SUSPENDED", "REASSIGNED"]);
  return { ...(await move(ctx, account, "HANDOVER", "account.handover")), changed: true };
}

/**
 * The account goes to a new holder: REASSIGNED (from ACTIVE, SUSPENDED, HANDOVER or REASSIGNED).
 * The new holder must be an ACTIVE employee other than the current one. Needs accounts.manage or
 * offboarding.manage; version-checked as markAccountInHandover.
 */
export async function reassignAccount(
  ctx: AccountCommandContext,
  input: { accountId: string; newHolderId: string; expectedVersion?: number },
): Promise<{ id: string; version: number; status: AccountStatus }> {
  requireAny(ctx.actor, "accounts.manage", "offboarding.manage");
  const account = await changeableAccount(ctx.actor, ctx.tx, input.accountId, { scoped: false });
  requireVersion(account, input.expectedVersion);
  requireStatus(account, ["ACTIVE", "SUSPENDED", "HANDOVER", "REASSIGNED"]);
  const holder = await activeEmployee(ctx.tx, input.newHolderId, "newHolderId");
  if (holder.id === account.holderId) throw err("VALIDATION", "sameHolder", { field: "newHolderId" });
  return move(ctx, account, "REASSIGNED", "account.reassign", { holderId: holder.id, details: { previousHolderId: account.holderId } });
}

/**
 * Asks to dissolve an account: DISSOLUTION_PENDING and an ACCOUNT_DISSOLVE request decided first
 * by the manager of the custodian department. Approval dissolves it; a rejection or withdrawal
 * puts it back in the state it was in. Allowed to its holder (accounts.request), accounts.manage
 * and offboarding.manage.
 */
export async function requestAccountDissolution(
  ctx: AccountCommandContext,
  input: { accountId: string; reason: string; expectedVersion?: number },
): Promise<{ id: string; version: number; requestId: string }> {
  const { actor, tx, audit } = ctx;
  requireAny(actor, "accounts.request", "accounts.manage", "offboarding.manage");
  const privileged = actor.permissions.has("accounts.manage") || actor.permissions.has("offboarding.manage");
  const account = await lockedAccount(actor, tx, input.accountId, { scoped: !privileged });
  if (!privileged && account.holderId !== actor.id) throw err("FORBIDDEN", "holderOnly");
  requireVersion(account, input.expectedVersion);
  requireStatus(account, DISSOLVABLE_STATUSES);
  const reason = input.reason.trim();
  if (!reason) throw new DomainError("VALIDATION", "errors.v.required", { field: "reason" });
  const moved = await move(ctx, account, "DISSOLUTION_PENDING", "account.dissolutionRequest", { details: { reason } });
  const department = await tx.department.findUnique({ where: { id: account.custodianDepartmentId }, select: { name: true } });
  const request = await submitApprovalRequest(
    { tx, audit, actor },
    {
      type: "ACCOUNT_DISSOLVE",
      subjectType: ACCOUNT_ENTITY,
      subjectId: account.id,
      title: account.displayName,
      facts: { managerOfDepartmentId: account.custodianDepartmentId },
      payload: {
        subjectHref: `/accounts/${account.id}`,
        accountId: account.id,
        priorStatus: account.status,
        summary: [
          { labelKey: "accounts.fields.type", valueKey: `accounts.type.${account.type}` },
          { labelKey: "accounts.fields.displayName", value: account.displayName },
          { labelKey: "accounts.fields.platformId", value: account.platformIdMask },
          { labelKey: "accounts.fields.custodianDepartment", value: department?.name ?? "—" },
          { labelKey: "accounts.fields.reason", value: reason },
        ],
      } satisfies ApprovalPayload,
    },
  );
  return { id: moved.id, version: moved.version, requestId: request.id };
}

export async function requestDissolutionCommand({ actor, input, tx, audit }: ActionContext<ReasonInput>) {
  return requestAccountDissolution({ actor, tx, audit }, { accountId: input.id, reason: input.reason, expectedVersion: input.version });
}

// ---------------------------------------------------------------------------------------------
// Reveal

/** The clear platform id or phone of an account in scope, for accounts.reveal; every reveal is
 * audited (which field, never the value). */
export async function revealIdentifier({ actor, input, tx, audit }: ActionContext<RevealInput>): Promise<{ value: string }> {
  requireAny(actor, "accounts.reveal");
  const account = await tx.account.findFirst({ where: { AND: [await accountScope(actor, tx), { id: input.id }] } });
  if (!account) throw notFound();
  const token = input.field === "platformId" ? account.platformIdCipher : account.phoneCipher;
  if (!token) throw err("NOT_FOUND", "noValue");
  const value = revealValue(token);
  await audit({ action: "account.reveal", entityType: ACCOUNT_ENTITY, entityId: account.id, after: { field: input.field, mask: input.field === "platformId" ? account.platformIdMask : account.phoneMask } });
  return { value };
}

/** The clear external id of a customer contact on an account in scope, for accounts.reveal (the
 * same permission as the account's own identifiers); audited on the account (contact and mask,
 * never the value). */
export async function revealContactIdentifier({ actor, input, tx, audit }: ActionContext<RevealContactInput>): Promise<{ value: string }> {
  requireAny(actor, "accounts.reveal");
  const contact = await tx.customerContact.findFirst({
    where: { id: input.contactId, accountId: input.id, account: await accountScope(actor, tx) },
    select: { id: true, accountId: true, externalIdCipher: true, externalIdMask: true },
  });
  if (!contact) throw notFound();
  if (!contact.externalIdCipher) throw err("NOT_FOUND", "noValue");
  const value = revealValue(contact.externalIdCipher);
  await audit({ action: "account.contactReveal", entityType: ACCOUNT_ENTITY, entityId: contact.accountId, after: { contactId: contact.id, mask: contact.externalIdMask } });
  return { value };
}
