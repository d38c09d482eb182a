import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/actor";
import type { TestDb } from "../helpers/test-db";
import { connect, withAuditRouteEnv, withTriggersDisabled, writeEvent } from "./helpers";
import { parseCsv } from "../helpers/csv";

// The CSV export route and the "Verify the chain" action, through their real wrappers
// (defineRoute, defineAction) against the test database. Only what a request would carry is
// stood in for: the signed-in actor (the session) and the language (a cookie).

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));

const { GET } = await import("@/app/api/audit/export/route");
const { verifyAuditChainAction } = await import("@/lib/audit/actions");

let db: TestDb;
let auditor: Actor;
let hr: Actor;

// The action verifies the database the app is configured with: withAuditRouteEnv points it here.
withAuditRouteEnv(
  (env) => ({ db, auditor, hr } = env),
  async ({ db, dept, hrEmployee: h }) => {
    await writeEvent(db.prisma, { actor: { id: h.id, label: h.email, ip: "10.1.1.1" }, action: "employee.update", entityType: "Employee", entityId: "e1", before: { name: "张三", note: 'say "hi", ok' }, after: { name: "李四", note: "line1\nline2" } });
    await writeEvent(db.prisma, { actor: { id: null, label: "=HYPERLINK(\"http://x\")", ip: null }, action: "employee.create", entityType: "Employee", entityId: "e2", after: { name: "-1+1" } });
    await writeEvent(db.prisma, { action: "department.create", entityType: "Department", entityId: dept.id });
  },
);
beforeEach(() => {
  session.actor = null;
});

const request = (query: string) => GET(new Request(`http://localhost/api/audit/export${query}`));

describe("GET /api/audit/export", () => {
  it("refuses someone not signed in (401) and someone without audit.read (403), recording nothing", async () => {
    const before = await db.prisma.auditEvent.count();
    expect((await request("")).status).toBe(401);
    session.actor = hr;
    const forbidden = await request("");
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({ error: "You are not allowed to do this." });
    expect(await db.prisma.auditEvent.count()).toBe(before);
  });

  it("answers bad filters with 400 and the field's message, never a 500", async () => {
    session.actor = auditor;
    const res = await request("?from=2026-03-05&to=2026-03-01");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ fieldErrors: { to: ["The start date cannot be after the end date."] } });
    expect((await request(`?actor=${"x".repeat(5_000)}`)).status).toBe(400);
    expect((await request("?entityType=a%27%3B%20DROP%20TABLE%20audit_events")).status).toBe(400);
  });

  it("streams every matching event as CSV, oldest first, and records the export in the trail", async () => {
    session.actor = auditor;
    const res = await request("?action=employee.&before=2&entityType=");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-events-\d{8}T\d{6}Z\.csv"/);
    // Bytes, not res.text(): the UTF-8 decoder of text() drops the BOM that Excel needs.
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(text.startsWith("\uFEFF")).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual(["id", "time", "actor_id", "actor", "action", "entity_type", "entity_id", "ip", "before", "after", "hash", "prev_hash"]);
    // The paging cursor (before=2) does not narrow an export: both employee events are there.
    expect(rows.map((r) => r[4])).toEqual(["employee.update", "employee.create"]);
    const events = await db.prisma.auditEvent.findMany({ where: { action: { startsWith: "employee." } }, orderBy: { id: "asc" } });
    const [first, second] = rows;
    expect(first[0]).toBe(String(events[0].id));
    expect(first[1]).toBe(events[0].createdAt.toISOString());
    expect(first.slice(2, 8)).toEqual([hr.id, "hr@example.test", "employee.update", "Employee", "e1", "10.1.1.1"]);
    expect(JSON.parse(first[8])).toEqual({ name: "张三", note: 'say "hi", ok' });
    expect(JSON.parse(first[9])).toEqual({ name: "李四", note: "line1\nline2" });
    expect(first.slice(10)).toEqual([events[0].hash, events[0].prevHash]);
    // Spreadsheet formulas arrive as text.
    expect(second[3]).toBe(`'=HYPERLINK("http://x")`);
    expect(second[2]).toBe("");
    expect(second[8]).toBe("");

    const recorded = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "audit.export" } });
    expect(recorded).toMatchObject({ actorId: auditor.id, actorLabel: auditor.email, entityType: "AuditEvent", entityId: "*", after: { action: "employee." } });
  });

  it("exports an empty file (header only) when nothing matches", async () => {
    session.actor = auditor;
    const text = await (await request("?actor=nobody-at-all")).text();
    expect(parseCsv(text)).toEqual([["id", "time", "actor_id", "actor", "action", "entity_type", "entity_id", "ip", "before", "after", "hash", "prev_hash"]]);
  });
});

describe("verifyAuditChainAction", () => {
  const form = () => new FormData();

  it("refuses without a session or without audit.read", async () => {
    expect(await verifyAuditChainAction(null, form())).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    session.actor = hr;
    expect(await verifyAuditChainAction(null, form())).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("reports an intact chain with its count (also on PGlite)", async () => {
    session.actor = auditor;
    const n = await db.prisma.auditEvent.count();
    expect(await verifyAuditChainAction(null, form())).toEqual({ ok: true, data: { ok: true, count: n } });
  });

  it("reports where the chain breaks", async () => {
    session.actor = auditor;
    const target = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityId: "e2" } });
    const client = await connect(db.url);
    try {
      await withTriggersDisabled(client, () => client.query(`UPDATE audit_events SET entity_id = 'e3' WHERE id = $1`, [String(target.id)]));
    } finally {
      await client.end();
    }
    expect(await verifyAuditChainAction(null, form())).toEqual({ ok: true, data: { ok: false, count: 1, brokenAt: String(target.id), reason: "HASH_MISMATCH" } });
  });
});
