import type { z } from "zod";
import type { ActionContext } from "@/lib/server/action";
import type { Actor } from "@/lib/server/actor";
import { DomainError } from "@/lib/server/errors";
import type { DbClient } from "@/lib/server/prisma-client";
import { inUnitOfWork } from "@/lib/server/unit-of-work";

// Runs a domain command the way defineAction does (zod, then one unit of work with its audit)
// and reports the outcome as data: the code, the field and the untranslated message keys.
export type Outcome<T> =
  | { ok: true; data: T }
  | { ok: false; code: string; messageKey?: string; field?: string; params?: Record<string, string | number>; fieldErrors?: Record<string, string[]> };

export async function run<S extends z.ZodType, T>(
  prisma: DbClient,
  actor: Actor,
  schema: S,
  raw: Record<string, unknown>,
  command: (ctx: ActionContext<z.output<S>>) => Promise<T>,
): Promise<Outcome<T>> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.map(String).join(".") || "_form"] ??= []).push(issue.message);
    return { ok: false, code: "VALIDATION", fieldErrors };
  }
  try {
    const data = await inUnitOfWork(prisma, actor, ({ tx, audit }) => command({ actor, input: parsed.data, tx, audit }));
    return { ok: true, data };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, code: error.code, messageKey: error.messageKey, field: error.options.field, params: error.options.params };
    throw error;
  }
}

export function expectOk<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  return outcome.data;
}
