import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import { assignCase, closeCase, createCase, pauseCase, resolveCase, resumeCase } from "@/lib/service/commands";
import { caseScope } from "@/lib/service/scope";
import { assignSchema, closeSchema, CLOSURES, createCaseSchema } from "@/lib/service/schemas";
import { CASE_STATUSES, CASE_TYPES, PRIORITIES, SERVICE_CHANNELS } from "@/lib/service/sla";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";
import { cursorParam, defineApi, domainParse, idParam, iso, isoDateTime, limitParam, listOf } from "../define";
import { ApiProblem } from "../problem";

// Service cases (docs/api.md): the service desk's own commands (createCase, assignCase, pauseCase,
// resumeCase — the customer replied —, resolveCase, closeCase) and its case scope. Changes to a case need
// If-Match with the case's ETag, as the pages send the version they showed.

export const caseOut = z.object({
  id: z.string(),
  title: z.string(),
  customerName: z.string(),
  customerRef: z.string().nullable(),
  channel: z.enum(SERVICE_CHANNELS),
  caseType: z.enum(CASE_TYPES),
  priority: z.enum(PRIORITIES),
  status: z.enum(CASE_STATUSES),
  teamId: z.string(),
  assigneeId: z.string().nullable(),
  policyName: z.string(),
  receivedAt: isoDateTime,
  firstResponseDueAt: isoDateTime,
  resolutionDueAt: isoDateTime,
  firstResponseAt: isoDateTime.nullable(),
  resolvedAt: isoDateTime.nullable(),
  closedAt: isoDateTime.nullable(),
  pausedAt: isoDateTime.nullable(),
  nextDueAt: isoDateTime.nullable(),
  nextTarget: z.string().nullable(),
  sla: z.object({ breached: z.boolean().describe("A target (first response or resolution) passed without being met.") }),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

type CaseRow = Prisma.ServiceCaseGetPayload<object>;
function toOut(c: CaseRow, now = new Date()): z.output<typeof caseOut> {
  const breached =
    (c.firstResponseAt ? c.firstResponseAt > c.firstResponseDueAt : c.status !== "CLOSED" && c.status !== "RESOLVED" && now > c.firstResponseDueAt) ||
    (c.resolvedAt ? c.resolvedAt > c.resolutionDueAt : c.status === "OPEN" && now > c.resolutionDueAt);
  return {
    id: c.id,
    title: c.title,
    customerName: c.customerName,
    customerRef: c.customerRef,
    channel: c.channel,
    caseType: c.caseType,
    priority: c.priority,
    status: c.status,
    teamId: c.teamId,
    assigneeId: c.assigneeId,
    policyName: c.policyName,
    receivedAt: iso(c.receivedAt)!,
    firstResponseDueAt: iso(c.firstResponseDueAt)!,
    resolutionDueAt: iso(c.resolutionDueAt)!,
    firstResponseAt: iso(c.firstResponseAt),
    resolvedAt: iso(c.resolvedAt),
    closedAt: iso(c.closedAt),
    pausedAt: iso(c.pausedAt),
    nextDueAt: iso(c.nextDueAt),
    nextTarget: c.nextTarget,
    sla: { breached },
    version: c.version,
    createdAt: iso(c.createdAt)!,
    updatedAt: iso(c.updatedAt)!,
  };
}

async function scopedCase(actor: Actor, tx: Tx, id: string) {
  const c = await tx.serviceCase.findFirst({ where: { AND: [await caseScope(actor, tx), { id }] } });
  if (!c) throw new ApiProblem("not_found");
  return c;
}

export const listCasesOp = defineApi({
  method: "GET",
  path: "/service-cases",
  operationId: "listServiceCases",
  summary: "List service cases in the token owner's case scope, oldest first, with their SLA state.",
  tag: "Service",
  scope: "service:read",
  paginated: true,
  query: z.strictObject({ limit: limitParam(), cursor: cursorParam, status: z.enum(CASE_STATUSES).optional(), channel: z.enum(SERVICE_CHANNELS).optional(), priority: z.enum(PRIORITIES).optional() }),
  response: listOf(caseOut),
  async run({ actor, query, tx, after, page }) {
    const pos = after();
    const and: Prisma.ServiceCaseWhereInput[] = [await caseScope(actor, tx)];
    if (query.status) and.push({ status: query.status });
    if (query.channel) and.push({ channel: query.channel });
    if (query.priority) and.push({ priority: query.priority });
    if (pos) and.push({ OR: [{ createdAt: { gt: new Date(String(pos[0])) } }, { createdAt: new Date(String(pos[0])), id: { gt: String(pos[1]) } }] });
    const rows = await tx.serviceCase.findMany({ where: { AND: and }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: query.limit + 1 });
    const now = new Date();
    return { body: page(rows.map((c) => toOut(c, now)), query.limit, (c) => [c.createdAt, c.id]) };
  },
});

export const getCaseOp = defineApi({
  method: "GET",
  path: "/service-cases/{id}",
  operationId: "getServiceCase",
  summary: "One service case with its SLA state and ETag.",
  tag: "Service",
  scope: "service:read",
  params: idParam,
  etag: "returns",
  response: caseOut,
  async run({ actor, params, tx }) {
    const c = await scopedCase(actor, tx, params.id);
    return { body: toOut(c), version: c.version };
  },
});

const s = createCaseSchema.shape;
export const createCaseOp = defineApi({
  method: "POST",
  path: "/service-cases",
  operationId: "createServiceCase",
  summary: "Open a service case (the service desk's createCase: policy, SLA targets, audit).",
  tag: "Service",
  scope: "service:write",
  status: 201,
  body: z.strictObject({
    title: s.title,
    description: z.string().max(2000).optional(),
    customerName: s.customerName,
    customerRef: z.string().max(100).optional(),
    channel: z.enum(SERVICE_CHANNELS),
    caseType: z.enum(CASE_TYPES),
    priority: z.enum(PRIORITIES),
    teamId: z.string().max(64).optional().describe("A department (team); default: the token owner's department."),
    assigneeId: z.string().max(64).optional(),
    receivedAt: isoDateTime.optional().describe("When the customer wrote; default: now."),
  }),
  response: caseOut,
  async run({ actor, body, tx, audit, t }) {
    const { receivedAt, ...rest } = body;
    const input = await domainParse(createCaseSchema, rest, t);
    const { id } = await createCase({ actor, input: { ...input, receivedAt: receivedAt ? new Date(receivedAt) : undefined }, tx, audit });
    const c = await tx.serviceCase.findUniqueOrThrow({ where: { id } });
    return { body: toOut(c), version: c.version, location: `/api/v1/service-cases/${id}` };
  },
});

function transition(name: "pause" | "resume" | "customerReply" | "resolve") {
  const path = { pause: "pause", resume: "resume", customerReply: "customer-reply", resolve: "resolve" }[name];
  const summary = {
    pause: "Waiting on the customer: the resolution clock stops (pauseCase).",
    resume: "The clock starts again with the time that was left (resumeCase).",
    customerReply: "The customer replied: the case leaves WAITING_CUSTOMER and its clock runs again (resumeCase).",
    resolve: "Resolve the case (resolveCase).",
  }[name];
  const body =
    name === "pause"
      ? z.strictObject({ note: z.string().max(500).optional() })
      : name === "resolve"
        ? z.strictObject({ resolution: z.string().min(1).max(2000), at: isoDateTime.optional() })
        : z.strictObject({});
  return defineApi({
    method: "POST",
    path: `/service-cases/{id}/${path}`,
    operationId: `${name}ServiceCase`,
    summary,
    tag: "Service",
    scope: "service:write",
    params: idParam,
    etag: "requires",
    body,
    response: caseOut,
    async run({ actor, params, body, tx, audit, ifMatch }) {
      const ctx = { actor, tx, audit };
      const b = body as { note?: string; resolution?: string; at?: string };
      const ref = { id: params.id, version: ifMatch! };
      await scopedCase(actor, tx, params.id);
      if (name === "pause") await pauseCase({ ...ctx, input: { ...ref, note: b.note } });
      else if (name === "resolve") await resolveCase({ ...ctx, input: { ...ref, resolution: b.resolution!, at: b.at ? new Date(b.at) : undefined } });
      else await resumeCase({ ...ctx, input: ref });
      const c = await tx.serviceCase.findUniqueOrThrow({ where: { id: params.id } });
      return { body: toOut(c), version: c.version };
    },
  });
}

export const pauseCaseOp = transition("pause");
export const resumeCaseOp = transition("resume");
export const customerReplyOp = transition("customerReply");
export const resolveCaseOp = transition("resolve");

export const assignCaseOp = defineApi({
  method: "POST",
  path: "/service-cases/{id}/assign",
  operationId: "assignServiceCase",
  summary: "Assign the case to an agent (assignCase): an agent takes an unassigned case of their queue with their own id; a team lead (service.manage) assigns anyone in the team.",
  tag: "Service",
  scope: "service:write",
  params: idParam,
  etag: "requires",
  body: z.strictObject({ assigneeId: z.string().min(1).max(64).describe("An active employee's id.") }),
  response: caseOut,
  async run({ actor, params, body, tx, audit, ifMatch, t }) {
    await scopedCase(actor, tx, params.id);
    const input = await domainParse(assignSchema, { id: params.id, version: ifMatch, assigneeId: body.assigneeId }, t);
    await assignCase({ actor, tx, audit, input });
    const c = await tx.serviceCase.findUniqueOrThrow({ where: { id: params.id } });
    return { body: toOut(c), version: c.version };
  },
});

export const closeCaseOp = defineApi({
  method: "POST",
  path: "/service-cases/{id}/close",
  operationId: "closeServiceCase",
  summary: "Close a resolved case (closeCase). A complaint closes only with the loop closed: closure CONFIRMED (the customer confirmed) or NO_ANSWER with the follow-up note.",
  tag: "Service",
  scope: "service:write",
  params: idParam,
  etag: "requires",
  body: z.strictObject({ closure: z.enum(CLOSURES).optional(), note: z.string().min(1).max(1000).optional() }),
  response: caseOut,
  async run({ actor, params, body, tx, audit, ifMatch, t }) {
    await scopedCase(actor, tx, params.id);
    const input = await domainParse(closeSchema, { id: params.id, version: ifMatch, closure: body.closure, note: body.note }, t);
    await closeCase({ actor, tx, audit, input });
    const c = await tx.serviceCase.findUniqueOrThrow({ where: { id: params.id } });
    return { body: toOut(c), version: c.version };
  },
});
