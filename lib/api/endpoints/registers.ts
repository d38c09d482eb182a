import { z } from "zod";
import { ACCOUNT_STATUSES, ACCOUNT_TYPES } from "@/lib/accounts/schemas";
import { registryWhere as accountWhere } from "@/lib/accounts/queries";
import { loadDashboard } from "@/lib/dashboard/compute";
import { resolveDashboardScope } from "@/lib/dashboard/scope";
import type { Prisma } from "@/lib/generated/prisma/client";
import { CLASSIFICATIONS, GROUP_STATUSES, KINDS, PLATFORMS, REVIEW_STATES } from "@/lib/groups/schemas";
import { registryWhere as groupWhere } from "@/lib/groups/queries";
import { caseDetail } from "@/lib/offboarding/queries";
import { trainingScope } from "@/lib/training/scope";
import { cursorParam, defineApi, iso, isoDateTime, isoDay, limitParam, listOf } from "../define";
import { ApiProblem } from "../problem";

// Read-only registers (docs/api.md): work groups and accounts with the registries' own filters
// and scope (registryWhere), offboarding cases (the offboarding domain's read permission and
// caseDetail), training assignments (the training scope), dashboard figures (the dashboard's
// scope and loadDashboard).

const keysetAfter = (pos: (string | number)[] | null) =>
  pos ? { OR: [{ createdAt: { gt: new Date(String(pos[0])) } }, { createdAt: new Date(String(pos[0])), id: { gt: String(pos[1]) } }] } : {};

// ---------------------------------------------------------------------------------------------
// Work groups

export const groupOut = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(GROUP_STATUSES),
  platform: z.enum(PLATFORMS),
  kind: z.enum(KINDS),
  classification: z.enum(CLASSIFICATIONS),
  departmentId: z.string(),
  ownerId: z.string().nullable(),
  purpose: z.string(),
  reviewDueAt: isoDateTime.nullable(),
  internalMemberCount: z.number().int().nullable(),
  externalMemberCount: z.number().int().nullable(),
  version: z.number().int(),
  createdAt: isoDateTime,
});

export const listGroupsOp = defineApi({
  method: "GET",
  path: "/work-groups",
  operationId: "listWorkGroups",
  summary: "The work-group registry, with its filters and the token owner's scope, oldest first.",
  tag: "Registers",
  scope: "groups:read",
  paginated: true,
  query: z.strictObject({
    limit: limitParam(),
    cursor: cursorParam,
    status: z.enum(GROUP_STATUSES).optional(),
    classification: z.enum(CLASSIFICATIONS).optional(),
    kind: z.enum(KINDS).optional(),
    platform: z.enum(PLATFORMS).optional(),
    review: z.enum(REVIEW_STATES).optional(),
    department: z.string().max(64).optional(),
    owner: z.string().max(100).optional().describe("Part of the owner's name, e-mail or employee number."),
  }),
  response: listOf(groupOut),
  async run({ actor, query, tx, after, page }) {
    const { limit, cursor: _c, ...filters } = query;
    void _c;
    const where = await groupWhere(actor, tx, filters as Parameters<typeof groupWhere>[2], new Date());
    const rows = await tx.workGroup.findMany({ where: { AND: [where, keysetAfter(after())] }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit + 1 });
    const out = rows.map((g) => ({
      id: g.id,
      name: g.name,
      status: g.status,
      platform: g.platform,
      kind: g.kind,
      classification: g.classification,
      departmentId: g.departmentId,
      ownerId: g.ownerId,
      purpose: g.purpose,
      reviewDueAt: iso(g.reviewDueAt),
      internalMemberCount: g.internalMemberCount,
      externalMemberCount: g.externalMemberCount,
      version: g.version,
      createdAt: iso(g.createdAt)!,
    }));
    return { body: page(out, limit, (g) => [g.createdAt, g.id]) };
  },
});

// ---------------------------------------------------------------------------------------------
// Accounts

export const accountOut = z.object({
  id: z.string(),
  type: z.enum(ACCOUNT_TYPES),
  status: z.enum(ACCOUNT_STATUSES),
  displayName: z.string(),
  platformIdMask: z.string().describe("Masked; the whole identifier only on the page, for accounts.reveal, audited."),
  phoneMask: z.string().nullable(),
  holderId: z.string().nullable(),
  custodianDepartmentId: z.string(),
  version: z.number().int(),
  createdAt: isoDateTime,
});

