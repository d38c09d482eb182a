import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import { EmployeeEditForm } from "@/components/directory/employee-edit-form";
import { EmployeeRolesForm } from "@/components/directory/employee-roles-form";
import { EmployeeSignIn } from "@/components/auth/employee-sign-in";
import { formatDateTime } from "@/components/groups/format";
import { StatusBadge } from "@/components/directory/status-badge";
import { WeComFlag } from "@/components/directory/wecom-flag";
import { LinkButton } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { chinaDay, departmentSelectOptions, isoDay } from "@/lib/directory/format";
import { departmentOptions, findEmployee } from "@/lib/directory/queries";
import { lockedRoles } from "@/lib/directory/role-rules";
import { getI18n } from "@/lib/i18n/server";
import { getActor, requirePagePermission, type Actor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { activeSessions } from "@/lib/server/session";
import { id as idSchema } from "@/lib/validation";

/** One read per request for the page and its title (the title of a record the person may not see is the section's). */
const load = cache((actor: Actor, id: string) => findEmployee(actor, id));

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { t } = await getI18n();
  const actor = await getActor();
  const id = idSchema.safeParse((await params).id);
  const readable = actor && (actor.permissions.has("directory.read:all") || actor.permissions.has("directory.read:department"));
  const employee = readable && id.success ? await load(actor, id.data) : null;
  return { title: employee ? `${employee.name} · ${t("nav.employees")}` : t("nav.employees") };
}

export default async function EmployeePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("directory.read:all", "directory.read:department");
  const { t, locale } = await getI18n();
  // A malformed id, an unknown one and one outside the manager's subtree get the same answer:
  // the page does not reveal whether the employee exists.
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const employee = await load(actor, id.data);
  if (!employee) notFound();

  const canEdit = actor.permissions.has("directory.manage");
  const canAssign = actor.permissions.has("roles.assign");
  const canEndSessions = actor.permissions.has("sessions.end");
  const canLinkWeCom = actor.permissions.has("signIn.configure");
  const signIn =
    canEndSessions || canLinkWeCom
      ? {
          wecomUserid: (await db().employee.findUnique({ where: { id: employee.id }, select: { wecomUserid: true } }))?.wecomUserid ?? null,
          sessions: canEndSessions
            ? (await activeSessions(db(), employee.id)).map((s) => ({ id: s.id, method: s.method, ip: s.ip, device: s.userAgent ?? "", since: formatDateTime(s.createdAt, locale), lastSeen: formatDateTime(s.lastSeenAt, locale) }))
            : [],
        }
      : null;
  const canSeeDepartments = actor.permissions.has("directory.read:all") || actor.permissions.has("departments.manage");
  const departments = canEdit ? await departmentOptions(actor) : [];
  const field = (label: string, value: ReactNode) => (
    <div className="py-2 sm:grid sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-sm text-slate-900 sm:col-span-2 sm:mt-0">{value}</dd>
    </div>
  );

  return (
    <>
      <PageHeader
        title={employee.name}
        description={`${employee.employeeNo} · ${employee.department.name}`}
        actions={<LinkButton href="/directory/employees">{t("directory.employee.back")}</LinkButton>}
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title={t("directory.employee.details")}>
          <dl className="divide-y divide-slate-100" data-testid="employee-details">
            {field(t("directory.fields.employeeNo"), <span className="font-mono">{employee.employeeNo}</span>)}
            {field(t("directory.fields.name"), employee.name)}
            {field(t("directory.fields.email"), <span className="break-all">{employee.email}</span>)}
            {field(
              t("directory.fields.department"),
              canSeeDepartments ? (
                <Link href={`/directory/departments/${employee.department.id}`} className="text-blue-800 hover:underline">
                  {employee.department.name}
                </Link>
              ) : (
                employee.department.name
              ),
            )}
            {field(
              t("directory.fields.manager"),
              employee.manager ? `${employee.manager.name} (${employee.manager.employeeNo})` : t("directory.employee.noManager"),
            )}
            {field(t("directory.fields.status"), <StatusBadge status={employee.status} label={t(`directory.status.${employee.status}`)} />)}
            {field(t("directory.fields.hireDate"), isoDay(employee.hireDate))}
            {field(t("directory.fields.leaveDate"), isoDay(employee.leaveDate) || "—")}
            {field(t("directory.fields.roles"), employee.roles.map((r) => t(`roles.${r}`)).join(t("common.listSeparator")))}
            {field(
              t("directory.wecom.userid"),
              employee.wecomUserid ? (
                <span className="flex flex-wrap items-center gap-2" data-testid="employee-wecom">
                  <span className="font-mono">{employee.wecomUserid}</span>
                  <WeComFlag employee={employee} t={t} />
                  {employee.wecomLastSeenAt && !employee.wecomRemovedAt ? <span className="text-xs text-slate-600">{t("directory.wecom.lastSeen", { date: chinaDay(employee.wecomLastSeenAt) })}</span> : null}
                </span>
              ) : (
                t("directory.wecom.none")
              ),
            )}
          </dl>
        </Card>

        {canAssign ? (
          <Card title={t("directory.employee.roles")}>
            <div data-testid="employee-roles-form">
              <EmployeeRolesForm employeeId={employee.id} roles={employee.roles} locked={lockedRoles(actor, employee.id)} isSelf={actor.id === employee.id} />
            </div>
          </Card>
        ) : null}

        {signIn ? (
          <Card title={t("signIn.sessions.title")}>
            <div data-testid="employee-sessions-form">
              <EmployeeSignIn employeeId={employee.id} wecomUserid={signIn.wecomUserid} sessions={signIn.sessions} canLink={canLinkWeCom} canEnd={canEndSessions} />
            </div>
          </Card>
        ) : null}

        {canEdit ? (
          <Card title={t("directory.employee.edit")} className="lg:col-span-2">
            <div data-testid="employee-edit-form">
              <EmployeeEditForm
                departments={departmentSelectOptions(departments)}
                employee={{
                  id: employee.id,
                  version: employee.version,
                  name: employee.name,
                  email: employee.email,
                  departmentId: employee.departmentId,
                  managerNo: employee.manager?.employeeNo ?? "",
                  status: employee.status,
                  hireDate: isoDay(employee.hireDate),
                  leaveDate: isoDay(employee.leaveDate),
                }}
              />
            </div>
          </Card>
        ) : null}
      </div>
    </>
  );
}
