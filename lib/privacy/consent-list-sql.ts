import type { PersonRef } from "@/lib/groups/queries";
import type { Tx } from "@/lib/server/prisma-client";
import { consentFilterSql, sqlParams, type SqlParam } from "./consent-sql";
import { CONSENT_COUNT_CAP, consentRow, cursorOf, parseCursor, type ConsentKeysetList, type ConsentList, type RawConsent } from "./queries";
import type { ConsentListParams } from "./schemas";

// The consent list's page in one statement: the total (capped, by grant time), the page's rows with
// their subject, notice, follow-ups and collector, and the department picker's options. The Prisma
// path (listConsentsKeyset / listConsents with consentWhere, withRefs, departmentOptions in
// queries.ts) sent six to seven statements for the same; tests/privacy/consent-list-sql.test.ts
// holds the two to the same ids, order, totals and cursors for every filter, sort and direction.
// The filters are the export's (consent-sql.ts).

export type DepartmentOption = { id: string; label: string };
export type ConsentKeysetView = ConsentKeysetList & { departments: DepartmentOption[] };
export type ConsentOffsetView = ConsentList & { departments: DepartmentOption[] };

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };
type JsonFollowUp = Json<RawConsent["followUps"][number]>;
type JsonConsent = Json<Omit<RawConsent, "followUps">> & { followUps: JsonFollowUp[]; collector: PersonRef | null };
type Row = { total: number; rows: JsonConsent[]; departments: { id: string; name: string; depth: number }[] };

/** A row of the page as JSON: consentSelect's fields (queries.ts) and the collector as peopleById
 * gives it; each reference a lookup by primary key (a join let PostgreSQL hash the whole employees
 * table for a page's 25 collectors). */
const ROW_JSON = `json_build_object(
    'id', p.id, 'subjectId', p.subject_id, 'noticeId', p.notice_id, 'purposes', p.purposes, 'categories', p.categories,
    'separateConsents', p.separate_consents, 'channel', p.channel, 'method', p.method, 'evidenceRef', p.evidence_ref,
    'collectedById', p.collected_by_id, 'occurredAt', p.occurred_at, 'expiresAt', p.expires_at, 'subjectMinor', p.subject_minor,
    'guardianName', p.guardian_name, 'guardianRelation', p.guardian_relation, 'guardianConsent', p.guardian_consent, 'source', p.source,
    'subject', (SELECT json_build_object('id', s.id, 'name', s.name, 'kind', s.kind, 'phoneMask', s.phone_mask, 'wecomIdMask', s.wecom_id_mask, 'emailMask', s.email_mask)
                  FROM privacy_subjects s WHERE s.id = p.subject_id),
    'notice', (SELECT json_build_object('id', n.id, 'title', n.title, 'noticeKey', n.notice_key, 'noticeVersion', n.notice_version, 'status', n.status, 'purposes', n.purposes)
                 FROM privacy_notices n WHERE n.id = p.notice_id),
    'followUps', coalesce((SELECT json_agg(json_build_object('id', f.id, 'kind', f.kind, 'occurredAt', f.occurred_at, 'expiresAt', f.expires_at, 'channel', f.channel) ORDER BY f.occurred_at)
                             FROM consent_events f WHERE f.consent_id = p.id), '[]'::json),
    'collector', (SELECT json_build_object('id', e.id, 'name', e.name, 'employeeNo', e.employee_no, 'status', e.status, 'departmentId', e.department_id)
                    FROM employees e WHERE e.id = p.collected_by_id))`;

/** The statement's select list over the CTE `page` (the page's consent_events rows), `order` being
 * the page's order over `p`. */
function selectList(total: string, order: string): string {
  return `SELECT ${total} AS total,
         (SELECT coalesce(json_agg(${ROW_JSON} ORDER BY ${order}), '[]'::json)
            FROM page p) AS rows,
         (SELECT coalesce(json_agg(json_build_object('id', d.id, 'name', d.name, 'depth', d.depth) ORDER BY d.path), '[]'::json)
            FROM (SELECT id, name, depth, path FROM departments ORDER BY path LIMIT 2000) d) AS departments`;
}

function filtered(params: ConsentListParams, now: Date, param: SqlParam): { from: string; where: string } {
  const f = consentFilterSql(params, now, param, undefined, "array");
  return { from: `consent_events c${f.subject ? " JOIN privacy_subjects s ON s.id = c.subject_id" : ""}`, where: f.where.join("\n     AND ") };
}