export const listAccountsOp = defineApi({
  method: "GET",
  path: "/accounts",
  operationId: "listAccounts",
  summary: "The company-account registry, with its filters and the token owner's scope, oldest first (identifiers masked).",
  tag: "Registers",
  scope: "accounts:read",
  paginated: true,
  query: z.strictObject({
    limit: limitParam(),
    cursor: cursorParam,
    type: z.enum(ACCOUNT_TYPES).optional(),
    status: z.enum(ACCOUNT_STATUSES).optional(),
    department: z.string().max(64).optional(),
    holder: z.string().max(100).optional().describe("Part of the holder's name, e-mail or employee number."),
  }),
  response: listOf(accountOut),
  async run({ actor, query, tx, after, page }) {
    const { limit, cursor: _c, ...filters } = query;
    void _c;
    const where = await accountWhere(actor, tx, filters as Parameters<typeof accountWhere>[2]);
    const rows = await tx.account.findMany({
      where: { AND: [where, keysetAfter(after())] },
      select: { id: true, type: true, status: true, displayName: true, platformIdMask: true, phoneMask: true, holderId: true, custodianDepartmentId: true, version: true, createdAt: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: limit + 1,
    });
    return { body: page(rows.map((a) => ({ ...a, createdAt: iso(a.createdAt)! })), limit, (a) => [a.createdAt, a.id]) };
  },
});

// ---------------------------------------------------------------------------------------------
// Offboarding cases

export const offboardingOut = z.object({
  id: z.string(),
  employeeId: z.string(),
  lastWorkingDay: z.string(),
  status: z.enum(["OPEN", "CLOSED", "CANCELLED"]),
  departedAt: isoDateTime.nullable(),
  closedAt: isoDateTime.nullable(),
  version: z.number().int(),
  createdAt: isoDateTime,
});

type CaseRow = Prisma.OffboardingCaseGetPayload<object>;
const caseOut = (c: CaseRow) => ({ id: c.id, employeeId: c.employeeId, lastWorkingDay: isoDay(c.lastWorkingDay)!, status: c.status, departedAt: iso(c.departedAt), closedAt: iso(c.closedAt), version: c.version, createdAt: iso(c.createdAt)! });

const requireOffboardingRead = (permissions: ReadonlySet<string>) => {
  if (!permissions.has("offboarding.read") && !permissions.has("offboarding.manage")) throw new ApiProblem("forbidden");
};

export const listOffboardingOp = defineApi({
  method: "GET",
  path: "/offboarding-cases",
  operationId: "listOffboardingCases",
  summary: "Offboarding cases, oldest first.",
  tag: "Registers",
  scope: "offboarding:read",
  paginated: true,
  query: z.strictObject({ limit: limitParam(), cursor: cursorParam, status: z.enum(["OPEN", "CLOSED", "CANCELLED"]).optional(), employee: z.string().max(64).optional() }),
  response: listOf(offboardingOut),
  async run({ actor, query, tx, after, page }) {
    requireOffboardingRead(actor.permissions);
    const rows = await tx.offboardingCase.findMany({
      where: { AND: [query.status ? { status: query.status } : {}, query.employee ? { employeeId: query.employee } : {}, keysetAfter(after())] },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: query.limit + 1,
    });
    return { body: page(rows.map(caseOut), query.limit, (c) => [c.createdAt, c.id]) };
  },
});

export const getOffboardingOp = defineApi({
  method: "GET",
  path: "/offboarding-cases/{id}",
  operationId: "getOffboardingCase",
  summary: "One offboarding case with its handover items counted by kind and state.",
  tag: "Registers",
  scope: "offboarding:read",
  params: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9]{1,64}$/) }),
  etag: "returns",
  response: offboardingOut.extend({ items: z.array(z.object({ kind: z.string(), status: z.string(), count: z.number().int() })) }),
  async run({ actor, params, tx }) {
    requireOffboardingRead(actor.permissions);
    const exists = await tx.offboardingCase.findUnique({ where: { id: params.id } });
    if (!exists) throw new ApiProblem("not_found");
    const detail = await caseDetail(actor, tx, params.id);
    const items = Object.entries(detail.counts).flatMap(([kind, byStatus]) => Object.entries(byStatus).map(([status, count]) => ({ kind, status, count: count ?? 0 })));
    return { body: { ...caseOut(exists), items }, version: exists.version };
  },
});

// ---------------------------------------------------------------------------------------------
// Training assignments

export const assignmentOut = z.object({
  id: z.string(),
  employeeId: z.string(),
  departmentId: z.string(),
  courseId: z.string(),
  courseTitle: z.string(),
  courseTitleEn: z.string(),
  status: z.enum(["ASSIGNED", "COMPLETED"]),
  overdue: z.boolean(),
  assignedAt: isoDateTime,
  dueAt: isoDateTime,
  completedAt: isoDateTime.nullable(),
  score: z.number().int().nullable(),
  createdAt: isoDateTime,
});

