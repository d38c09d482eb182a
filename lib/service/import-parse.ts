// Reading a CSV of service cases (history from another help desk, cases logged on paper): the
// CSV reader, encoding detection and the date-time reader are the contact import's
// (lib/accounts/import/parse); this file maps the columns and checks each row. Pure.

import { detectDelimiter, parseAddedAt, readCsv } from "@/lib/accounts/import/parse";
import { CASE_TYPES, PRIORITIES, SERVICE_CHANNELS, type CaseType, type Priority, type ServiceChannel } from "./sla";

export const CASE_IMPORT_FIELDS = [
  "title",
  "customerName",
  "customerRef",
  "channel",
  "caseType",
  "priority",
  "team",
  "assignee",
  "receivedAt",
  "firstResponseAt",
  "resolvedAt",
  "resolution",
] as const;
export type CaseImportField = (typeof CASE_IMPORT_FIELDS)[number];
export const CASE_IMPORT_REQUIRED: readonly CaseImportField[] = ["title", "customerName", "channel", "caseType", "priority", "team", "receivedAt"];
export const CASE_IMPORT_MAX_ROWS = 2_000;

export const CASE_HEADER_ALIASES: Record<CaseImportField, readonly string[]> = {
  title: ["标题", "主题", "title", "subject"],
  customerName: ["客户名称", "客户", "客户姓名", "customer", "customer_name"],
  customerRef: ["客户编号", "客户ID", "customer_ref", "customer_id"],
  channel: ["渠道", "channel"],
  caseType: ["类型", "工单类型", "type", "case_type"],
  priority: ["优先级", "priority"],
  team: ["团队", "部门编码", "team", "team_code"],
  assignee: ["处理人", "处理人邮箱", "assignee", "assignee_email"],
  receivedAt: ["接收时间", "受理时间", "received_at", "received"],
  firstResponseAt: ["首次响应时间", "first_response_at", "first_response"],
  resolvedAt: ["解决时间", "resolved_at", "resolved"],
  resolution: ["处理结果", "resolution"],
};

/** Values accepted besides the codes themselves (case-blind). */
const VALUE_ALIASES: { channel: Record<string, ServiceChannel>; caseType: Record<string, CaseType>; priority: Record<string, Priority> } = {
  channel: { 企业微信客户: "WECOM_CONTACT", 企业微信: "WECOM_CONTACT", 公众号: "WECHAT_OA", 微信公众号: "WECHAT_OA", 微信群: "WECHAT_GROUP", 小程序: "MINI_PROGRAM", 电话: "PHONE" },
  caseType: { 咨询: "INQUIRY", 投诉: "COMPLAINT", 建议: "SUGGESTION" },
  priority: { 低: "LOW", 普通: "NORMAL", 中: "NORMAL", 高: "HIGH", 紧急: "URGENT" },
};

const norm = (h: string) => h.replace(/^\uFEFF/, "").trim().toLowerCase().replace(/[\s_\-()（）[\]]/g, "");
const HEADER_INDEX = new Map<string, CaseImportField>(CASE_IMPORT_FIELDS.flatMap((f) => CASE_HEADER_ALIASES[f].map((a) => [norm(a), f] as const)));

export type RowProblem = { field: CaseImportField | "row"; key: string; params?: Record<string, string | number> };
export type ParsedCaseRow = {
  title: string;
  customerName: string;
  customerRef: string | null;
  channel: ServiceChannel;
  caseType: CaseType;
  priority: Priority;
  teamCode: string;
  assignee: string | null;
  receivedAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  resolution: string | null;
};
export type StagedRow = { line: number; raw: Partial<Record<CaseImportField, string>>; problems: RowProblem[]; parsed: ParsedCaseRow | null };
export type ParsedFile = { rows: StagedRow[]; fileProblem: RowProblem | null };

function enumValue<T extends string>(value: string, codes: readonly T[], aliases: Record<string, T>): T | null {
  const v = value.trim();
  const upper = v.toUpperCase();
  if ((codes as readonly string[]).includes(upper)) return upper as T;
  return aliases[v] ?? null;
}

