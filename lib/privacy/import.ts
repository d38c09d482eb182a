import { readCsv } from "@/lib/accounts/import/parse";
import type { ProtectedValue } from "@/lib/pii";
import type { ActionContext } from "@/lib/server/action";
import { DomainError, notFound } from "@/lib/server/errors";
import type { Tx } from "@/lib/server/prisma-client";
import { requireAny } from "./access";
import { grantExpiry, grantRow, grantTimeProblem, noticeProblem } from "./consents";
import { IDENTIFIER_FIELDS, protectIdentifier, type IdentifierField } from "./identifiers";
import { CHANNELS, CODE, compactPhone, MOBILE, SEPARATE_CONSENTS, type Channel, type SeparateConsent } from "./schemas";
import { subjectByIdentifier, SUBJECT_ENTITY } from "./subjects";

// Bulk import of existing consents (preview, then confirm), as the contact import does it: the
// CSV is parsed and every row checked and staged (identifiers already encrypted); the preview
// shows what would be added and why a row would not; confirming adds every valid row — subjects
// found by identifier or created, one GRANT each — in one transaction. Nothing reaches the
// register before confirmation; a row that is not valid is never imported.

export const IMPORT_ENTITY = "ConsentImport";
export const IMPORT_MAX_ROWS = 5_000;
const DAY = 86_400_000;

export const IMPORT_COLUMNS = ["name", "phone", "wecom_id", "email", "notice_key", "purposes", "categories", "separate_consents", "channel", "method", "evidence_ref", "granted_at", "minor", "guardian_name", "guardian_relation", "guardian_consent"] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: readonly Column[] = ["name", "notice_key", "purposes", "channel", "method", "granted_at"];

type StagedData = {
  name: string;
  identifiers: Partial<Record<IdentifierField, ProtectedValue>>;
  subjectId: string | null;
  noticeId: string;
  purposes: string[];
  categories: string[];
  separateConsents: SeparateConsent[];
  channel: Channel;
  method: string;
  evidenceRef: string | null;
  occurredAt: string;
  subjectMinor: boolean;
  guardianName: string | null;
  guardianRelation: string | null;
  guardianConsent: boolean;
};

const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, options?: ConstructorParameters<typeof DomainError>[2]) => new DomainError(code, `privacy.import.errors.${key}`, options);
const codes = (v: string) => v.split(/[;；,，\s]+/).map((s) => s.trim()).filter(Boolean);
const yes = (v: string) => ["yes", "y", "true", "1", "是"].includes(v.trim().toLowerCase());

function parseTime(v: string): Date | null {
  const t = v.trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(?::\d{2})?)?$/.exec(t);
  const d = m ? new Date(`${m[1]}T${m[2] ?? "00:00"}:00+08:00`) : new Date(t);
  return Number.isNaN(d.getTime()) ? null : d;
}

