import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { departmentsById, peopleById, type DepartmentRef, type PersonRef } from "@/lib/groups/queries";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";
import { escapeLike } from "@/lib/search";
import { PiiKeyError } from "@/lib/pii";
import { ACCOUNT_ENTITY } from "./audit-view";
import { externalIdHashes } from "./contact-ids";
import { searchHashes } from "./identifiers";
import { HELD_STATUSES, type AccountExportParams, type AccountFilters, type AccountListParams, type AccountStatus, type ContactListParams } from "./schemas";
import { accountScope, subtreeDepartmentIds } from "./scope";

// Reads of the accounts. Every query starts from accountScope (authorization in the where).
// Lists show the stored masks and never decrypt; an exact platform id or phone is found through
// the keyed hash (both keys' hashes during a rotation); so is a customer contact's external id.

export { departmentOptions, searchActivePeople, personOptions } from "@/lib/groups/queries";

export async function registryWhere(actor: Actor, tx: Tx, filters: AccountFilters & { q?: string }): Promise<Prisma.AccountWhereInput> {
  const and: Prisma.AccountWhereInput[] = [await accountScope(actor, tx, { mineOnly: filters.mine === "1" })];
  if (filters.type) and.push({ type: filters.type });
  if (filters.status) and.push({ status: filters.status });
  if (filters.department) {
    const dept = await tx.department.findUnique({ where: { id: filters.department }, select: { path: true } });
    and.push({ custodianDepartmentId: { in: dept ? await subtreeDepartmentIds(tx, dept.path) : [] } });
  }
  if (filters.holder) {
    const term = escapeLike(filters.holder);
    const holders = await tx.employee.findMany({
      where: {
        OR: [
          { name: { contains: term, mode: "insensitive" } },
          { email: { contains: term, mode: "insensitive" } },
          { employeeNo: { equals: filters.holder, mode: "insensitive" } },
        ],
      },
      select: { id: true },
      take: 500,
    });
    and.push({ holderId: { in: holders.map((h) => h.id) } });
  }
  if (filters.holderDeparted) {
    const departed = await tx.employee.findMany({ where: { status: "DEPARTED" }, select: { id: true } });
    and.push({ status: { in: [...HELD_STATUSES] }, holderId: { in: departed.map((e) => e.id) } });
  }
  if (filters.platformId) and.push({ platformIdHash: { in: searchHashes("identifier", filters.platformId) } });
  if (filters.phone) and.push({ phoneHash: { in: searchHashes("phone", filters.phone) } });
  if (filters.q) and.push({ displayName: { contains: escapeLike(filters.q), mode: "insensitive" } });
  return { AND: and };
}

const listSelect = {
  id: true,
  type: true,
  displayName: true,
  platformIdMask: true,
  phoneMask: true,
  holderId: true,
  custodianDepartmentId: true,
  status: true,
  requestedById: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { contacts: { where: { status: "ACTIVE" as const } } } },
} as const;

type RawRow = Prisma.AccountGetPayload<{ select: typeof listSelect }>;
export type AccountRow = Omit<RawRow, "_count"> & { contacts: number; holder: PersonRef | null; department: DepartmentRef | null };

async function withRefs(tx: Tx, rows: RawRow[]): Promise<AccountRow[]> {
  const [people, departments] = await Promise.all([
    peopleById(tx, rows.flatMap((r) => (r.holderId ? [r.holderId] : []))),
    departmentsById(tx, rows.map((r) => r.custodianDepartmentId)),
  ]);
  return rows.map(({ _count, ...r }) => ({ ...r, contacts: _count.contacts, holder: r.holderId ? (people.get(r.holderId) ?? null) : null, department: departments.get(r.custodianDepartmentId) ?? null }));
}

function orderBy(params: Pick<AccountListParams, "sort" | "dir">): Prisma.AccountOrderByWithRelationInput[] {
  const primary: Prisma.AccountOrderByWithRelationInput = params.sort === "contacts" ? { contacts: { _count: params.dir } } : { [params.sort]: params.dir };
  return [primary, { id: params.dir }];
}

export type AccountList = { rows: AccountRow[]; total: number; page: number; pageSize: number };

export async function listAccounts(actor: Actor, tx: Tx, params: AccountListParams): Promise<AccountList> {
  const where = await registryWhere(actor, tx, params);
  const total = await tx.account.count({ where });
  const page = Math.min(params.page, Math.max(1, Math.ceil(total / params.pageSize)));
  const rows = await tx.account.findMany({ where, select: listSelect, orderBy: orderBy(params), skip: (page - 1) * params.pageSize, take: params.pageSize });
  return { rows: await withRefs(tx, rows), total, page, pageSize: params.pageSize };
}

export const EXPORT_PAGE_SIZE = 1_000;