/** Each data row as given and as understood, with every problem found (not only the first). */
export function parseCaseCsv(text: string, now = new Date()): ParsedFile {
  const records = [...readCsv(text, detectDelimiter(text))];
  const [header, ...data] = records;
  if (!header) return { rows: [], fileProblem: { field: "row", key: "service.import.empty" } };
  if (header.error) return { rows: [], fileProblem: { field: "row", key: `service.import.problems.${header.error}`, params: { line: header.line } } };
  const columns: Partial<Record<CaseImportField, number>> = {};
  header.cells.forEach((h, i) => {
    const f = HEADER_INDEX.get(norm(h));
    if (f && columns[f] === undefined) columns[f] = i;
  });
  const missing = CASE_IMPORT_REQUIRED.filter((f) => columns[f] === undefined);
  if (missing.length) return { rows: [], fileProblem: { field: "row", key: "service.import.missingColumns", params: { columns: missing.map((f) => CASE_HEADER_ALIASES[f][0]).join("、") } } };
  if (data.length === 0) return { rows: [], fileProblem: { field: "row", key: "service.import.noRows" } };
  if (data.length > CASE_IMPORT_MAX_ROWS) return { rows: [], fileProblem: { field: "row", key: "service.import.tooManyRows", params: { max: CASE_IMPORT_MAX_ROWS } } };

  const rows = data.map((record): StagedRow => {
    const raw: Partial<Record<CaseImportField, string>> = {};
    for (const f of CASE_IMPORT_FIELDS) if (columns[f] !== undefined) raw[f] = (record.cells[columns[f]!] ?? "").trim();
    const problems: RowProblem[] = [];
    // A line that is not valid CSV is this row's problem; the rows after it are still read.
    if (record.error) problems.push({ field: "row", key: `service.import.problems.${record.error}`, params: { line: record.line } });
    const need = (f: CaseImportField, max: number): string => {
      const v = raw[f] ?? "";
      if (!v) problems.push({ field: f, key: "service.import.problems.required" });
      else if (v.length > max) problems.push({ field: f, key: "service.import.problems.tooLong", params: { max } });
      return v;
    };
    const optional = (f: CaseImportField, max: number): string | null => {
      const v = raw[f] ?? "";
      if (v.length > max) problems.push({ field: f, key: "service.import.problems.tooLong", params: { max } });
      return v || null;
    };
    const title = need("title", 200);
    const customerName = need("customerName", 100);
    const customerRef = optional("customerRef", 100);
    const teamCode = need("team", 50);
    const assignee = optional("assignee", 254);
    const resolution = optional("resolution", 2000);
    const pick = <T extends string>(f: "channel" | "caseType" | "priority", codes: readonly T[], aliases: Record<string, T>): T | null => {
      const v = raw[f] ?? "";
      if (!v) {
        problems.push({ field: f, key: "service.import.problems.required" });
        return null;
      }
      const value = enumValue(v, codes, aliases);
      if (!value) problems.push({ field: f, key: `service.import.problems.unknown_${f}`, params: { value: v } });
      return value;
    };
    const channel = pick("channel", SERVICE_CHANNELS, VALUE_ALIASES.channel);
    const caseType = pick("caseType", CASE_TYPES, VALUE_ALIASES.caseType);
    const priority = pick("priority", PRIORITIES, VALUE_ALIASES.priority);
    const time = (f: "receivedAt" | "firstResponseAt" | "resolvedAt", required: boolean): Date | null => {
      const v = raw[f] ?? "";
      if (!v) {
        if (required) problems.push({ field: f, key: "service.import.problems.required" });
        return null;
      }
      const d = parseAddedAt(v, now);
      if (!d) problems.push({ field: f, key: "service.import.problems.time", params: { value: v } });
      else if (d.getTime() > now.getTime() + 120_000) {
        problems.push({ field: f, key: "service.import.problems.future", params: { value: v } });
        return null;
      }
      return d;
    };
    const receivedAt = time("receivedAt", true);
    const firstResponseAt = time("firstResponseAt", false);
    const resolvedAt = time("resolvedAt", false);
    if (receivedAt && firstResponseAt && firstResponseAt < receivedAt) problems.push({ field: "firstResponseAt", key: "service.import.problems.firstResponseBeforeReceived" });
    if (receivedAt && resolvedAt && resolvedAt < receivedAt) problems.push({ field: "resolvedAt", key: "service.import.problems.resolvedBeforeReceived" });
    if (firstResponseAt && resolvedAt && resolvedAt < firstResponseAt) problems.push({ field: "resolvedAt", key: "service.import.problems.resolvedBeforeFirstResponse" });
    if (resolvedAt && !resolution) problems.push({ field: "resolution", key: "service.import.problems.resolutionRequired" });
    const ok = problems.length === 0 && channel && caseType && priority && receivedAt;
    return {
      line: record.line,
      raw,
      problems,
      parsed: ok
        ? {
            title,
            customerName,
            customerRef,
            channel,
            caseType,
            priority,
            teamCode,
            assignee,
            receivedAt: receivedAt.toISOString(),
            firstResponseAt: firstResponseAt?.toISOString() ?? null,
            resolvedAt: resolvedAt?.toISOString() ?? null,
            resolution,
          }
        : null,
    };
  });
  return { rows, fileProblem: null };
}
