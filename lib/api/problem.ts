// RFC 9457 problem details (application/problem+json) for every error /api/v1 answers. `code` is
// stable (clients branch on it); `title` is English and fixed per code; `detail` is in the
// caller's language; `errors` lists the fields a validation refused, as JSON Pointers.

export const PROBLEM_CODES = {
  unauthenticated: 401,
  insufficient_scope: 403,
  forbidden: 403,
  outside_department: 403,
  not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  conflict: 409,
  invalid_state: 409,
  idempotency_in_progress: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  malformed_json: 400,
  too_deep: 400,
  invalid_cursor: 400,
  invalid_query: 400,
  validation_failed: 422,
  idempotency_key_reused: 422,
  invalid_idempotency_key: 400,
  precondition_required: 428,
  rate_limited: 429,
  internal: 500,
} as const;
export type ProblemCode = keyof typeof PROBLEM_CODES;

const TITLES: Record<ProblemCode, string> = {
  unauthenticated: "Missing, unknown, revoked or expired token",
  insufficient_scope: "The token lacks the scope this endpoint needs",
  forbidden: "The token's owner may not do this",
  outside_department: "Outside the token's department",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  not_acceptable: "Not acceptable",
  conflict: "Conflict",
  invalid_state: "The record is not in a state that allows this",
  idempotency_in_progress: "A request with this Idempotency-Key is still running",
  precondition_failed: "The record changed since the ETag given in If-Match",
  payload_too_large: "Request body too large",
  unsupported_media_type: "Content-Type must be application/json",
  malformed_json: "The body is not valid JSON",
  too_deep: "The body is nested too deeply",
  invalid_cursor: "The cursor is invalid or was altered",
  invalid_query: "Invalid query parameters",
  validation_failed: "Validation failed",
  idempotency_key_reused: "This Idempotency-Key was used with another request",
  invalid_idempotency_key: "Idempotency-Key must be 1–200 visible ASCII characters",
  precondition_required: "If-Match is required to change this record",
  rate_limited: "Too many requests",
  internal: "Unexpected error",
};

export type FieldError = { pointer: string; code: string; detail: string };
export type Problem = { type: string; title: string; status: number; code: ProblemCode; detail?: string; errors?: FieldError[]; instance?: string };

export class ApiProblem extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${code}${detail ? `: ${detail}` : ""}`);
    this.name = "ApiProblem";
  }
  get status(): number {
    return PROBLEM_CODES[this.code];
  }
}

export const PROBLEM_TYPE_BASE = "https://wegovern.invalid/problems/";

export function problemBody(code: ProblemCode, detail?: string, errors?: FieldError[], instance?: string): Problem {
  return {
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title: TITLES[code],
    status: PROBLEM_CODES[code],
    code,
    ...(detail ? { detail } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
    ...(instance ? { instance } : {}),
  };
}

export function problemResponse(p: ApiProblem, instance?: string, extraHeaders: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problemBody(p.code, p.detail, p.errors, instance)), {
    status: p.status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...extraHeaders, ...p.headers },
  });
}

/** "/a/0/b" from a zod path. */
export function pointer(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "" : `/${path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}
