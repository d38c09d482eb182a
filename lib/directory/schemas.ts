import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { email, id, isoDate, list, listParams, optionalId, optionalIsoDate, searchText, text, version } from "@/lib/validation";

// The directory's forms and list parameters. Shared by the browser (ActionForm checks them
// before sending) and the server (defineAction and defineRoute check whatever arrives).
// Messages are i18n keys: `errors.v.*` (shared) and `directory.v.*` (this domain).

export const EMPLOYEE_STATUSES = ["ACTIVE", "OFFBOARDING", "DEPARTED"] as const;
export type EmployeeStatus = (typeof EMPLOYEE_STATUSES)[number];

/** Markup and text-direction tricks have no place in a person's or a department's name: they are
 * refused rather than stored (React would escape them on screen, but exports, e-mails and WeCom
 * messages are other readers). Apostrophes, hyphens and dots stay allowed (O'Brien, 欧阳-晓). */
const NAME_FORBIDDEN = /[<>\t\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

// Half of a surrogate pair is not a character: Postgres stores it as U+FFFD and jsonb (the audit
// trail) refuses it outright. (No lookbehind: older WebKit, inside WeCom on iOS, cannot parse it.)
function hasLoneSurrogate(v: string): boolean {
  for (const m of v.matchAll(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g)) if (m[0].length === 1) return true;
  return false;
}

export const personName = text({ max: 100 })
  .refine((v) => !NAME_FORBIDDEN.test(v), { error: "directory.v.nameChars" })
  .refine((v) => !hasLoneSurrogate(v), { error: "directory.v.invalidChars" });
export const departmentName = personName;

export const employeeNo = z
  .string({ error: "errors.v.required" })
  .trim()
  .min(1, { error: "errors.v.required" })
  .max(32, { error: "errors.v.employeeNo" })
  .regex(/^[A-Za-z0-9-]+$/, { error: "errors.v.employeeNo" });

const optionalEmployeeNo = z.preprocess((v) => (typeof v === "string" && v.trim() === "") || v === null ? undefined : v, employeeNo.optional());

export const departmentCode = z
  .string({ error: "errors.v.required" })
  .trim()
  .min(1, { error: "errors.v.required" })
  .max(32, { error: "directory.v.code" })
  .regex(/^[A-Za-z0-9-]+$/, { error: "directory.v.code" });

export const role = z.enum(ROLES, { error: "errors.v.invalidChoice" });
export const roleList = list(role)
  .refine((roles) => roles.length >= 1, { error: "directory.v.rolesRequired" })
  .refine((roles) => roles.length <= ROLES.length * 2, { error: "directory.v.tooManyRoles" })
  .transform((roles) => [...new Set(roles)].sort());

const optionalPassword = z.preprocess(
  (v) => (v === "" || v === null ? undefined : v),
  z
    .string({ error: "errors.v.password" })
    .min(12, { error: "errors.v.password" })
    .max(256, { error: "errors.v.tooLong" })
    .optional(),
);

export const status = z.enum(EMPLOYEE_STATUSES, { error: "errors.v.invalidChoice" });

export const employeeCreateSchema = z.object({
  employeeNo,
  name: personName,
  email,
  departmentId: id,
  managerNo: optionalEmployeeNo,
  hireDate: isoDate,
  roles: roleList,
  password: optionalPassword,
});
export type EmployeeCreateInput = z.output<typeof employeeCreateSchema>;

export const employeeUpdateSchema = z
  .object({
    id,
    version,
    name: personName,
    email,
    departmentId: id,
    managerNo: optionalEmployeeNo,
    status,
    hireDate: isoDate,
    leaveDate: optionalIsoDate,
  })
  .superRefine((v, ctx) => {
    if (v.leaveDate && v.leaveDate < v.hireDate) ctx.addIssue({ code: "custom", path: ["leaveDate"], message: "errors.v.leaveBeforeHire" });
    if (v.status === "DEPARTED" && !v.leaveDate) ctx.addIssue({ code: "custom", path: ["leaveDate"], message: "directory.v.leaveDateRequired" });
  });
export type EmployeeUpdateInput = z.output<typeof employeeUpdateSchema>;

export const employeeRolesSchema = z.object({ id, roles: roleList });
export type EmployeeRolesInput = z.output<typeof employeeRolesSchema>;

export const employeeEndSessionsSchema = z.object({ id });
export type EmployeeEndSessionsInput = z.output<typeof employeeEndSessionsSchema>;

export const departmentCreateSchema = z.object({ name: departmentName, code: departmentCode, parentId: optionalId });
export type DepartmentCreateInput = z.output<typeof departmentCreateSchema>;

export const departmentRenameSchema = z.object({ id, version, name: departmentName });
export type DepartmentRenameInput = z.output<typeof departmentRenameSchema>;

export const departmentMoveSchema = z
  .object({ id, version, parentId: optionalId })
  .refine((v) => v.parentId !== v.id, { path: ["parentId"], error: "directory.v.moveIntoSelf" });
export type DepartmentMoveInput = z.output<typeof departmentMoveSchema>;

export const departmentManagerSchema = z.object({ id, version, managerNo: optionalEmployeeNo });
export type DepartmentManagerInput = z.output<typeof departmentManagerSchema>;

// List and export parameters. A bad value falls back to its default rather than failing the page.
export const EMPLOYEE_SORTS = ["name", "employeeNo", "email", "department", "status", "hireDate"] as const;
export type EmployeeSort = (typeof EMPLOYEE_SORTS)[number];

/** The WeCom filter: "flagged" — disabled, not activated, left or gone from WeCom; "left" — left or gone. */
export const WECOM_FILTERS = ["flagged", "left"] as const;

export const employeeFilterSchema = z.object({
  q: searchText(100),
  department: optionalId.catch(undefined),
  role: role.optional().catch(undefined),
  status: status.optional().catch(undefined),
  wecom: z.enum(WECOM_FILTERS).optional().catch(undefined),
});
export type EmployeeFilters = z.output<typeof employeeFilterSchema>;

export const employeeListSchema = listParams(EMPLOYEE_SORTS, "name").extend(employeeFilterSchema.shape);
export type EmployeeListParams = z.output<typeof employeeListSchema>;