export async function stageConsentImport({ actor, input, tx, audit }: ActionContext<{ fileName: string; csv: string }>, now = new Date()): Promise<{ importId: string }> {
  requireAny(actor, "privacy.manage");
  const records = [...readCsv(input.csv.replace(/^\uFEFF/, ""))];
  if (records.length < 2) throw err("VALIDATION", "noRows", { field: "csv" });
  if (records[0].error) throw err("VALIDATION", "headerUnreadable", { field: "csv" });
  const header = records[0].cells.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) throw err("VALIDATION", "missingColumns", { field: "csv", params: { columns: missing.join(", ") } });
  if (records.length - 1 > IMPORT_MAX_ROWS) throw err("VALIDATION", "tooManyRows", { field: "csv", params: { max: IMPORT_MAX_ROWS } });
  const col = (cells: string[], c: Column) => (header.indexOf(c) >= 0 ? (cells[header.indexOf(c)] ?? "").trim() : "");

  const notices = await tx.privacyNotice.findMany({ where: { status: { in: ["PUBLISHED", "RETIRED"] } } });
  const published = new Map(notices.filter((n) => n.status === "PUBLISHED").map((n) => [n.noticeKey, n]));
  const retired = new Set(notices.filter((n) => n.status === "RETIRED").map((n) => n.noticeKey));

  const rows: { rowNumber: number; valid: boolean; reasons: string; summary: string; data: StagedData | null }[] = [];
  for (const rec of records.slice(1)) {
    const cells = rec.cells;
    const reasons: string[] = [];
    // A line that is not valid CSV is this row's problem; the rows after it are still read.
    if (rec.error) reasons.push(rec.error);
    const name = col(cells, "name");
    if (!name || name.length > 100) reasons.push("name");
    const raw: Record<IdentifierField, string> = { phone: compactPhone(col(cells, "phone")), wecomId: col(cells, "wecom_id"), email: col(cells, "email").toLowerCase() };
    if (raw.phone && !MOBILE.test(raw.phone)) reasons.push("phone");
    if (raw.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(raw.email)) reasons.push("email");
    if (raw.wecomId && /\s/.test(raw.wecomId)) reasons.push("wecomId");
    if (!raw.phone && !raw.wecomId && !raw.email) reasons.push("noIdentifier");
    const noticeKey = col(cells, "notice_key");
    const notice = published.get(noticeKey);
    if (!notice) reasons.push(retired.has(noticeKey) ? "noticeRetired" : "noticeUnknown");
    const purposes = codes(col(cells, "purposes"));
    const categories = codes(col(cells, "categories"));
    const separate = codes(col(cells, "separate_consents")).map((s) => s.toUpperCase());
    if (purposes.length === 0 || purposes.some((p) => !CODE.test(p))) reasons.push("purposes");
    if (separate.some((s) => !(SEPARATE_CONSENTS as readonly string[]).includes(s))) reasons.push("separate");
    const channel = col(cells, "channel").toUpperCase();
    if (!(CHANNELS as readonly string[]).includes(channel)) reasons.push("channel");
    const method = col(cells, "method");
    if (!method) reasons.push("method");
    const occurredAt = parseTime(col(cells, "granted_at"));
    if (!occurredAt) reasons.push("grantedAt");
    const minor = yes(col(cells, "minor"));
    const grant = {
      purposes,
      categories,
      separateConsents: separate as SeparateConsent[],
      subjectMinor: minor,
      guardianName: col(cells, "guardian_name") || undefined,
      guardianRelation: col(cells, "guardian_relation") || undefined,
      guardianConsent: yes(col(cells, "guardian_consent")),
    };
    if (notice && !reasons.includes("purposes") && !reasons.includes("separate")) {
      const problem = noticeProblem(notice, grant);
      if (problem) reasons.push(problem.key);
    }
    // The form's rule for the time (consents.ts grantTimeProblem): not before the notice version
    // was published, not in the future, not already expired.
    const timeProblem = occurredAt && notice ? grantTimeProblem(notice, occurredAt, now) : null;
    if (timeProblem) reasons.push(timeProblem.key);

    let subjectId: string | null = null;
    const identifiers: Partial<Record<IdentifierField, ProtectedValue>> = {};
    if (!reasons.some((r) => ["phone", "email", "wecomId", "noIdentifier"].includes(r))) {
      const holders = new Set<string>();
      for (const field of IDENTIFIER_FIELDS) {
        if (!raw[field]) continue;
        identifiers[field] = protectIdentifier(field, raw[field]);
        const holder = await subjectByIdentifier(tx, field, raw[field]);
        if (holder) holders.add(holder.id);
      }
      if (holders.size > 1) reasons.push("identifierConflict");
      subjectId = [...holders][0] ?? null;
    }
    const mask = Object.values(identifiers)[0]?.mask ?? "";
    const valid = reasons.length === 0;
    rows.push({
      rowNumber: rec.line,
      valid,
      reasons: reasons.join(","),
      summary: [name.slice(0, 100), mask, noticeKey.slice(0, 40), purposes.join(";").slice(0, 200), channel.slice(0, 20)].join(" | "),
      data: valid
        ? {
            name,
            identifiers,
            subjectId,
            noticeId: notice!.id,
            purposes,
            categories,
            separateConsents: grant.separateConsents,
            channel: channel as Channel,
            method: method.slice(0, 200),
            evidenceRef: col(cells, "evidence_ref").slice(0, 300) || null,
            occurredAt: occurredAt!.toISOString(),
            subjectMinor: minor,
            guardianName: grant.guardianName ?? null,
            guardianRelation: grant.guardianRelation ?? null,
            guardianConsent: grant.guardianConsent,
          }
        : null,
    });
  }
  const validRows = rows.filter((r) => r.valid).length;
  const imp = await tx.consentImport.create({ data: { createdById: actor.id, fileName: input.fileName || "consents.csv", totalRows: rows.length, validRows, invalidRows: rows.length - validRows } });
  await tx.consentImportRow.createMany({ data: rows.map((r) => ({ importId: imp.id, rowNumber: r.rowNumber, valid: r.valid, reasons: r.reasons, summary: r.summary, data: r.data ?? undefined })) });
  await audit({ action: "consentImport.stage", entityType: IMPORT_ENTITY, entityId: imp.id, after: { fileName: imp.fileName, totalRows: rows.length, validRows } });
  return { importId: imp.id };
}

