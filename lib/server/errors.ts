// Domain errors carry a code the UI maps to a message in the user's language, and optionally
// the form field they belong to. Anything else thrown inside an action is unexpected: it is
// logged and the person sees a generic message, never a stack trace.

export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "INVALID_STATE",
  "VALIDATION",
  "STALE", // optimistic concurrency: the record changed since it was read
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** An i18n message key (lib/i18n/messages) */
    readonly messageKey: string,
    readonly options: { field?: string; params?: Record<string, string | number> } = {},
  ) {
    super(`${code}: ${messageKey}`);
    this.name = "DomainError";
  }
}

export const forbidden = (key = "errors.forbidden") => new DomainError("FORBIDDEN", key);
export const notFound = (key = "errors.notFound") => new DomainError("NOT_FOUND", key);
export const stale = () => new DomainError("STALE", "errors.stale");
