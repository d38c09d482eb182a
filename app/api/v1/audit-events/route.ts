// /api/v1 (docs/api.md): the handlers are defined in lib/api/endpoints (one definition per operation, also the OpenAPI document's source).
import { listAuditEventsOp } from "@/lib/api/endpoints/audit";

export const dynamic = "force-dynamic";
export const GET = listAuditEventsOp.handler;
