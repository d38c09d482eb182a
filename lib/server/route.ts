import "server-only";
import { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import { fieldErrorsFrom } from "@/lib/forms";
import { getI18n } from "@/lib/i18n/server";
import { getActor, type Actor } from "./actor";
import { writeAuditEvent, type AuditInput } from "./audit-write";
import { db } from "./db";
import { DomainError } from "./errors";
import { zodLocaleError } from "./zod-locale";

type RouteContext<I> = { actor: Actor; input: I; request: Request; audit: (event: AuditInput) => Promise<void> };

/**
 * The one path of every route handler: session → actor → zod (query string) → permission →
 * handler, with errors as JSON in the person's language and never a stack trace. Reads that hand
 * out evidence (exports) record an audit event through `audit`.
 */
export function defineRoute<S extends z.ZodType>(options: {
  query: S;
  permission: Permission | readonly Permission[];
  run: (ctx: RouteContext<z.output<S>>) => Promise<Response>;
  /** Who the request stands for when not the signed-in session (e.g. a bearer token for /api/v1);
   * null answers 401. */
  authenticate?: (request: Request) => Promise<Actor | null>;
}) {
  return async function handler(request: Request): Promise<Response> {
    const { t, locale } = await getI18n();
    try {
      const actor = options.authenticate ? await options.authenticate(request) : await getActor();
      if (!actor) return Response.json({ error: t("errors.unauthenticated") }, { status: 401 });
      const params = Object.fromEntries(new URL(request.url).searchParams);
      const parsed = options.query.safeParse(params, { error: zodLocaleError(locale) });
      if (!parsed.success) {
        return Response.json({ error: t("errors.formInvalid"), fieldErrors: fieldErrorsFrom(parsed.error, t) }, { status: 400 });
      }
      const needed = ([] as Permission[]).concat(options.permission);
      if (!needed.some((p) => actor.permissions.has(p))) return Response.json({ error: t("errors.forbidden") }, { status: 403 });
      const audit = (event: AuditInput) =>
        db().$transaction((tx) => writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: actor.ip }, event));
      return await options.run({ actor, input: parsed.data, request, audit });
    } catch (error) {
      if (error instanceof DomainError) {
        const status = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, STALE: 409, INVALID_STATE: 409, VALIDATION: 400 }[error.code];
        return Response.json({ error: t(error.messageKey, error.options.params) }, { status });
      }
      const ref = crypto.randomUUID().slice(0, 8);
      console.error(`[route ${ref}]`, error);
      return Response.json({ error: t("errors.unexpected", { ref }) }, { status: 500 });
    }
  };
}
