import "server-only";
import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import { fieldErrorsFrom, type ActionResult } from "@/lib/forms";
import { getI18n } from "@/lib/i18n/server";
import { formDataToObject } from "@/lib/validation";
import { getActor, type Actor } from "./actor";
import type { AuditInput } from "./audit-write";
import { db, type Tx } from "./db";
import { DomainError } from "./errors";
import { inUnitOfWork } from "./unit-of-work";
import { zodLocaleError } from "./zod-locale";

export type ActionContext<I> = {
  actor: Actor;
  input: I;
  tx: Tx;
  /** Records one audit event in this action's transaction. */
  audit: (event: AuditInput) => Promise<void>;
};

type Options<S extends z.ZodType, T> = {
  schema: S;
  /** The actor must hold at least one of these; finer rules (scope, segregation of duties) live
   * in the command, inside its queries. */
  permission: Permission | readonly Permission[] | "signed-in";
  run: (ctx: ActionContext<z.output<S>>) => Promise<T>;
  /** Paths whose pages show what this action changed. */
  revalidate?: (data: T) => string | string[];
  /** Changes must be audited; the wrapper refuses to commit one that wrote no audit event. */
  mutation?: boolean;
  /** Work that must follow the commit, never precede it (queueing the WeCom outbox's job, say).
   * Best-effort: a failure is logged, not reported, so the committed result stands; whatever it
   * starts must also be picked up by a schedule. */
  afterCommit?: (data: T) => Promise<unknown>;
};

/**
 * The one path of every Server Action: session → actor → zod → permission → transaction →
 * command → audit → typed result. Server Actions are public endpoints; an action that skips this
 * wrapper is a defect.
 */
export function defineAction<S extends z.ZodType, T>(options: Options<S, T>) {
  return async function action(_prev: unknown, raw: FormData | Record<string, unknown>): Promise<ActionResult<T>> {
    const { t, locale } = await getI18n();
    try {
      const actor = await getActor();
      if (!actor) return { ok: false, code: "UNAUTHENTICATED", formError: t("errors.unauthenticated") };

      const data = raw instanceof FormData ? formDataToObject(raw) : raw;
      const parsed = options.schema.safeParse(data, { error: zodLocaleError(locale) });
      if (!parsed.success) {
        return { ok: false, code: "VALIDATION", formError: t("errors.formInvalid"), fieldErrors: fieldErrorsFrom(parsed.error, t) };
      }

      const needed = options.permission === "signed-in" ? [] : ([] as Permission[]).concat(options.permission);
      if (needed.length > 0 && !needed.some((p) => actor.permissions.has(p))) {
        return { ok: false, code: "FORBIDDEN", formError: t("errors.forbidden") };
      }

      const result = await inUnitOfWork(db(), actor, ({ tx, audit }) => options.run({ actor, input: parsed.data, tx, audit }), {
        mutation: options.mutation,
      });

      if (options.afterCommit) {
        await options.afterCommit(result).catch((e: unknown) => console.warn(`[action] after commit: ${(e as Error)?.message ?? String(e)}`));
      }
      if (options.revalidate) for (const path of ([] as string[]).concat(options.revalidate(result))) revalidatePath(path);
      return { ok: true, data: result };
    } catch (error) {
      unstable_rethrow(error);
      return errorResult(error, t);
    }
  };
}

export function errorResult(error: unknown, t: (key: string, params?: Record<string, string | number>) => string): ActionResult<never> {
  if (error instanceof DomainError) {
    const message = t(error.messageKey, error.options.params);
    return error.options.field
      ? { ok: false, code: error.code, formError: t("errors.formInvalid"), fieldErrors: { [error.options.field]: [message] } }
      : { ok: false, code: error.code, formError: message };
  }
  const prismaCode = (error as { code?: unknown })?.code;
  if (prismaCode === "P2002") return { ok: false, code: "CONFLICT", formError: t("errors.conflict") };
  if (prismaCode === "P2025") return { ok: false, code: "NOT_FOUND", formError: t("errors.notFound") };
  const ref = crypto.randomUUID().slice(0, 8);
  console.error(`[action ${ref}]`, error);
  return { ok: false, code: "UNEXPECTED", formError: t("errors.unexpected", { ref }) };
}
