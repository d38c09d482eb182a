import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { hashToken } from "@/lib/api-tokens/tokens";
import { permissionsOf, ROLES } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/server/actor";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { usePiiKey } from "../privacy/helpers";

// Issue 13 item 11: control characters in a query or filter parameter never reach PostgreSQL
// (NUL gave a 500 page or a CSV cut off after its header: 22021). Every GET route handler under
// app/ and every list page's URL schema gets NUL and other control characters in every parameter
// any of them reads; the answer is a 4xx or a complete (possibly empty) result, never a 500.
// Stood in for: the session (one person holding every role), the language, Next's cache.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

/** Every parameter name a list, filter or export of this app reads (a superset for each route). */
const PARAMS = ["q", "page", "pageSize", "sort", "dir", "status", "type", "kind", "overdue", "department", "holder", "platformId", "phone", "mine", "owner", "ownerless", "archive", "classification", "platform", "review", "state", "channel", "purpose", "subject", "identifier", "collector", "withdrawnDays", "after", "before", "view", "caseType", "priority", "course", "licence", "from", "to", "days", "table", "actor", "entityType", "entityId", "action", "what", "subjectId", "wecomId", "email", "separate", "id", "fileName", "part", "parts", "size", "accountId", "tab", "fresh", "team"];
const HOSTILE = ["\u0000", "a\u0000b", "张\u0000三", "\u0001\u0008\u000b\u001f", "x\u007f\u0085\u009f", "a\tb\r\nc", "%00"];

const appDir = path.resolve(import.meta.dirname, "../../app");
function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "auth" && dir.endsWith(`${path.sep}api`) ? [] : routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}
const ROUTES = routeFiles(appDir).map((f) => path.relative(appDir, f));

let db: TestDb;
const TOKEN = "wgp_controlcharacterstesttoken000000000000";

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  const person = await db.prisma.$transaction(async (tx) => {
    const dept = await makeDepartment(tx, { name: "总公司", code: "HQ" });
    return makeEmployee(tx, { departmentId: dept.id, email: "everything@example.test", roles: [...ROLES] });
  });
  const e = await db.prisma.employee.findUniqueOrThrow({ where: { id: person.id }, include: { department: true } });
  session.actor = { id: e.id, name: e.name, email: e.email, roles: [...ROLES], permissions: permissionsOf([...ROLES]), departmentId: e.departmentId, departmentPath: e.department.path, ip: "127.0.0.1" };
  await db.prisma.apiToken.create({ data: { name: "t", prefix: TOKEN.slice(0, 12), tokenHash: hashToken(TOKEN), ownerId: e.id, createdById: e.id } });
});
afterAll(async () => db?.close());

describe("control characters in query parameters", () => {
  it("finds the route handlers (the export, import and API routes)", () => {
    expect(ROUTES.length).toBeGreaterThanOrEqual(17);
    expect(ROUTES).toContain(path.join("api", "groups", "export", "route.ts"));
    expect(ROUTES).toContain(path.join("(portal)", "privacy", "consents", "export", "route.ts"));
  });

  it.each(ROUTES)("GET %s answers a 4xx or a complete result, never a 500", async (file) => {
    const mod = (await import(/* @vite-ignore */ path.join(appDir, file))) as { GET?: (request: Request) => Promise<Response> };
    if (!mod.GET) return;
    for (const value of HOSTILE) {
      const query = new URLSearchParams(PARAMS.map((p) => [p, value]));
      const response = await mod.GET(new Request(`http://localhost/${file}?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } }));
      const body = await response.text(); // a stream that breaks off throws here
      expect(response.status, `${file} with ${JSON.stringify(value)}: ${body.slice(0, 200)}`).toBeLessThan(500);
      expect(body).not.toContain("\u0000");
    }
  });
});

/** Every string in a parsed value. */
const strings = (v: unknown): string[] => (typeof v === "string" ? [v] : v && typeof v === "object" ? Object.values(v).flatMap(strings) : []);

describe("list pages' URL schemas", async () => {
  const schemas: Record<string, z.ZodType> = {
    accounts: (await import("@/lib/accounts/schemas")).accountListSchema,
    accountContacts: (await import("@/lib/accounts/schemas")).contactListSchema,
    approvalsInbox: (await import("@/lib/approvals/schemas")).inboxParamsSchema,
    approvalRequests: (await import("@/lib/approvals/request-list")).requestListSchema,
    audit: (await import("@/lib/audit/schemas")).auditFilterSchema,
    content: (await import("@/lib/content/schemas")).submissionListSchema,
    contentMedia: (await import("@/lib/content/schemas")).mediaListSchema,
    contentPublications: (await import("@/lib/content/schemas")).publicationListSchema,
    dashboard: (await import("@/lib/dashboard/schemas")).dashboardParamsSchema,
    employees: (await import("@/lib/directory/schemas")).employeeListSchema,
    groups: (await import("@/lib/groups/schemas")).groupListSchema,
    offboarding: (await import("@/lib/offboarding/schemas")).caseListSchema,
    offboardingItems: (await import("@/lib/offboarding/schemas")).itemListSchema,
    offboardingBulk: (await import("@/lib/offboarding/schemas")).itemFilterSchema,
    privacyCheck: (await import("@/lib/privacy/schemas")).checkQuerySchema,
    consents: (await import("@/lib/privacy/schemas")).consentListSchema,
    privacyRequests: (await import("@/lib/privacy/schemas")).requestListSchema,
    service: (await import("@/lib/service/schemas")).caseListSchema,
    serviceReports: (await import("@/lib/service/schemas")).reportParamsSchema,
    training: (await import("@/lib/training/schemas")).overviewSchema,
    trainingBulkRemind: (await import("@/lib/training/schemas")).bulkRemindSchema,
  };

  it.each(Object.keys(schemas))("%s: refuses the value or keeps no control character", (name) => {
    for (const value of HOSTILE.filter((v) => v !== "%00")) {
      const parsed = schemas[name].safeParse(Object.fromEntries(PARAMS.map((p) => [p, value])));
      if (!parsed.success) continue; // refused: the page shows the message, nothing is queried
      for (const s of strings(parsed.data)) expect(s, `${name} with ${JSON.stringify(value)}`).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
    }
  });
});
