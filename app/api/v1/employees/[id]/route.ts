// /api/v1 (docs/api.md): the handlers are defined in lib/api/endpoints (one definition per operation, also the OpenAPI document's source).
import { getEmployeeOp, updateEmployeeOp } from "@/lib/api/endpoints/employees";

export const dynamic = "force-dynamic";
export const GET = getEmployeeOp.handler;
export const PATCH = updateEmployeeOp.handler;
