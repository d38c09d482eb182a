"use server";
import type { ActionResult } from "@/lib/forms";
import { defineAction } from "@/lib/server/action";
import { assignCase, closeCase, createCase, pauseCase, recordFirstResponse, resolveCase, resumeCase, type CaseResult } from "./commands";
import { confirmCaseImport, discardCaseImport, stageCaseImport } from "./import";
import { deletePolicy, savePolicy } from "./policies";
import { enqueueDispatch } from "@/lib/notifications/queue";
import { scheduleEscalation } from "./schedule";
import { assignSchema, caseRefSchema, closeSchema, createCaseSchema, firstResponseSchema, importRefSchema, importTextSchema, pauseSchema, policyRefSchema, policySchema, resolveSchema } from "./schemas";

// The service cases' Server Actions: defineAction (session → actor → zod → permission →
// transaction → command → audit), then, once committed, the complaint's escalation job is queued
// for the moment of breach; a complaint escalated by the command itself has its manager's urgent
// message dispatched at once (lib/notifications/queue.ts).

const casePaths = ({ id }: { id: string }) => ["/service", `/service/${id}`, "/service/reports", "/"];

function withEscalation<I>(action: (prev: unknown, raw: FormData | Record<string, unknown>) => Promise<ActionResult<CaseResult>>) {
  return async (prev: I, raw: FormData | Record<string, unknown>): Promise<ActionResult<CaseResult>> => {
    const result = await action(prev, raw);
    if (result.ok) await scheduleEscalation(result.data.id, result.data.escalateAt);
    if (result.ok && result.data.escalated) await enqueueDispatch();
    return result;
  };
}

const create = defineAction({ schema: createCaseSchema, permission: ["service.work", "service.manage"], run: createCase, revalidate: casePaths });
const assign = defineAction({ schema: assignSchema, permission: ["service.work", "service.manage"], run: assignCase, revalidate: casePaths });
const respond = defineAction({ schema: firstResponseSchema, permission: ["service.work", "service.manage"], run: recordFirstResponse, revalidate: casePaths });
const pause = defineAction({ schema: pauseSchema, permission: ["service.work", "service.manage"], run: pauseCase, revalidate: casePaths });
const resume = defineAction({ schema: caseRefSchema, permission: ["service.work", "service.manage"], run: resumeCase, revalidate: casePaths });
const resolve = defineAction({ schema: resolveSchema, permission: ["service.work", "service.manage"], run: resolveCase, revalidate: casePaths });
const close = defineAction({ schema: closeSchema, permission: ["service.work", "service.manage"], run: closeCase, revalidate: casePaths });

export async function createCaseAction(prev: unknown, raw: FormData | Record<string, unknown>) {
  return withEscalation(create)(prev, raw);
}
export async function assignCaseAction(prev: unknown, raw: FormData | Record<string, unknown>) {
  return withEscalation(assign)(prev, raw);
}
export async function firstResponseAction(prev: unknown, raw: FormData | Record<string, unknown>) {
  return withEscalation(respond)(prev, raw);
}
export async function pauseCaseAction(prev: unknown, raw: FormData | Record<string, unknown>) {
  return withEscalation(pause)(prev, raw);
}
export async function resumeCaseAction(prev: unknown, raw: FormData | Record<string, unknown>) {
  return withEscalation(resume)(prev, raw);
}
export async function resolveCaseAction(prev: unknown, raw: FormData | Record<string, unknown>) {
  return withEscalation(resolve)(prev, raw);
}
export async function closeCaseAction(prev: unknown, raw: FormData | Record<string, unknown>) {
  return withEscalation(close)(prev, raw);
}

export const savePolicyAction = defineAction({ schema: policySchema, permission: "sla.configure", run: savePolicy, revalidate: () => ["/settings/sla"] });
export const deletePolicyAction = defineAction({ schema: policyRefSchema, permission: "sla.configure", run: deletePolicy, revalidate: () => ["/settings/sla"] });

export const stageImportAction = defineAction({ schema: importTextSchema, permission: "service.manage", run: stageCaseImport, revalidate: () => ["/service/import"] });
export const confirmImportAction = defineAction({ schema: importRefSchema, permission: "service.manage", run: confirmCaseImport, afterCommit: (r) => (r.escalated > 0 ? enqueueDispatch() : Promise.resolve(null)), revalidate: (r) => ["/service", "/service/import", `/service/import/${r.importId}`, "/service/reports"] });
export const discardImportAction = defineAction({ schema: importRefSchema, permission: "service.manage", run: discardCaseImport, revalidate: (r) => ["/service/import", `/service/import/${r.importId}`] });
