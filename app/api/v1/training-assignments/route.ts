// /api/v1 (docs/api.md): the handlers are defined in lib/api/endpoints (one definition per operation, also the OpenAPI document's source).
import { listAssignmentsOp } from "@/lib/api/endpoints/registers";

export const dynamic = "force-dynamic";
export const GET = listAssignmentsOp.handler;
