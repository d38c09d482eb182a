import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { parseCsv } from "../helpers/csv";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { byExternalIds, csvBytes, HEADER, seedImportOrg, type ImportOrg } from "./helpers";

// The upload, status and report routes and the confirm action through their real wrappers
// (defineRoute, defineAction). Only the session, the language and Next's cache are stood in for.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
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

function post(bytes: Uint8Array<ArrayBuffer>, fileName = "contacts.csv", headers: Record<string, string> = {}, extra: Record<string, string | number> = {}) {
  const params = new URLSearchParams({ fileName, size: String(bytes.byteLength), ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])) });
  return upload(new Request(`http://localhost/api/accounts/import?${params}`, { method: "POST", body: bytes, headers: { host: "localhost", "content-length": String(bytes.byteLength), ...headers } }));
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
    const saved = await db.prisma.customerContact.findMany({ where: { ...byExternalIds(["wm_x1", "wm_x2"]) }, orderBy: { externalIdMask: "asc" } });
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

  it("takes a file in parts (below the proxy's body limit) and refuses one that arrived incomplete", async () => {
    session.actor = admin;
    const whole = csvBytes([HEADER, ...Array.from({ length: 300 }, (_, i) => `wm_part${i},"分段 ${i}",公司,2025-01-01,zhangsan`)]);
    const cut = [0, 4000, 9000, whole.byteLength];
    let importId: string | undefined;
    for (let part = 0; part < 3; part++) {
      const chunk = whole.slice(cut[part], cut[part + 1]);
      const response = await upload(
        new Request(`http://localhost/api/accounts/import?fileName=parts.csv&size=${whole.byteLength}&part=${part}&parts=3${importId ? `&importId=${importId}` : ""}`, { method: "POST", body: chunk, headers: { host: "localhost" } }),
      );
      expect(response.status).toBe(200);
      if (part < 2) importId = ((await response.json()) as { importId: string }).importId;
      else expect((await events(response)).at(-1)).toMatchObject({ type: "done", status: "READY", importId });
    }
    expect(await db.prisma.contactImport.findUniqueOrThrow({ where: { id: importId } })).toMatchObject({ addCount: 300, invalidCount: 0 });
    expect(await db.prisma.contactImportChunk.count({ where: { importId } })).toBe(0);

    // Another person cannot add a part to someone else's upload.
    const opened = (await (await post(whole.slice(0, 100), "p.csv", {}, { size: whole.byteLength, part: 0, parts: 2 })).json()) as { importId: string };
    session.actor = hr;
    expect((await post(whole.slice(100), "p.csv", {}, { size: whole.byteLength, part: 1, parts: 2, importId: opened.importId })).status).toBe(404);

    // A part missing, or a size that differs from what arrived: refused, nothing staged.
    session.actor = admin;
    const first = (await (await post(whole.slice(0, 100), "lost.csv", {}, { size: whole.byteLength, part: 0, parts: 3 })).json()) as { importId: string };
    const last = await events(await post(whole.slice(200), "lost.csv", {}, { size: whole.byteLength, part: 2, parts: 3, importId: first.importId }));
    expect(last.at(-1)).toMatchObject({ type: "done", status: "FAILED" });
    expect(await db.prisma.contactImport.findUniqueOrThrow({ where: { id: first.importId } })).toMatchObject({ status: "FAILED", errorKey: "uploadIncomplete" });
    const short = await events(await post(whole.slice(0, 500), "short.csv", {}, { size: whole.byteLength }));
    expect(await db.prisma.contactImport.findUniqueOrThrow({ where: { id: short.at(-1)!.importId! } })).toMatchObject({ status: "FAILED", errorKey: "uploadIncomplete" });
    expect(await db.prisma.contactImportRow.count({ where: { importId: short.at(-1)!.importId! } })).toBe(0);
    // A body shorter than its Content-Length (cut on the way) is refused outright.
    expect((await post(whole.slice(0, 500), "cut.csv", { "content-length": "9999" })).status).toBe(400);
  });

  it("stops reading a body over the size limit", async () => {
    const big = new Request("http://localhost/x", { method: "POST", body: new Uint8Array(2048) });
    expect(await readBodyWithLimit(big, 1024)).toBeNull();
    const small = new Request("http://localhost/x", { method: "POST", body: new Uint8Array(512) });
    expect((await readBodyWithLimit(small, 1024))?.byteLength).toBe(512);
  });
});
