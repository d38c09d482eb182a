// /api/v1 (docs/api.md): the handlers are defined in lib/api/endpoints (one definition per operation, also the OpenAPI document's source).
import { listDepartmentsOp } from "@/lib/api/endpoints/employees";

export const dynamic = "force-dynamic";
export const GET = listDepartmentsOp.handler;
