// Reading a customer-contact CSV (WeCom's export and hand-made files): encoding detection, an
// RFC 4180 reader, header aliases in Chinese and English, and the checks of one row. Pure and
// browser-safe: the server stages with it, tests call it directly.

export const IMPORT_FIELDS = ["externalId", "name", "company", "addedAt", "account"] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const REQUIRED_FIELDS: readonly ImportField[] = ["externalId", "name", "addedAt", "account"];

/** Accepted header names per field, compared after trimming, lower-casing and dropping spaces,
 * underscores, hyphens and brackets. Documented on the import page. */
export const HEADER_ALIASES: Record<ImportField, readonly string[]> = {
  externalId: ["客户ID", "客户id", "外部联系人ID", "外部联系人userid", "external_userid", "externaluserid", "external_id", "externalid", "客户UserID"],
  name: ["客户名称", "客户姓名", "姓名", "名称", "客户昵称", "name", "customer_name"],
  company: ["企业", "公司", "企业名称", "公司名称", "客户企业", "corp_name", "corp_full_name", "company"],
  addedAt: ["添加时间", "添加日期", "createtime", "create_time", "added_at", "addedat", "added_time"],
  account: ["所属账号", "所属帐号", "所属员工账号", "添加人账号", "holder_account", "holder account", "account", "userid", "account_id"],
};

/** A file is sent in parts of chunkBytes: the app's proxy (proxy.ts) passes at most 10 MB of a
 * request body on, and cuts the rest silently. */
export const LIMITS = { chunkBytes: 8 * 1024 * 1024, maxParts: 8, maxBytes: 64 * 1024 * 1024, maxRows: 200_000, externalId: 128, name: 200, company: 200, account: 200 };

export type DecodedFile = { text: string; encoding: "UTF-8" | "UTF-8 (BOM)" | "GB18030" | "UTF-16LE" | "UTF-16BE" };

/** UTF-8 with or without BOM; UTF-16 by its BOM; anything that is not valid UTF-8 is read as
 * GB18030 (a superset of GBK and GB2312, which is what Excel on a Chinese Windows writes). */
export function decodeCsvBytes(bytes: Uint8Array): DecodedFile {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), encoding: "UTF-8 (BOM)" };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "UTF-16LE" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "UTF-16BE" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "UTF-8" };
  } catch {
    return { text: new TextDecoder("gb18030").decode(bytes), encoding: "GB18030" };
  }
}

// The CSV reader itself is shared by every import (lib/csv-read.ts).
export { detectDelimiter, readCsv, type CsvRecord } from "@/lib/csv-read";

const normaliseHeader = (h: string) => h.replace(/^\uFEFF/, "").trim().toLowerCase().replace(/[\s_\-()（）[\]]/g, "");
const ALIAS_INDEX = new Map<string, ImportField>(
  IMPORT_FIELDS.flatMap((field) => HEADER_ALIASES[field].map((alias) => [normaliseHeader(alias), field] as const)),
);

export type HeaderMap = { columns: Partial<Record<ImportField, number>>; missing: ImportField[]; repeated: string[] };

/** Which column holds which field. A field named twice is reported (the first is used). */
export function mapHeader(header: readonly string[]): HeaderMap {
  const columns: Partial<Record<ImportField, number>> = {};
  const repeated: string[] = [];
  header.forEach((h, index) => {
    const field = ALIAS_INDEX.get(normaliseHeader(h));
    if (!field) return;
    if (columns[field] === undefined) columns[field] = index;
    else repeated.push(h.trim());
  });
  return { columns, missing: REQUIRED_FIELDS.filter((f) => columns[f] === undefined), repeated };
}

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\t\r\n]/;
const DATE_TIME = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An added time: unix seconds (WeCom's createtime) or milliseconds, or a date or date-time
 * (YYYY-MM-DD, YYYY/M/D, 2026年3月1日, with HH:mm[:ss]). Without an offset the time is China
 * Standard Time (UTC+8), as WeCom shows it. Null when unreadable, out of range or in the future.
 */
export function parseAddedAt(raw: string, now = new Date()): Date | null {
  const s = raw.trim();
  let date: Date | null = null;
  if (/^\d{9,10}$/.test(s)) date = new Date(Number(s) * 1000);
  else if (/^\d{12,13}$/.test(s)) date = new Date(Number(s));
  else {
    const m = DATE_TIME.exec(s);
    if (!m) return null;
    const [, y, mo, d, h = "0", mi = "0", sec = "0", ms = "0", zone] = m;
    const [Y, M, D, H, Mi, S] = [y, mo, d, h, mi, sec].map(Number);
    if (M < 1 || M > 12 || D < 1 || D > 31 || H > 23 || Mi > 59 || S > 59) return null;
    let offsetMinutes = 8 * 60;
    if (zone && zone.toUpperCase() === "Z") offsetMinutes = 0;
    else if (zone) {
      const z = zone.replace(":", "");
      offsetMinutes = (z[0] === "-" ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
    }
    const utc = Date.UTC(Y, M - 1, D, H, Mi, S, Number(ms.padEnd(3, "0")));
    const check = new Date(Date.UTC(Y, M - 1, D));
    if (check.getUTCMonth() !== M - 1 || check.getUTCDate() !== D) return null; // 2026-02-30
    date = new Date(utc - offsetMinutes * 60_000);
  }
  const t = date.getTime();
  if (Number.isNaN(t) || t < Date.UTC(2000, 0, 1) || t > now.getTime() + 24 * 3600_000) return null;
  return date;
}

export type RawRow = { externalId: string; name: string; company: string; addedAt: string; account: string };

export function cellsToRaw(cells: readonly string[], columns: HeaderMap["columns"]): RawRow {
  const at = (f: ImportField) => (columns[f] === undefined ? "" : (cells[columns[f]!] ?? ""));
  return { externalId: at("externalId"), name: at("name"), company: at("company"), addedAt: at("addedAt"), account: at("account") };
}

export type CheckedRow = {
  reasons: string[];
  externalId: string | null;
  name: string | null;
  company: string | null;
  addedAt: Date | null;
};

/** The checks of one row that need no database: each failed check is one reason code. */
export function checkRow(raw: RawRow, now = new Date()): CheckedRow {
  const reasons: string[] = [];
  const externalId = raw.externalId.trim();
  const name = raw.name.trim();
  const company = raw.company.trim();
  if (!externalId) reasons.push("missingExternalId");
  else if (externalId.length > LIMITS.externalId) reasons.push("externalIdTooLong");
  else if (/\s/.test(externalId) || CONTROL.test(externalId)) reasons.push("externalIdInvalid");
  if (!name) reasons.push("missingName");
  else if (name.length > LIMITS.name) reasons.push("nameTooLong");
  else if (CONTROL.test(name)) reasons.push("nameControlChars");
  if (company.length > LIMITS.company) reasons.push("companyTooLong");
  else if (CONTROL.test(company)) reasons.push("companyControlChars");
  if (!raw.account.trim()) reasons.push("missingAccount");
  let addedAt: Date | null = null;
  if (!raw.addedAt.trim()) reasons.push("missingAddedAt");
  else {
    addedAt = parseAddedAt(raw.addedAt, now);
    if (!addedAt) reasons.push("badAddedAt");
  }
  return { reasons, externalId: externalId || null, name: name || null, company: company || null, addedAt };
}
