import type { ApiOperation } from "./define";
import { listAuditEventsOp } from "./endpoints/audit";
import { bulkUpsertEmployeesOp, createEmployeeOp, getEmployeeOp, leaveEmployeeOp, listDepartmentsOp, listEmployeesOp, updateEmployeeOp } from "./endpoints/employees";
import { createCaseOp, customerReplyOp, getCaseOp, listCasesOp, pauseCaseOp, resolveCaseOp, resumeCaseOp } from "./endpoints/service";

// Every /api/v1 operation, in the order of the reference. The OpenAPI document is made from
// this list; tests/api/openapi-drift.test.ts checks that every app/api/v1 route file exports
// exactly these handlers.

export const API_OPERATIONS: readonly ApiOperation[] = [
  listEmployeesOp,
  createEmployeeOp,
  getEmployeeOp,
  updateEmployeeOp,
  leaveEmployeeOp,
  bulkUpsertEmployeesOp,
  listDepartmentsOp,
  listCasesOp,
  createCaseOp,
  getCaseOp,
  pauseCaseOp,
  resumeCaseOp,
  customerReplyOp,
  resolveCaseOp,
  listAuditEventsOp,
];
