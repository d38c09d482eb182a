import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { parseCsv } from "../helpers/csv";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { csvBytes, HEADER, seedImportOrg, type ImportOrg } from "./helpers";

// The upload, status and report routes and the confirm action through their real wrappers
// (defineRoute, defineAction). Only the session, the language and Next's cache are stood in for.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", async () => {
  const { createTranslator, messagesFor } = await import("@/lib/i18n/translate");
  const messages = messagesFor("en");
  return { getLocale: async () => "en", getI18n: async () => ({ locale: "en", messages, t: createTranslator(messages) }) };
});
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { POST: upload } = await import("@/app/api/accounts/import/route");
const { GET: status } = await import("@/app/api/accounts/import/status/route");
const { GET: report } = await import("@/app/api/accounts/import/report/route");
const { confirmImportAction } = await import("@/lib/accounts/import/actions");
const { readBodyWithLimit } = await import("@/lib/accounts/import/upload");

let db: TestDb;
let org: ImportOrg;
let admin: Actor;
let hr: Actor;
let employee: Actor;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedImportOrg(db.prisma);
  admin = await actorFor(db.prisma, org.adminId);
  hr = await actorFor(db.prisma, org.hrId);
  employee = await actorFor(db.prisma, org.employeeId);
});
afterAll(async () => db?.close());

function post(bytes: Uint8Array<ArrayBuffer>, fileName = "contacts.csv", headers: Record<string, string> = {}) {
  return upload(new Request(`http://localhost/api/accounts/import?fileName=${encodeURIComponent(fileName)}`, { method: "POST", body: bytes, headers: { host: "localhost", ...headers } }));
}

async function events(response: Response) {
  return (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; importId?: string; percent?: number; message?: string });
}

const FORMULA_FILE = [HEADER, `wm_x1,"=cmd|' /C calc'!A0",=HYPERLINK("http://evil"),2025-01-01,zhangsan`, "wm_x2,@SUM(A1),,2025-01-01,zhangsan", "wm_x1,+dup,,2025-01-01,zhangsan", ",-bad,,2025-01-01,zhangsan"];

describe("upload → preview → report → confirm", () => {
  it("refuses those without accounts.manage, and a post from another site", async () => {
    session.actor = employee;
    expect((await post(csvBytes(FORMULA_FILE))).status).toBe(403);
    session.actor = null;
    expect((await post(csvBytes(FORMULA_FILE))).status).toBe(401);
    session.actor = hr;
    expect((await post(csvBytes(FORMULA_FILE), "x.csv", { origin: "https://evil.example" })).status).toBe(403);
    expect(await db.prisma.contactImport.count()).toBe(0);
  });

  it("streams progress then the import id; the report escapes formula cells; confirming twice inserts once", async () => {
    session.actor = hr;
    const response = await post(csvBytes(FORMULA_FILE, { bom: true }), "客户.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    const lines = await events(response);
    expect(lines.some((e) => e.type === "progress")).toBe(true);
    const done = lines.at(-1)!;
    expect(done).toMatchObject({ type: "done", status: "READY" });
    const importId = done.importId!;

    const state = await (await status(new Request(`http://localhost/api/accounts/import/status?id=${importId}`))).json();
    expect(state).toMatchObject({ status: "READY", totalRows: 4, addCount: 2, duplicateCount: 1, invalidCount: 1 });

    const csv = await (await report(new Request(`http://localhost/api/accounts/import/report?id=${importId}`))).text();
    const rows = parseCsv(csv.replace(/^\uFEFF/, ""));
    expect(rows[0]).toEqual(["Row", "Category", "Reason", "External id", "Name", "Company", "Added time", "Holder account"]);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[4], r[5]])).toEqual([
      ["2", "To add", "", "'=cmd|' /C calc'!A0", `'=HYPERLINK("http://evil")`],
      ["3", "To add", "", "'@SUM(A1)", ""],
      ["4", "Duplicates", "Repeats row 2 (same account and external id)", "'+dup", ""],
      ["5", "Invalid", "External id missing", "'-bad", ""],
    ]);
    expect(await db.prisma.auditEvent.count({ where: { entityId: importId, action: "contactImport.report" } })).toBe(1);

    const first = await confirmImportAction(null, { importId });
    expect(first).toMatchObject({ ok: true, data: { inserted: 2 } });
    const again = await confirmImportAction(null, { importId });
    expect(again).toMatchObject({ ok: false, code: "INVALID_STATE", formError: "This import was already confirmed (2 contacts added); nothing is written twice." });
    const saved = await db.prisma.customerContact.findMany({ where: { externalId: { in: ["wm_x1", "wm_x2"] } }, orderBy: { externalId: "asc" } });
    expect(saved.map((c) => [c.name, c.company])).toEqual([
      ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil")'],
      ["@SUM(A1)", null],
    ]);
  });

  it("a file missing columns ends with a refusal the preview states in one sentence", async () => {
    session.actor = admin;
    const lines = await events(await post(csvBytes(["name,company", "x,y"])));
    const { refusalText } = await import("@/lib/accounts/import/report");
    const { createTranslator, messagesFor } = await import("@/lib/i18n/translate");
    const found = await db.prisma.contactImport.findUniqueOrThrow({ where: { id: lines.at(-1)!.importId! } });
    expect(found.status).toBe("FAILED");
    expect(refusalText(createTranslator(messagesFor("en")), found.errorKey!, found.errorDetail)).toBe(
      "Required columns missing: External id (required), Added time (required), Holder account (required).",
    );
    expect(refusalText(createTranslator(messagesFor("zh-CN")), found.errorKey!, found.errorDetail)).toBe("缺少必需的列：客户ID（必填）, 添加时间（必填）, 所属账号（必填）。");
  });

  it("the confirm action refuses those without accounts.manage and a forged id", async () => {
    session.actor = employee;
    expect(await confirmImportAction(null, { importId: "a".repeat(32) })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    session.actor = admin;
    expect(await confirmImportAction(null, { importId: "not an id" })).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(await confirmImportAction(null, { importId: "a".repeat(32) })).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });

  it("stops reading a body over the size limit", async () => {
    const big = new Request("http://localhost/x", { method: "POST", body: new Uint8Array(2048) });
    expect(await readBodyWithLimit(big, 1024)).toBeNull();
    const small = new Request("http://localhost/x", { method: "POST", body: new Uint8Array(512) });
    expect((await readBodyWithLimit(small, 1024))?.byteLength).toBe(512);
  });
});
