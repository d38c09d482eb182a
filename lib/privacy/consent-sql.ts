import { escapeLike } from "@/lib/search";
import { guessField, identifierHashes } from "./identifiers";
import { EXPIRING_DAYS, type ConsentFilters } from "./schemas";

// The consent register's filters as SQL: consentWhere's (lib/privacy/queries.ts) clauses, clause by
// clause, over `consent_events c` (and `privacy_subjects s` joined on the consent's subject when
// `subject` says so). One copy for the export's statement (consent-export.ts) and the list's
// (consent-list-sql.ts); tests/privacy/export-sql.test.ts and consent-list-sql.test.ts hold both
// to the Prisma where.

const DAY = 86_400_000;

/**
 * How the statement takes the people a department or collector filter names: "join" as a semi-join
 * (`IN (SELECT …)`: the export, which reads every row, hashes them once), "array" as an array worked
 * out once (`= ANY(ARRAY(SELECT …))`): the list's page reads a few rows in grant order and its count
 * at most the cap, and PostgreSQL planned the semi-join as a nested loop over every consent of the
 * department's people and a sort (600 ms for half the company at scale 0.1, against 16 ms).
 */
export type PeopleSet = "join" | "array";

export type SqlParamType = "text" | "text[]" | "timestamptz" | "jsonb" | "int";

/** A statement's parameters: `param(value)` appends one and gives its placeholder, typed (a
 * statement read through a cursor gets no type inference for them). */
export function sqlParams() {
  const values: unknown[] = [];
  const param = (value: unknown, type: SqlParamType = value instanceof Date ? "timestamptz" : Array.isArray(value) ? "text[]" : typeof value === "number" ? "int" : "text") =>
    `$${values.push(value)}::${type}`;
  return { values, param };
}
export type SqlParam = ReturnType<typeof sqlParams>["param"];

/** The filters' conditions (ANDed; the first is `c.kind = 'GRANT'`), and whether they read the
 * subject (`s`). `times` are the placeholders of now and now + EXPIRING_DAYS when the statement
 * has them already; else they are added when a condition needs them (a parameter no clause uses
 * could not be typed). */
export function consentFilterSql(filters: ConsentFilters, now: Date, param: SqlParam, times?: { at: string; soon: string }, peopleSet: PeopleSet = "join"): { where: string[]; subject: boolean } {
  // The people a department or collector filter keeps, as the statement reads them best (PeopleSet).
  const collectedBy = (people: string) => (peopleSet === "join" ? `c.collected_by_id IN (${people})` : `c.collected_by_id = ANY(ARRAY(${people}))`);
  let atParam = times?.at;
  let soonParam = times?.soon;
  const at = () => (atParam ??= param(now));
  const soon = () => (soonParam ??= param(new Date(now.getTime() + EXPIRING_DAYS * DAY)));
  const follow = (kind: "WITHDRAW" | "RENEW", extra = "") => `EXISTS (SELECT 1 FROM consent_events w WHERE w.consent_id = c.id AND w.kind = '${kind}'${extra})`;
  const notWithdrawn = `NOT ${follow("WITHDRAW")}`;
  const where = ["c.kind = 'GRANT'"];
  if (filters.state === "withdrawn") where.push(follow("WITHDRAW"));
  if (filters.state === "valid") where.push(notWithdrawn, `c.occurred_at <= ${at()}`, `(c.expires_at > ${at()} OR ${follow("RENEW", ` AND w.expires_at > ${at()}`)})`);
  if (filters.state === "expired") where.push(notWithdrawn, `c.expires_at <= ${at()}`, `NOT ${follow("RENEW", ` AND w.expires_at > ${at()}`)}`);
  if (filters.state === "expiring")
    where.push(
      notWithdrawn,
      `((c.expires_at > ${at()} AND c.expires_at <= ${soon()}) OR ${follow("RENEW", ` AND w.expires_at > ${at()} AND w.expires_at <= ${soon()}`)})`,
      `c.expires_at <= ${soon()}`,
      `NOT ${follow("RENEW", ` AND w.expires_at > ${soon()}`)}`,
    );
  if (filters.withdrawnDays) where.push(follow("WITHDRAW", ` AND w.occurred_at > ${param(new Date(now.getTime() - filters.withdrawnDays * DAY))} AND w.occurred_at <= ${at()}`));
  if (filters.department) {
    where.push(collectedBy(`SELECT e.id FROM employees e JOIN departments d ON d.id = e.department_id
                 JOIN departments top ON top.id = ${param(filters.department)} AND starts_with(d.path, top.path)`));
  }
  if (filters.channel) where.push(`c.channel::text = ${param(filters.channel)}`);
  if (filters.purpose) where.push(`c.purposes @> ${param(JSON.stringify([filters.purpose]), "jsonb")}`);
  if (filters.subject) where.push(`s.name ILIKE ${param(`%${escapeLike(filters.subject)}%`)}`);
  if (filters.identifier) {
    const field = guessField(filters.identifier);
    const column = field === "phone" ? "s.phone_hash" : field === "email" ? "s.email_hash" : "s.wecom_id_hash";
    where.push(`${column} = ANY(${param(identifierHashes(field, filters.identifier))})`);
  }
  if (filters.collector) {
    // collectorIds (lib/privacy/queries.ts): part of a name or e-mail, at most 500 people.
    const term = param(`%${escapeLike(filters.collector)}%`);
    where.push(collectedBy(`SELECT p.id FROM employees p WHERE p.name ILIKE ${term} OR p.email ILIKE ${term} LIMIT 500`));
  }
  return { where, subject: Boolean(filters.subject || filters.identifier) };
}

/** now and now + EXPIRING_DAYS as parameters. */
export function nowParams(now: Date, param: SqlParam): { at: string; soon: string } {
  return { at: param(now), soon: param(new Date(now.getTime() + EXPIRING_DAYS * DAY)) };
}
