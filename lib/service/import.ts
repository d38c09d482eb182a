import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ActionContext } from "@/lib/server/action";
import { DomainError, forbidden, notFound } from "@/lib/server/errors";
import { caseData, loadPolicies } from "./commands";
import { escalateIfBreached } from "./escalation";
import { parseCaseCsv, type StagedRow } from "./import-parse";

// CSV import of service cases (service.manage): the file is read and every row checked and
// staged (service_case_imports.rows), shown as a preview, and only on confirmation turned into
// cases — all of them in one transaction, or none: a file with any invalid row (an unknown
// channel or priority, a case resolved before it was received, a team or agent not found) is
// refused with every problem listed, and nothing changes.

const ENTITY = "ServiceCaseImport";

function requireManage(actor: { permissions: ReadonlySet<string> }) {
  if (!actor.permissions.has("service.manage")) throw forbidden();
}

/** Rows checked against the directory: the team's code and the agent's e-mail or number. */
async function resolveReferences(tx: ActionContext<unknown>["tx"], rows: StagedRow[]): Promise<StagedRow[]> {
  const codes = [...new Set(rows.flatMap((r) => (r.parsed ? [r.parsed.teamCode] : [])))];
  const agents = [...new Set(rows.flatMap((r) => (r.parsed?.assignee ? [r.parsed.assignee.toLowerCase()] : [])))];
  const teams = new Map((await tx.department.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } })).map((d) => [d.code, d.id]));
  const people = await tx.employee.findMany({
    where: { OR: [{ email: { in: agents } }, { employeeNo: { in: agents.map((a) => a.toUpperCase()) } }] },
    select: { id: true, email: true, employeeNo: true, status: true },
  });
  const byKey = new Map<string, { id: string; status: string }>();
  for (const p of people) {
    byKey.set(p.email.toLowerCase(), p);
    byKey.set(p.employeeNo.toLowerCase(), p);
  }
  return rows.map((r) => {
    if (!r.parsed) return r;
    const problems = [...r.problems];
    if (!teams.has(r.parsed.teamCode)) problems.push({ field: "team", key: "service.import.problems.unknownTeam", params: { value: r.parsed.teamCode } });
    if (r.parsed.assignee) {
      const p = byKey.get(r.parsed.assignee.toLowerCase());
      if (!p || p.status !== "ACTIVE") problems.push({ field: "assignee", key: "service.import.problems.unknownAssignee", params: { value: r.parsed.assignee } });
    }
    return problems.length ? { ...r, problems, parsed: null } : r;
  });
}

export async function stageCaseImport({ actor, input, tx, audit }: ActionContext<{ fileName: string; csv: string }>): Promise<{ importId: string }> {
  requireManage(actor);
  const { rows: parsed, fileProblem } = parseCaseCsv(input.csv);
  if (fileProblem) throw new DomainError("VALIDATION", fileProblem.key, { field: "csv", params: fileProblem.params });
  const rows = await resolveReferences(tx, parsed);
  const invalid = rows.filter((r) => !r.parsed).length;
  const created = await tx.serviceCaseImport.create({
    data: { createdById: actor.id, fileName: input.fileName, totalRows: rows.length, validCount: rows.length - invalid, invalidCount: invalid, rows: rows as unknown as Prisma.InputJsonValue },
  });
  await audit({ action: "service.importStage", entityType: ENTITY, entityId: created.id, before: null, after: { fileName: input.fileName, rows: rows.length, invalid } });
  return { importId: created.id };
}

export async function confirmCaseImport({ actor, input, tx, audit }: ActionContext<{ importId: string }>, now = new Date()): Promise<{ importId: string; created: number; escalated: number }> {
  requireManage(actor);
  await tx.$queryRaw`SELECT "id" FROM "service_case_imports" WHERE "id" = ${input.importId} FOR UPDATE`;
  const imp = await tx.serviceCaseImport.findUnique({ where: { id: input.importId } });
  if (!imp) throw notFound();
  if (imp.status !== "READY") throw new DomainError("INVALID_STATE", "service.import.notReady");
  if (imp.invalidCount > 0) throw new DomainError("INVALID_STATE", "service.import.hasInvalid", { params: { count: imp.invalidCount } });
  // Checked again: the directory may have changed since the preview.
  const rows = await resolveReferences(tx, imp.rows as unknown as StagedRow[]);
  const stillInvalid = rows.filter((r) => !r.parsed).length;
  if (stillInvalid > 0) throw new DomainError("INVALID_STATE", "service.import.hasInvalid", { params: { count: stillInvalid } });
  const teams = new Map((await tx.department.findMany({ where: { code: { in: rows.map((r) => r.parsed!.teamCode) } }, select: { id: true, code: true } })).map((d) => [d.code, d.id]));
  const agentKeys = rows.flatMap((r) => (r.parsed!.assignee ? [r.parsed!.assignee.toLowerCase()] : []));
  const people = await tx.employee.findMany({ where: { OR: [{ email: { in: agentKeys } }, { employeeNo: { in: agentKeys.map((a) => a.toUpperCase()) } }] }, select: { id: true, email: true, employeeNo: true } });
  const agent = (key: string | null) => (key ? (people.find((p) => p.email.toLowerCase() === key.toLowerCase() || p.employeeNo.toLowerCase() === key.toLowerCase())?.id ?? null) : null);
  const policies = await loadPolicies(tx);
  const calendars = new Map();
  const data = [];
  for (const r of rows) {
    const p = r.parsed!;
    data.push(
      await caseData(
        tx,
        policies,
        calendars,
        {
          title: p.title,
          customerName: p.customerName,
          customerRef: p.customerRef,
          channel: p.channel,
          caseType: p.caseType,
          priority: p.priority,
          teamId: teams.get(p.teamCode)!,
          assigneeId: agent(p.assignee),
          receivedAt: new Date(p.receivedAt),
          firstResponseAt: p.firstResponseAt ? new Date(p.firstResponseAt) : null,
          resolvedAt: p.resolvedAt ? new Date(p.resolvedAt) : null,
          resolution: p.resolution,
          importId: imp.id,
        },
        actor.id,
      ),
    );
  }
  const { count } = await tx.serviceCase.createMany({ data });
  const moved = await tx.serviceCaseImport.updateMany({ where: { id: imp.id, status: "READY" }, data: { status: "CONFIRMED", confirmedAt: now } });
  if (moved.count !== 1) throw new DomainError("INVALID_STATE", "service.import.notReady");
  await audit({ action: "service.importConfirm", entityType: ENTITY, entityId: imp.id, before: { status: "READY" }, after: { status: "CONFIRMED", created: count } });
  // Imported complaints already past their due time are escalated now, like any other.
  const complaints = await tx.serviceCase.findMany({ where: { importId: imp.id, caseType: "COMPLAINT", status: "OPEN", nextDueAt: { lt: now } }, select: { id: true } });
  let escalated = 0;
  for (const c of complaints) if (await escalateIfBreached(tx, audit, c.id, now, "command")) escalated++;
  return { importId: imp.id, created: count, escalated };
}

export async function discardCaseImport({ actor, input, tx, audit }: ActionContext<{ importId: string }>): Promise<{ importId: string }> {
  requireManage(actor);
  const { count } = await tx.serviceCaseImport.updateMany({ where: { id: input.importId, status: "READY" }, data: { status: "DISCARDED" } });
  if (count !== 1) throw new DomainError("INVALID_STATE", "service.import.notReady");
  await audit({ action: "service.importDiscard", entityType: ENTITY, entityId: input.importId, before: { status: "READY" }, after: { status: "DISCARDED" } });
  return { importId: input.importId };
}
