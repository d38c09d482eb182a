import { createHash } from "node:crypto";
import { readSheet } from "read-excel-file/node";
import { decodeCsvBytes } from "@/lib/accounts/import/parse";
import { readCsv } from "@/lib/csv-read";
import type { Translate } from "@/lib/i18n/translate";
import type { Actor } from "@/lib/server/actor";
import type { AuditInput } from "@/lib/server/audit-write";
import { writeAuditEvent } from "@/lib/server/audit-write";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import { transactionLimits } from "@/lib/server/transaction-limits";
import { BULK_MAX, BulkRefused, bulkRow, bulkUpsertEmployees, type BulkResult, type BulkRow } from "./endpoints/employees";
import { fieldErrors } from "./define";
import type { FieldError } from "./problem";

// Employee import from an HR system's file (CSV in UTF-8 or GBK, or XLSX), for companies without
// an API integration: the rows become the bulk upsert's rows (the same zod row schema, the same
// bulkUpsertEmployees: createEmployee/updateEmployee/openCase, all or nothing). The preview runs
// the whole upsert in a transaction that is then rolled back, so it reports exactly what the
// import would do — and writes nothing; the import itself runs it again for real, for the file
// whose hash was previewed.

export const IMPORT_MAX_BYTES = 1_400_000;

const COLUMNS: Record<keyof BulkRow, readonly string[]> = {
  employeeNo: ["employeeno", "employee_no", "工号", "员工编号"],
  name: ["name", "姓名"],
  email: ["email", "邮箱", "电子邮箱"],
  departmentCode: ["departmentcode", "department_code", "部门编码", "部门代码"],
  managerNo: ["managerno", "manager_no", "上级工号", "直属上级工号"],
  hireDate: ["hiredate", "hire_date", "入职日期"],
  roles: ["roles", "角色"],
  leaveDate: ["leavedate", "leave_date", "离职日期", "最后工作日"],
};

/** A column's headers as a person writes them: the Chinese one and the English one ("姓名 / name"). */
const headerNames = (f: keyof BulkRow) => {
  const aliases = COLUMNS[f];
  const zh = aliases.find((a) => /[^\x00-\x7f]/.test(a));
  const en = aliases.find((a) => a.includes("_")) ?? aliases[0];
  return zh ? `${zh} / ${en}` : en;
};

export type ParsedFile = { rows: BulkRow[]; encoding: string; errors: FieldError[]; hash: string; count: number };

const dayOf = (v: unknown): string | undefined => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10);
  if (typeof v === "number") return undefined;
  const s = String(v ?? "").trim();
  if (!s) return undefined;
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  return m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : s;
};

/** The rows of a CSV or XLSX file, each checked with the bulk upsert's row schema. */
export async function parseEmployeeFile(fileName: string, bytes: Uint8Array, t: Translate): Promise<ParsedFile> {
  const hash = createHash("sha256").update(bytes).digest("hex");
  let table: unknown[][];
  let encoding: string;
  if (/\.xlsx$/i.test(fileName) || (bytes[0] === 0x50 && bytes[1] === 0x4b)) {
    try {
      table = (await readSheet(Buffer.from(bytes))) as unknown[][];
    } catch {
      return { rows: [], encoding: "XLSX", errors: [{ pointer: "", code: "unreadable", detail: t("privacy.apiImport.unreadable") }], hash, count: 0 };
    }
    encoding = "XLSX";
  } else {
    const decoded = decodeCsvBytes(bytes);
    encoding = decoded.encoding;
    table = [...readCsv(decoded.text)].map((r) => r.cells);
  }
  const [header = [], ...body] = table.filter((r) => r.some((c) => c !== null && String(c).trim() !== ""));
  const index: Partial<Record<keyof BulkRow, number>> = {};
  header.forEach((h, i) => {
    const name = String(h ?? "").trim().toLowerCase().replace(/\s+/g, "");
    for (const [field, aliases] of Object.entries(COLUMNS)) if (aliases.includes(name)) index[field as keyof BulkRow] = i;
  });
  const missing = (["employeeNo", "name", "email", "departmentCode", "hireDate"] as const).filter((f) => index[f] === undefined);
  if (missing.length) return { rows: [], encoding, errors: missing.map((f) => ({ pointer: `/header/${f}`, code: "missing_column", detail: t("privacy.apiImport.missingColumn", { column: headerNames(f) }) })), hash, count: body.length };
  if (body.length > BULK_MAX) return { rows: [], encoding, errors: [{ pointer: "", code: "too_many_rows", detail: t("privacy.apiImport.tooMany", { max: BULK_MAX }) }], hash, count: body.length };

  const rows: BulkRow[] = [];
  const errors: FieldError[] = [];
  body.forEach((cells, i) => {
    const cell = (f: keyof BulkRow) => (index[f] === undefined ? undefined : cells[index[f]!]);
    const text = (f: keyof BulkRow) => {
      const v = cell(f);
      return v === null || v === undefined || String(v).trim() === "" ? undefined : String(v).trim();
    };
    const raw = {
      employeeNo: text("employeeNo"),
      name: text("name"),
      email: text("email"),
      departmentCode: text("departmentCode"),
      managerNo: text("managerNo"),
      hireDate: dayOf(cell("hireDate")),
      roles: text("roles")?.split(/[;；,，、\s]+/).filter(Boolean).map((r) => r.toUpperCase()),
      leaveDate: dayOf(cell("leaveDate")),
    };
    const parsed = bulkRow.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
    if (parsed.success) rows.push(parsed.data);
    else errors.push(...fieldErrors(parsed.error, t, `/employees/${i}`));
  });
  return { rows, encoding, errors, hash, count: body.length };
}

class Rollback extends Error {
  constructor(readonly result: BulkResult) {
    super("preview rolled back");
  }
}

export type ImportOutcome = { ok: true; result: BulkResult } | { ok: false; errors: FieldError[] };

/** Runs the upsert; `preview` rolls everything back afterwards (nothing written, not even audit events). */
export async function runEmployeeImport(client: DbClient, actor: Actor, rows: BulkRow[], t: Translate, options: { preview: boolean; tx?: Tx; audit?: (e: AuditInput) => Promise<void> }): Promise<ImportOutcome> {
  const work = async (tx: Tx, audit: (e: AuditInput) => Promise<void>) => bulkUpsertEmployees({ actor, tx, audit, t, departmentPath: null }, rows);
  try {
    if (options.tx && options.audit) return { ok: true, result: await work(options.tx, options.audit) };
    await client.$transaction(
      async (tx) => {
        const result = await work(tx, (e) => writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: actor.ip }, e));
        throw new Rollback(result);
      },
      { ...transactionLimits(), timeout: Math.max(transactionLimits().timeout, 300_000) },
    );
    throw new Error("unreachable");
  } catch (error) {
    if (error instanceof Rollback) return { ok: true, result: error.result };
    if (error instanceof BulkRefused) return { ok: false, errors: error.errors };
    throw error;
  }
}