const date = (v: string | null) => (v === null ? null : new Date(v));
/** The row as Prisma gives it (its `collector` is left for consentRow to replace). */
function rawConsent(j: JsonConsent): RawConsent {
  return {
    ...j,
    occurredAt: new Date(j.occurredAt),
    expiresAt: date(j.expiresAt),
    followUps: j.followUps.map((f) => ({ ...f, occurredAt: new Date(f.occurredAt), expiresAt: date(f.expiresAt) })),
  } as RawConsent;
}
const options = (departments: Row["departments"]): DepartmentOption[] => departments.map((d) => ({ id: d.id, label: `${"　".repeat(d.depth)}${d.name}` }));

async function run(tx: Tx, text: string, values: unknown[]): Promise<Row> {
  const [row] = await tx.$queryRawUnsafe<Row[]>(text, ...values);
  return row;
}

/** listConsentsKeyset (queries.ts) and departmentOptions in one statement. */
export async function consentKeysetView(tx: Tx, params: ConsentListParams, now = new Date()): Promise<ConsentKeysetView> {
  const { values, param } = sqlParams();
  const { from, where } = filtered(params, now, param);
  const desc = params.dir === "desc";
  const backwards = Boolean(params.before) && !params.after;
  const cursor = params.after ?? params.before;
  const readDesc = desc !== backwards;
  let bound = "";
  if (cursor) {
    const c = parseCursor(cursor);
    const at = param(c.at);
    const id = param(c.id);
    // As listConsentsKeyset: the plain bound first lets PostgreSQL start the index range at the cursor.
    bound = readDesc ? `AND c.occurred_at <= ${at} AND (c.occurred_at < ${at} OR (c.occurred_at = ${at} AND c.id < ${id}))` : `AND c.occurred_at >= ${at} AND (c.occurred_at > ${at} OR (c.occurred_at = ${at} AND c.id > ${id}))`;
  }
  const dir = readDesc ? "DESC" : "ASC";
  const text = `
  WITH page AS (
    SELECT c.* FROM ${from}
     WHERE ${where} ${bound}
     ORDER BY c.occurred_at ${dir}, c.id ${dir} LIMIT ${param(params.pageSize + 1)})
  ${selectList(`(SELECT count(*)::int FROM (SELECT FROM ${from} WHERE ${where} LIMIT ${param(CONSENT_COUNT_CAP + 1)}) k)`, `p.occurred_at ${dir}, p.id ${dir}`)}`;
  const row = await run(tx, text, values);
  const more = row.rows.length > params.pageSize;
  const page = row.rows.slice(0, params.pageSize).map((j) => consentRow(rawConsent(j), j.collector, now));
  if (backwards) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  return {
    rows: page,
    total: Math.min(row.total, CONSENT_COUNT_CAP),
    capped: row.total > CONSENT_COUNT_CAP,
    pageSize: params.pageSize,
    nextCursor: last && (backwards || more) ? cursorOf(last) : null,
    prevCursor: first && (backwards ? more : Boolean(cursor)) ? cursorOf(first) : null,
    departments: options(row.departments),
  };
}

/** listConsents (queries.ts, any sort, by page number; a page past the end gives the last) and
 * departmentOptions in one statement. */
export async function consentOffsetView(tx: Tx, params: ConsentListParams, now = new Date()): Promise<ConsentOffsetView> {
  const { values, param } = sqlParams();
  const { from, where } = filtered(params, now, param);
  const column = params.sort === "expiresAt" ? "expires_at" : "occurred_at";
  const dir = params.dir === "desc" ? "DESC" : "ASC";
  const size = param(params.pageSize);
  const text = `
  WITH total AS (SELECT count(*)::int AS n FROM ${from} WHERE ${where}),
  page AS (
    SELECT c.* FROM ${from}
     WHERE ${where}
     ORDER BY c.${column} ${dir}, c.id ${dir} LIMIT ${size}
    OFFSET (SELECT (LEAST(${param(params.page)}, GREATEST(1, ceil(n / ${size}::numeric)::int)) - 1) * ${size} FROM total))
  ${selectList("(SELECT n FROM total)", `p.${column} ${dir}, p.id ${dir}`)}`;
  const row = await run(tx, text, values);
  const page = Math.min(params.page, Math.max(1, Math.ceil(row.total / params.pageSize)));
  return {
    rows: row.rows.map((j) => consentRow(rawConsent(j), j.collector, now)),
    total: row.total,
    page,
    pageSize: params.pageSize,
    departments: options(row.departments),
  };
}
