import { ApiProblem, problemResponse } from "@/lib/api/problem";

// Any /api/v1 path no operation answers: a problem+json 404 (docs/api.md), not the portal's HTML page.

export const dynamic = "force-dynamic";

const notFound = (request: Request) => problemResponse(new ApiProblem("not_found", "No such endpoint; see /api/v1/openapi.json."), new URL(request.url).pathname);

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
