// /api/v1 (docs/api.md): the handlers are defined in lib/api/endpoints (one definition per operation, also the OpenAPI document's source).
import { assignCaseOp } from "@/lib/api/endpoints/service";

export const dynamic = "force-dynamic";
export const POST = assignCaseOp.handler;
