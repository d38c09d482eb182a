import type { ApiOperation } from "./define";
import { listAuditEventsOp } from "./endpoints/audit";
import { bulkUpsertEmployeesOp, createEmployeeOp, getEmployeeOp, leaveEmployeeOp, listDepartmentsOp, listEmployeesOp, updateEmployeeOp } from "./endpoints/employees";
import { checkConsentOp, completeRequestOp, createRequestOp, createSubjectOp, getRequestOp, grantConsentOp, listRequestsOp, listSubjectConsentsOp, refuseRequestOp, renewConsentOp, verifyRequestOp, withdrawConsentOp } from "./endpoints/privacy";
import { getDashboardOp, getOffboardingOp, listAccountsOp, listAssignmentsOp, listGroupsOp, listOffboardingOp } from "./endpoints/registers";
import { assignCaseOp, closeCaseOp, createCaseOp, customerReplyOp, getCaseOp, listCasesOp, pauseCaseOp, resolveCaseOp, resumeCaseOp } from "./endpoints/service";

// Every /api/v1 operation, in the order of the reference. The OpenAPI document is made from
// this list; tests/api/openapi-drift.test.ts checks that the app/api/v1 route files export
// exactly these handlers, at these paths.

export const API_OPERATIONS: readonly ApiOperation[] = [
  listEmployeesOp,
  createEmployeeOp,
  getEmployeeOp,
  updateEmployeeOp,
  leaveEmployeeOp,
  bulkUpsertEmployeesOp,
  listDepartmentsOp,
  listGroupsOp,
  listAccountsOp,
  listOffboardingOp,
  getOffboardingOp,
  listCasesOp,
  createCaseOp,
  getCaseOp,
  assignCaseOp,
  pauseCaseOp,
  resumeCaseOp,
  customerReplyOp,
  resolveCaseOp,
  closeCaseOp,
  createSubjectOp,
  listSubjectConsentsOp,
  grantConsentOp,
  withdrawConsentOp,
  renewConsentOp,
  checkConsentOp,
  createRequestOp,
  listRequestsOp,
  getRequestOp,
  verifyRequestOp,
  completeRequestOp,
  refuseRequestOp,
  listAssignmentsOp,
  getDashboardOp,
  listAuditEventsOp,
];
