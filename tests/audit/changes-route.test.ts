import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { withAuditRouteEnv, writeEvent } from "./helpers";

// The audit trail's folded change list is read when it is opened, from GET /api/audit/changes,
// through the real route wrapper (defineRoute) against the test database: the same permission as
// the trail (audit.read), the same diff as the page rendered before, and nothing for a stranger.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));

const { GET } = await import("@/app/api/audit/changes/route");

let auditor: Actor;
let hr: Actor;
let updateId: bigint;
let plainId: bigint;

withAuditRouteEnv(
  (env) => ({ auditor, hr } = env),
  async ({ db, dept }) => {
    updateId = await writeEvent(db.prisma, {
      action: "employee.update",
      entityType: "Employee",
      entityId: "e1",
      before: { name: "张三", title: "<b>x</b>", same: 1 },
      after: { name: "李四", same: 1, phone: "138" },
    });
    plainId = await writeEvent(db.prisma, { action: "department.create", entityType: "Department", entityId: dept.id, before: "a", after: "b" });
  },
);
beforeEach(() => {
  session.actor = null;
});

const request = (query: string) => GET(new Request(`http://localhost/api/audit/changes${query}`));

describe("GET /api/audit/changes", () => {
  it("refuses someone not signed in (401) and someone without audit.read (403)", async () => {
    expect((await request(`?id=${updateId}`)).status).toBe(401);
    session.actor = hr;
    const forbidden = await request(`?id=${updateId}`);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({ error: "You are not allowed to do this." });
  });

  it("gives an event's changed fields, sorted, values as JSON text; unchanged fields left out", async () => {
    session.actor = auditor;
    const res = await request(`?id=${updateId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(await res.json()).toEqual({
      changes: [
        { field: "name", before: '"张三"', after: '"李四"' },
        { field: "phone", after: '"138"' },
        { field: "title", before: '"<b>x</b>"' },
      ],
    });
    expect(await (await request(`?id=${plainId}`)).json()).toEqual({ changes: [{ field: null, before: '"a"', after: '"b"' }] });
  });

  it("answers an unknown event with 404 and a malformed or extra parameter with 400, never a 500", async () => {
    session.actor = auditor;
    expect((await request(`?id=${plainId + BigInt(1000)}`)).status).toBe(404);
    expect((await request("?id=abc")).status).toBe(400);
    expect((await request("?id=0")).status).toBe(400);
    expect((await request(`?id=${"9".repeat(30)}`)).status).toBe(400);
    expect((await request("")).status).toBe(400);
    expect((await request(`?id=${updateId}&entityType=Employee`)).status).toBe(400);
  });
});