/** Adds every valid row of a staged import, once, in this transaction. */
export async function confirmConsentImport({ actor, input, tx, audit }: ActionContext<{ importId: string }>): Promise<{ importId: string; inserted: number }> {
  requireAny(actor, "privacy.manage");
  await tx.$queryRaw`SELECT "id" FROM "consent_imports" WHERE "id" = ${input.importId} FOR UPDATE`;
  const imp = await tx.consentImport.findUnique({ where: { id: input.importId } });
  if (!imp || imp.createdById !== actor.id) throw notFound();
  if (imp.status !== "READY") throw err("INVALID_STATE", "notReady");
  if (Date.now() - imp.createdAt.getTime() > DAY) throw err("INVALID_STATE", "expired");
  const rows = await tx.consentImportRow.findMany({ where: { importId: imp.id, valid: true }, orderBy: { rowNumber: "asc" } });
  const subjectsByHash = new Map<string, string>();
  let inserted = 0;
  for (const r of rows) {
    const d = r.data as unknown as StagedData;
    let subjectId = d.subjectId;
    if (!subjectId) subjectId = Object.values(d.identifiers).map((p) => subjectsByHash.get(p!.hash)).find(Boolean) ?? null;
    if (!subjectId) {
      // Found since staging? protectedIdentifiers refuses an identifier another subject holds.
      const existing = await findByProtected(tx, d.identifiers);
      if (existing) subjectId = existing;
      else {
        const data: Record<string, string> = {};
        for (const [field, p] of Object.entries(d.identifiers)) Object.assign(data, { [`${field}Cipher`]: p!.cipher, [`${field}Hash`]: p!.hash, [`${field}Mask`]: p!.mask });
        const s = await tx.dataSubject.create({ data: { name: d.name, createdById: actor.id, ...data } });
        await audit({ action: "dataSubject.create", entityType: SUBJECT_ENTITY, entityId: s.id, after: { name: s.name, source: "import", importId: imp.id } });
        subjectId = s.id;
      }
    }
    for (const p of Object.values(d.identifiers)) subjectsByHash.set(p!.hash, subjectId);
    const occurredAt = new Date(d.occurredAt);
    const notice = await tx.privacyNotice.findUnique({ where: { id: d.noticeId }, select: { retentionDays: true, status: true, publishedAt: true } });
    if (!notice || notice.status !== "PUBLISHED") throw new DomainError("INVALID_STATE", "privacy.errors.noticeRetired", { params: { title: "", version: "" } });
    // Checked again: a row valid in the preview may have expired since (the preview lives a day).
    if (grantTimeProblem(notice, occurredAt, new Date())) throw err("INVALID_STATE", "rowNoLongerValid", { params: { row: r.rowNumber } });
    const row = grantRow(
      { ...d, occurredAt, subjectId, evidenceRef: d.evidenceRef ?? undefined, guardianName: d.guardianName ?? undefined, guardianRelation: d.guardianRelation ?? undefined, source: "IMPORT", importId: imp.id },
      { occurredAt, expiresAt: grantExpiry(notice, occurredAt) },
      actor.id,
    );
    await tx.consentEvent.create({ data: row });
    inserted++;
  }
  await tx.consentImport.update({ where: { id: imp.id }, data: { status: "CONFIRMED", insertedCount: inserted, confirmedAt: new Date() } });
  await audit({ action: "consentImport.confirm", entityType: IMPORT_ENTITY, entityId: imp.id, after: { inserted } });
  return { importId: imp.id, inserted };
}

async function findByProtected(tx: Tx, identifiers: StagedData["identifiers"]): Promise<string | null> {
  const or = Object.entries(identifiers).map(([field, p]) => ({ [`${field}Hash`]: p!.hash }));
  if (or.length === 0) return null;
  const found = await tx.dataSubject.findMany({ where: { OR: or }, select: { id: true } });
  if (found.length > 1) throw err("CONFLICT", "identifierConflictNow");
  return found[0]?.id ?? null;
}

export async function getImport(tx: Tx, id: string, actorId: string) {
  const imp = await tx.consentImport.findUnique({ where: { id } });
  if (!imp || imp.createdById !== actorId) return null;
  const rows = await tx.consentImportRow.findMany({ where: { importId: id }, orderBy: [{ valid: "asc" }, { rowNumber: "asc" }], take: 200, select: { rowNumber: true, valid: true, reasons: true, summary: true } });
  return { ...imp, rows };
}
