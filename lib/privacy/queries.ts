import type { Prisma } from "@/lib/generated/prisma/client";
import { peopleById, type PersonRef } from "@/lib/groups/queries";
import type { Tx } from "@/lib/server/prisma-client";
import { escapeLike } from "@/lib/search";
import { guessField, identifierHashes } from "./identifiers";
import type { NoticeCategory, NoticePurpose } from "./notices";
import { subjectInventory } from "./requests";
import { EXPIRING_DAYS, REGULATOR_REPORT_HOURS, REPORTABLE_SEVERITIES, type ConsentFilters, type ConsentListParams, type ConsentState, type RequestListParams } from "./schemas";
import { consentState, effectiveExpiry, loadConsents, type ConsentFollowUp } from "./validity";

// Reads of the register. Lists show the stored masks and never decrypt; an exact identifier is
// found through the keyed hash. Who may read what is decided by the pages (consents.record: one
// subject at a time; privacy.read:all: every list and export).

const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Notices

export type NoticeRow = Awaited<ReturnType<typeof listNotices>>[number];

export async function listNotices(tx: Tx) {
  const rows = await tx.privacyNotice.findMany({ orderBy: [{ noticeKey: "asc" }, { noticeVersion: "desc" }], take: 500 });
  return rows.map(noticeView);
}

function noticeView<T extends { purposes: unknown; categories: unknown; separateConsents: unknown; purposeCodes: unknown }>(n: T) {
  return { ...n, purposes: n.purposes as NoticePurpose[], categories: n.categories as NoticeCategory[], separateConsents: n.separateConsents as string[], purposeCodes: n.purposeCodes as string[] };
}

/** The published versions (one per notice): what employees record consents against. */
export async function currentNotices(tx: Tx) {
  const rows = await tx.privacyNotice.findMany({ where: { status: "PUBLISHED" }, orderBy: [{ noticeKey: "asc" }] });
  return rows.map(noticeView);
}

export async function getNotice(tx: Tx, id: string) {
  const n = await tx.privacyNotice.findUnique({ where: { id } });
  if (!n) return null;
  const consents = await tx.consentEvent.count({ where: { noticeId: id, kind: "GRANT" } });
  return { ...noticeView(n), consents };
}

// ---------------------------------------------------------------------------------------------
// Consents

/** The where clause of a consent state at `now` (over GRANT rows and their follow-ups). */
export function stateWhere(state: ConsentState, now: Date): Prisma.ConsentEventWhereInput {
  const notWithdrawn: Prisma.ConsentEventWhereInput = { followUps: { none: { kind: "WITHDRAW" } } };
  const soon = new Date(now.getTime() + EXPIRING_DAYS * DAY);
  switch (state) {
    case "withdrawn":
      return { followUps: { some: { kind: "WITHDRAW" } } };
    case "valid":
      return { AND: [notWithdrawn, { occurredAt: { lte: now } }, { OR: [{ expiresAt: { gt: now } }, { followUps: { some: { kind: "RENEW", expiresAt: { gt: now } } } }] }] };
    case "expired":
      return { AND: [notWithdrawn, { expiresAt: { lte: now } }, { followUps: { none: { kind: "RENEW", expiresAt: { gt: now } } } }] };
    case "expiring":
      return {
        AND: [
          notWithdrawn,
          { OR: [{ expiresAt: { gt: now, lte: soon } }, { followUps: { some: { kind: "RENEW", expiresAt: { gt: now, lte: soon } } } }] },
          { expiresAt: { lte: soon } },
          { followUps: { none: { kind: "RENEW", expiresAt: { gt: soon } } } },
        ],
      };
  }
}

/**
 * Whose rows a `department` filter keeps: the people of the department and every department below
 * it (materialised path) — a consent belongs to its collector's department, a request to its
 * assignee's (its creator's while unassigned), as the dashboard counts them. An id that names no
 * department keeps nobody, so the list is empty.
 *
 * PostgreSQL takes at most 32,767 parameters a statement, and a company of 20,000 is more than
 * that in some filters; so the smaller side is named: the subtree's people when they are at most
 * half the company, else everyone outside it (`outside: true`: keep any recorded person but them).
 */
export async function departmentPeople(tx: Tx, departmentId: string): Promise<{ ids: string[]; outside: boolean }> {
  const dept = await tx.department.findUnique({ where: { id: departmentId }, select: { path: true } });
  if (!dept) return { ids: [], outside: false };
  const inside = { department: { path: { startsWith: dept.path } } } satisfies Prisma.EmployeeWhereInput;
  const [mine, all] = await Promise.all([tx.employee.count({ where: inside }), tx.employee.count()]);
  const outside = mine > all / 2;
  const people = await tx.employee.findMany({ where: outside ? { NOT: inside } : inside, select: { id: true } });
  return { ids: people.map((p) => p.id), outside };
}