export const listAssignmentsOp = defineApi({
  method: "GET",
  path: "/training-assignments",
  operationId: "listTrainingAssignments",
  summary: "Current training assignments in the token owner's training scope; filter by state and department.",
  tag: "Training",
  scope: "training:read",
  paginated: true,
  query: z.strictObject({
    limit: limitParam(),
    cursor: cursorParam,
    state: z.enum(["assigned", "completed", "overdue"]).optional(),
    department: z.string().max(64).optional().describe("A department id; with its sub-departments."),
  }),
  response: listOf(assignmentOut),
  async run({ actor, query, tx, after, page }) {
    const scope = trainingScope(actor);
    if (!scope) throw new ApiProblem("forbidden");
    const now = new Date();
    const and: Prisma.TrainingAssignmentWhereInput[] = [{ current: true }];
    // The people of a subtree (the training scope, and the department filter inside it).
    const peopleUnder = async (path: string) => (await tx.employee.findMany({ where: { department: { path: { startsWith: path } } }, select: { id: true } })).map((e) => e.id);
    if (scope.kind === "department") and.push({ employeeId: { in: await peopleUnder(scope.path) } });
    if (query.department) {
      const d = await tx.department.findUnique({ where: { id: query.department }, select: { path: true } });
      and.push({ employeeId: { in: d ? await peopleUnder(d.path) : [] } });
    }
    if (query.state === "assigned") and.push({ status: "ASSIGNED" });
    if (query.state === "completed") and.push({ status: "COMPLETED" });
    if (query.state === "overdue") and.push({ status: "ASSIGNED", dueAt: { lt: now } });
    and.push(keysetAfter(after()));
    const rows = await tx.trainingAssignment.findMany({
      where: { AND: and },
      select: { id: true, employeeId: true, courseId: true, status: true, assignedAt: true, dueAt: true, completedAt: true, score: true, createdAt: true, course: { select: { titleZh: true, titleEn: true } } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: query.limit + 1,
    });
    const departments = new Map((await tx.employee.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.employeeId))] } }, select: { id: true, departmentId: true } })).map((e) => [e.id, e.departmentId]));
    const out = rows.map((a) => ({
      id: a.id,
      employeeId: a.employeeId,
      departmentId: departments.get(a.employeeId) ?? "",
      courseId: a.courseId,
      courseTitle: a.course.titleZh,
      courseTitleEn: a.course.titleEn,
      status: a.status,
      overdue: a.status === "ASSIGNED" && a.dueAt < now,
      assignedAt: iso(a.assignedAt)!,
      dueAt: iso(a.dueAt)!,
      completedAt: iso(a.completedAt),
      score: a.score,
      createdAt: iso(a.createdAt)!,
    }));
    return { body: page(out, query.limit, (a) => [a.createdAt, a.id]) };
  },
});

// ---------------------------------------------------------------------------------------------
// Dashboard

export const dashboardOut = z.object({
  scope: z.object({ departmentId: z.string().nullable(), name: z.string().nullable() }),
  score: z.number().nullable(),
  figuresAt: isoDateTime,
  figures: z.array(
    z.object({
      key: z.string(),
      domain: z.string(),
      kind: z.enum(["rate", "count", "max"]),
      value: z.number().nullable(),
      state: z.enum(["green", "amber", "red", "none"]),
      target: z.object({ green: z.number(), amber: z.number() }),
      trend: z.array(z.object({ week: z.string(), value: z.number().nullable() })),
    }),
  ),
});

export const getDashboardOp = defineApi({
  method: "GET",
  path: "/dashboard",
  operationId: "getDashboard",
  summary: "The dashboard's figures for the token owner's scope (or a department inside it), with their targets and 12-week trends.",
  tag: "Dashboard",
  scope: "dashboard:read",
  query: z.strictObject({ department: z.string().max(64).optional() }),
  response: dashboardOut,
  async run({ actor, query, tx }) {
    const scope = await resolveDashboardScope(actor, tx, query.department ?? null);
    const d = await loadDashboard(tx, scope);
    return {
      body: {
        scope: { departmentId: scope.departmentId, name: scope.name },
        score: d.score,
        figuresAt: iso(d.figuresAt)!,
        figures: d.figures.map((f) => ({ key: f.def.key, domain: f.def.domain, kind: f.def.kind, value: f.value, state: f.state, target: f.target, trend: f.trend })),
      },
      count: d.figures.length,
    };
  },
});