/** Every account the registry shows for these filters, a page at a time in id order (masked). */
export async function* accountExportPages(actor: Actor, tx: Tx, params: AccountExportParams): AsyncGenerator<AccountRow[]> {
  const where = await registryWhere(actor, tx, params);
  let cursor: string | undefined;
  for (;;) {
    const rows = await tx.account.findMany({ where: cursor ? { AND: [where, { id: { gt: cursor } }] } : where, select: listSelect, orderBy: { id: "asc" }, take: EXPORT_PAGE_SIZE });
    if (rows.length === 0) return;
    yield await withRefs(tx, rows);
    if (rows.length < EXPORT_PAGE_SIZE) return;
    cursor = rows[rows.length - 1].id;
  }
}

// ---------------------------------------------------------------------------------------------
// One account

export type AccountDetail = NonNullable<Awaited<ReturnType<typeof getAccount>>>;

/** An account in scope with what its page shows (masks only); null when not found or out of scope. */
export async function getAccount(actor: Actor, tx: Tx, id: string) {
  const account = await tx.account.findFirst({
    where: { AND: [await accountScope(actor, tx), { id }] },
    select: { ...listSelect, note: true },
  });
  if (!account) return null;
  const [history, requests] = await Promise.all([
    tx.auditEvent.findMany({
      where: { entityType: ACCOUNT_ENTITY, entityId: id },
      orderBy: { id: "asc" },
      select: { id: true, action: true, actorId: true, actorLabel: true, createdAt: true, after: true },
      take: 500,
    }),
    tx.approvalRequest.findMany({
      where: { subjectType: ACCOUNT_ENTITY, subjectId: id },
      orderBy: { createdAt: "desc" },
      select: { id: true, type: true, status: true, createdAt: true, closedAt: true, requesterId: true },
    }),
  ]);
  const people = await peopleById(tx, [...(account.requestedById ? [account.requestedById] : []), ...requests.map((r) => r.requesterId), ...history.flatMap((h) => (h.actorId ? [h.actorId] : []))]);
  const [row] = await withRefs(tx, [account]);
  return {
    ...row,
    note: account.note,
    requestedBy: account.requestedById ? (people.get(account.requestedById) ?? null) : null,
    /** Created by the WeCom customer-contact sync (no one asked for it). */
    fromWeComSync: account.requestedById === null,
    history: history.map((h) => ({ ...h, id: h.id.toString(), actorName: h.actorId ? (people.get(h.actorId)?.name ?? null) : null })),
    requests: requests.map((r) => ({ ...r, requester: people.get(r.requesterId) ?? null })),
  };
}

/** What the actor may do to an account they can read (the page hides the rest; commands decide). */
export function accountAbilities(actor: Pick<Actor, "id" | "permissions">, account: { holderId: string | null; status: string; phoneMask: string | null }) {
  const manage = actor.permissions.has("accounts.manage");
  const status = account.status as AccountStatus;
  const holder = account.holderId === actor.id;
  return {
    reveal: actor.permissions.has("accounts.reveal"),
    revealPhone: actor.permissions.has("accounts.reveal") && account.phoneMask !== null,
    suspend: manage && status === "ACTIVE",
    resume: manage && status === "SUSPENDED",
    requestDissolution: (manage || actor.permissions.has("offboarding.manage") || (holder && actor.permissions.has("accounts.request"))) && ["ACTIVE", "SUSPENDED", "HANDOVER", "REASSIGNED"].includes(status),
  };
}

export type ContactRow = { id: string; externalIdMask: string; name: string; company: string | null; remark: string | null; tags: string[]; addedAt: Date; status: string; wecomLastSeenAt: Date | null };
export type ContactList = { rows: ContactRow[]; total: number; page: number; pageSize: number };

/** The hashes an exact external id is searched by, or none when no key is configured (the
 * search then matches names and companies only). */
function contactIdHashes(value: string): string[] {
  try {
    return externalIdHashes(value);
  } catch (error) {
    if (error instanceof PiiKeyError) return [];
    throw error;
  }
}

/** The customer contacts of an account in scope, searchable by name, company or exact external
 * id (through its keyed hash); the external id is shown masked. */
export async function listContacts(actor: Actor, tx: Tx, accountId: string, params: ContactListParams): Promise<ContactList | null> {
  const account = await tx.account.findFirst({ where: { AND: [await accountScope(actor, tx), { id: accountId }] }, select: { id: true } });
  if (!account) return null;
  const and: Prisma.CustomerContactWhereInput[] = [{ accountId }];
  if (params.q) {
    const term = escapeLike(params.q);
    const hashes = contactIdHashes(params.q);
    and.push({ OR: [{ name: { contains: term, mode: "insensitive" } }, { company: { contains: term, mode: "insensitive" } }, ...(hashes.length ? [{ externalIdHash: { in: hashes } }] : [])] });
  }
  const where = { AND: and };
  const total = await tx.customerContact.count({ where });
  const page = Math.min(params.page, Math.max(1, Math.ceil(total / params.pageSize)));
  const rows = await tx.customerContact.findMany({
    where,
    select: { id: true, externalIdMask: true, name: true, company: true, remark: true, tags: true, addedAt: true, status: true, wecomLastSeenAt: true },
    orderBy: [{ [params.sort]: params.dir }, { id: params.dir }],
    skip: (page - 1) * params.pageSize,
    take: params.pageSize,
  });
  return { rows, total, page, pageSize: params.pageSize };
}
