// /api/v1 (docs/api.md): the handlers are defined in lib/api/endpoints (one definition per operation, also the OpenAPI document's source).
import { closeCaseOp } from "@/lib/api/endpoints/service";

export const dynamic = "force-dynamic";
export const POST = closeCaseOp.handler;