/** A person column kept by a department filter (see departmentPeople); never its NULLs. */
function personIn(people: { ids: string[]; outside: boolean }): Prisma.StringFilter {
  return people.outside ? { notIn: people.ids } : { in: people.ids };
}
function personInNullable(people: { ids: string[]; outside: boolean }): Prisma.StringNullableFilter {
  return people.outside ? { not: null, notIn: people.ids } : { in: people.ids };
}

/** Every department for the lists' department picker, in tree order, indented by depth (the lists
 * are privacy.read:all: the whole company). */
export async function departmentOptions(tx: Tx): Promise<{ id: string; label: string }[]> {
  const rows = await tx.department.findMany({ select: { id: true, name: true, depth: true }, orderBy: { path: "asc" }, take: 2_000 });
  return rows.map((d) => ({ id: d.id, label: `${"　".repeat(d.depth)}${d.name}` }));
}

export async function consentWhere(tx: Tx, filters: ConsentFilters, now: Date): Promise<Prisma.ConsentEventWhereInput> {
  const and: Prisma.ConsentEventWhereInput[] = [{ kind: "GRANT" }];
  if (filters.state) and.push(stateWhere(filters.state, now));
  if (filters.withdrawnDays) {
    const since = new Date(now.getTime() - filters.withdrawnDays * DAY);
    and.push({ followUps: { some: { kind: "WITHDRAW", occurredAt: { gt: since, lte: now } } } });
  }
  if (filters.department) and.push({ collectedById: personInNullable(await departmentPeople(tx, filters.department)) });
  if (filters.channel) and.push({ channel: filters.channel });
  if (filters.purpose) and.push({ purposes: { array_contains: [filters.purpose] } });
  if (filters.subject) and.push({ subject: { name: { contains: escapeLike(filters.subject), mode: "insensitive" } } });
  if (filters.identifier) and.push({ subject: subjectIdentifierWhere(filters.identifier) });
  if (filters.collector) and.push({ collectedById: { in: await collectorIds(tx, filters.collector) } });
  return { AND: and };
}

/** The people a `collector` filter names: part of a name or e-mail (at most 500). */
export async function collectorIds(tx: Tx, collector: string): Promise<string[]> {
  const term = escapeLike(collector);
  const people = await tx.employee.findMany({ where: { OR: [{ name: { contains: term, mode: "insensitive" } }, { email: { contains: term, mode: "insensitive" } }] }, select: { id: true }, take: 500 });
  return people.map((p) => p.id);
}

export function subjectIdentifierWhere(value: string): Prisma.DataSubjectWhereInput {
  const field = guessField(value);
  const hashes = identifierHashes(field, value);
  return field === "phone" ? { phoneHash: { in: hashes } } : field === "email" ? { emailHash: { in: hashes } } : { wecomIdHash: { in: hashes } };
}

const consentSelect = {
  id: true,
  subjectId: true,
  noticeId: true,
  purposes: true,
  categories: true,
  separateConsents: true,
  channel: true,
  method: true,
  evidenceRef: true,
  collectedById: true,
  occurredAt: true,
  expiresAt: true,
  subjectMinor: true,
  guardianName: true,
  guardianRelation: true,
  guardianConsent: true,
  source: true,
  subject: { select: { id: true, name: true, kind: true, phoneMask: true, wecomIdMask: true, emailMask: true } },
  notice: { select: { id: true, title: true, noticeKey: true, noticeVersion: true, status: true, purposes: true } },
  followUps: { select: { id: true, kind: true, occurredAt: true, expiresAt: true, channel: true }, orderBy: { occurredAt: "asc" } },
} as const satisfies Prisma.ConsentEventSelect;

export type RawConsent = Prisma.ConsentEventGetPayload<{ select: typeof consentSelect }>;
export type ConsentRow = Omit<RawConsent, "purposes" | "categories" | "separateConsents"> & {
  purposes: string[];
  categories: string[];
  separateConsents: string[];
  state: ConsentState;
  effectiveExpiresAt: Date | null;
  withdrawnAt: Date | null;
  withdrawalChannel: string | null;
  collector: PersonRef | null;
};

const strings = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);

/** A GRANT row as lists show it: its state now, its effective expiry, its withdrawal. */
export function rowState(c: { occurredAt: Date; expiresAt: Date | null; subjectMinor: boolean; guardianConsent: boolean; guardianName: string | null; followUps: ConsentFollowUp[] }, now: Date): ConsentState {
  const s = consentState({ ...c, id: "", subjectId: "", noticeId: null, purposes: [], separateConsents: [], channel: null }, now);
  if (s === "WITHDRAWN") return "withdrawn";
  if (s === "EXPIRED") return "expired";
  const expiry = effectiveExpiry(c, now);
  if (expiry && expiry.getTime() - now.getTime() <= EXPIRING_DAYS * DAY) return "expiring";
  return "valid";
}

