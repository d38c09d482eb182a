"use server";
import { defineAction } from "@/lib/server/action";
import {
  createDepartment,
  createEmployee,
  endEmployeeSessions,
  moveDepartment,
  renameDepartment,
  setDepartmentManager,
  setEmployeeRoles,
  updateEmployee,
} from "./commands";
import {
  departmentCreateSchema,
  departmentManagerSchema,
  departmentMoveSchema,
  departmentRenameSchema,
  employeeCreateSchema,
  employeeEndSessionsSchema,
  employeeRolesSchema,
  employeeUpdateSchema,
} from "./schemas";

// The directory's Server Actions: each one is defineAction (session → actor → zod → permission →
// transaction → command → audit → typed result). The commands check scope and finer rules.

const EMPLOYEES = "/directory/employees";
const DEPARTMENTS = "/directory/departments";

export const createEmployeeAction = defineAction({
  schema: employeeCreateSchema,
  permission: "directory.manage",
  run: createEmployee,
  revalidate: () => [EMPLOYEES, DEPARTMENTS],
});

export const updateEmployeeAction = defineAction({
  schema: employeeUpdateSchema,
  permission: "directory.manage",
  run: updateEmployee,
  revalidate: ({ id }) => [EMPLOYEES, `${EMPLOYEES}/${id}`, DEPARTMENTS],
});

export const setEmployeeRolesAction = defineAction({
  schema: employeeRolesSchema,
  permission: "roles.assign",
  run: setEmployeeRoles,
  revalidate: ({ id }) => [EMPLOYEES, `${EMPLOYEES}/${id}`],
});

export const endEmployeeSessionsAction = defineAction({
  schema: employeeEndSessionsSchema,
  permission: "sessions.end",
  run: endEmployeeSessions,
  revalidate: ({ id }) => [`${EMPLOYEES}/${id}`],
});

export const createDepartmentAction = defineAction({
  schema: departmentCreateSchema,
  permission: "departments.manage",
  run: createDepartment,
  revalidate: () => [DEPARTMENTS],
});

export const renameDepartmentAction = defineAction({
  schema: departmentRenameSchema,
  permission: "departments.manage",
  run: renameDepartment,
  revalidate: ({ id }) => [DEPARTMENTS, `${DEPARTMENTS}/${id}`],
});

export const moveDepartmentAction = defineAction({
  schema: departmentMoveSchema,
  permission: "departments.manage",
  run: moveDepartment,
  revalidate: ({ id }) => [DEPARTMENTS, `${DEPARTMENTS}/${id}`],
});

export const setDepartmentManagerAction = defineAction({
  schema: departmentManagerSchema,
  permission: "departments.manage",
  run: setDepartmentManager,
  revalidate: ({ id }) => [DEPARTMENTS, `${DEPARTMENTS}/${id}`],
});
