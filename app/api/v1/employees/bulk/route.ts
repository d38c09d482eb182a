// /api/v1 (docs/api.md): the handlers are defined in lib/api/endpoints (one definition per operation, also the OpenAPI document's source).
import { bulkUpsertEmployeesOp } from "@/lib/api/endpoints/employees";

export const dynamic = "force-dynamic";
export const POST = bulkUpsertEmployeesOp.handler;