/** A consent as the lists show it, from its row and its collector (either path: withRefs here,
 * the list's statement in consent-list-sql.ts). */
export function consentRow(r: RawConsent, collector: PersonRef | null, now: Date): ConsentRow {
  const w = r.followUps.find((f) => f.kind === "WITHDRAW");
  return {
    ...r,
    purposes: strings(r.purposes),
    categories: strings(r.categories),
    separateConsents: strings(r.separateConsents),
    state: rowState(r, now),
    effectiveExpiresAt: effectiveExpiry(r, now),
    withdrawnAt: w?.occurredAt ?? null,
    withdrawalChannel: w?.channel ?? null,
    collector,
  };
}

async function withRefs(tx: Tx, rows: RawConsent[], now: Date): Promise<ConsentRow[]> {
  const people = await peopleById(tx, rows.flatMap((r) => (r.collectedById ? [r.collectedById] : [])));
  return rows.map((r) => consentRow(r, r.collectedById ? (people.get(r.collectedById) ?? null) : null, now));
}

export type ConsentList = { rows: ConsentRow[]; total: number; page: number; pageSize: number };

/** The register's total is counted up to this many rows (a million-row count on every page view
 * would cost more than the page); beyond it the page says "more than". */
export const CONSENT_COUNT_CAP = 10_000;

export type ConsentKeysetList = { rows: ConsentRow[]; total: number; capped: boolean; pageSize: number; nextCursor: string | null; prevCursor: string | null };

export const cursorOf = (r: { occurredAt: Date; id: string }) => `${r.occurredAt.getTime()}_${r.id}`;
export function parseCursor(cursor: string): { at: Date; id: string } {
  const i = cursor.indexOf("_");
  return { at: new Date(Number(cursor.slice(0, i))), id: cursor.slice(i + 1) };
}

/**
 * The consent list by grant time, a keyset page at a time: `after` gives the page that follows a
 * row in the list's order, `before` the page that precedes it. The 10,000th page costs what the
 * first does (an index range on occurred_at, id), whatever the register's size.
 */
export async function listConsentsKeyset(tx: Tx, params: ConsentListParams, now = new Date()): Promise<ConsentKeysetList> {
  const where = await consentWhere(tx, params, now);
  const desc = params.dir === "desc";
  const backwards = Boolean(params.before) && !params.after;
  const cursor = params.after ?? params.before;
  const and: Prisma.ConsentEventWhereInput[] = [where];
  if (cursor) {
    const c = parseCursor(cursor);
    // Rows beyond the cursor in the direction we read.
    const later = desc !== backwards;
    // The plain bound first lets PostgreSQL start the index range at the cursor (an OR alone
    // made it walk the index from the start: the 10,000th page took twice the first's time).
    and.push(later ? { occurredAt: { lte: c.at } } : { occurredAt: { gte: c.at } });
    and.push(later ? { OR: [{ occurredAt: { lt: c.at } }, { occurredAt: c.at, id: { lt: c.id } }] } : { OR: [{ occurredAt: { gt: c.at } }, { occurredAt: c.at, id: { gt: c.id } }] });
  }
  const readDesc = desc !== backwards;
  const [found, count] = await Promise.all([
    tx.consentEvent.findMany({
      where: { AND: and },
      select: consentSelect,
      orderBy: [{ occurredAt: readDesc ? "desc" : "asc" }, { id: readDesc ? "desc" : "asc" }],
      take: params.pageSize + 1,
    }),
    tx.consentEvent.count({ where, take: CONSENT_COUNT_CAP + 1 }),
  ]);
  const more = found.length > params.pageSize;
  const page = found.slice(0, params.pageSize);
  if (backwards) page.reverse();
  const rows = await withRefs(tx, page, now);
  const first = page[0];
  const last = page[page.length - 1];
  return {
    rows,
    total: Math.min(count, CONSENT_COUNT_CAP),
    capped: count > CONSENT_COUNT_CAP,
    pageSize: params.pageSize,
    // Going forward there is more when we read a full page beyond; going back, the cursor row itself follows.
    nextCursor: last && (backwards || more) ? cursorOf(last) : null,
    prevCursor: first && (backwards ? more : Boolean(cursor)) ? cursorOf(first) : null,
  };
}

export async function listConsents(tx: Tx, params: ConsentListParams, now = new Date()): Promise<ConsentList> {
  const where = await consentWhere(tx, params, now);
  // The count and the page at once; the page again only when the one asked for is past the end.
  const pageOf = (page: number) => tx.consentEvent.findMany({ where, select: consentSelect, orderBy: [{ [params.sort]: params.dir }, { id: params.dir }], skip: (page - 1) * params.pageSize, take: params.pageSize });
  const [total, asked] = await Promise.all([tx.consentEvent.count({ where }), pageOf(params.page)]);
  const page = Math.min(params.page, Math.max(1, Math.ceil(total / params.pageSize)));
  const rows = page === params.page ? asked : await pageOf(page);
  return { rows: await withRefs(tx, rows, now), total, page, pageSize: params.pageSize };
}

// ---------------------------------------------------------------------------------------------
// Subjects

export async function searchSubjects(tx: Tx, q: string) {
  const v = q.trim();
  if (!v) return tx.dataSubject.findMany({ orderBy: { createdAt: "desc" }, take: 25, select: subjectListSelect });
  const byIdentifier = /[@\d_]/.test(v) ? await tx.dataSubject.findMany({ where: subjectIdentifierWhere(v), select: subjectListSelect, take: 5 }) : [];
  const byName = await tx.dataSubject.findMany({ where: { name: { contains: escapeLike(v), mode: "insensitive" } }, select: subjectListSelect, orderBy: { name: "asc" }, take: 25 });
  const seen = new Set<string>();
  return [...byIdentifier, ...byName].filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)));
}
const subjectListSelect = { id: true, kind: true, name: true, phoneMask: true, wecomIdMask: true, emailMask: true, erasedAt: true, createdAt: true } as const;

export async function getSubject(tx: Tx, id: string, now = new Date()) {
  const subject = await tx.dataSubject.findUnique({ where: { id }, select: { ...subjectListSelect, createdById: true } });
  if (!subject) return null;
  const rows = await tx.consentEvent.findMany({ where: { subjectId: id, kind: "GRANT" }, select: consentSelect, orderBy: { occurredAt: "desc" } });
  const requests = await tx.privacyRequest.findMany({ where: { subjectId: id }, orderBy: { receivedAt: "desc" }, select: { id: true, type: true, status: true, receivedAt: true, dueAt: true } });
  return { ...subject, consents: await withRefs(tx, rows, now), requests };
}

export { loadConsents };

// ---------------------------------------------------------------------------------------------
// Requests

export async function listRequests(tx: Tx, params: RequestListParams, now = new Date()) {
  const and: Prisma.PrivacyRequestWhereInput[] = [];
  if (params.status) and.push({ status: params.status });
  if (params.type) and.push({ type: params.type });
  if (params.overdue) and.push({ status: { in: ["RECEIVED", "VERIFIED"] }, dueAt: { lt: now } });
  if (params.department) {
    const people = await departmentPeople(tx, params.department);
    and.push({ OR: [{ assigneeId: personInNullable(people) }, { assigneeId: null, createdById: personIn(people) }] });
  }
  const where = { AND: and };
  const total = await tx.privacyRequest.count({ where });
  const page = Math.min(params.page, Math.max(1, Math.ceil(total / params.pageSize)));
  const rows = await tx.privacyRequest.findMany({
    where,
    include: { subject: { select: { id: true, name: true } } },
    orderBy: [{ [params.sort]: params.dir }, { id: params.dir }],
    skip: (page - 1) * params.pageSize,
    take: params.pageSize,
  });
  const people = await peopleById(tx, rows.flatMap((r) => (r.assigneeId ? [r.assigneeId] : [])));
  return { rows: rows.map((r) => ({ ...r, assignee: r.assigneeId ? (people.get(r.assigneeId) ?? null) : null })), total, page, pageSize: params.pageSize };
}

export async function getRequest(tx: Tx, id: string) {
  const r = await tx.privacyRequest.findUnique({ where: { id }, include: { subject: { select: { id: true, name: true, phoneMask: true, wecomIdMask: true, emailMask: true, erasedAt: true } } } });
  if (!r) return null;
  const people = await peopleById(tx, [r.assigneeId, r.identityVerifiedById, r.closedById, r.createdById].filter((x): x is string => !!x));
  const inventory = r.type === "DELETION" && r.status !== "COMPLETED" && r.status !== "REFUSED" ? await subjectInventory(tx, r.subjectId) : null;
  return { ...r, people, inventory };
}

// ---------------------------------------------------------------------------------------------
// Incidents

export async function listIncidents(tx: Tx) {
  return tx.privacyIncident.findMany({ orderBy: [{ status: "asc" }, { detectedAt: "desc" }], take: 200 });
}

export async function getIncident(tx: Tx, id: string) {
  return tx.privacyIncident.findUnique({ where: { id } });
}

/** Serious incidents not reported to the regulator 4 hours after detection. */
export function unreportedWhere(now: Date): Prisma.PrivacyIncidentWhereInput {
  return { severity: { in: [...REPORTABLE_SEVERITIES] }, regulatorNotifiedAt: null, detectedAt: { lte: new Date(now.getTime() - REGULATOR_REPORT_HOURS * 3_600_000) } };
}
