import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import { DepartmentCreateForm, DepartmentManagerForm, DepartmentMoveForm, DepartmentRenameForm } from "@/components/directory/department-forms";
import { LinkButton } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { chinaDay, departmentSelectOptions } from "@/lib/directory/format";
import { departmentOptions, departmentTree, findDepartment, type DepartmentNode } from "@/lib/directory/queries";
import { getI18n } from "@/lib/i18n/server";
import { getActor, requirePagePermission, type Actor } from "@/lib/server/actor";
import { id as idSchema } from "@/lib/validation";

function findNode(nodes: DepartmentNode[], id: string): DepartmentNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const below = findNode(n.children, id);
    if (below) return below;
  }
  return undefined;
}

/** One read per request for the page and its title (the title of a record the person may not see is the section's). */
const load = cache((actor: Actor, id: string) => findDepartment(actor, id));

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { t } = await getI18n();
  const actor = await getActor();
  const id = idSchema.safeParse((await params).id);
  const readable = actor && (actor.permissions.has("directory.read:all") || actor.permissions.has("departments.manage"));
  const department = readable && id.success ? await load(actor, id.data) : null;
  return { title: department ? `${department.name} · ${t("nav.departments")}` : t("nav.departments") };
}

export default async function DepartmentPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("directory.read:all", "departments.manage");
  const { t } = await getI18n();
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const department = await load(actor, id.data);
  if (!department) notFound();

  const canManage = actor.permissions.has("departments.manage");
  const [roots, options] = await Promise.all([departmentTree(actor), canManage ? departmentOptions(actor) : Promise.resolve([])]);
  const node = findNode(roots, department.id);
  // The UI offers only parents outside the department's own subtree; the server refuses the rest.
  const parents = departmentSelectOptions(options.filter((o) => !o.path.startsWith(department.path)));
  const field = (label: string, value: ReactNode) => (
    <div className="py-2 sm:grid sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-sm text-slate-900 sm:col-span-2 sm:mt-0">{value}</dd>
    </div>
  );

  return (
    <>
      <PageHeader
        title={department.name}
        description={department.code}
        actions={<LinkButton href="/directory/departments">{t("directory.departments.back")}</LinkButton>}
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title={t("directory.employee.details")}>
          <dl className="divide-y divide-slate-100" data-testid="department-details">
            {field(t("directory.fields.code"), <span className="font-mono">{department.code}</span>)}
            {field(
              t("directory.fields.parent"),
              department.parent ? (
                <Link href={`/directory/departments/${department.parent.id}`} className="text-blue-800 hover:underline">
                  {department.parent.name}
                </Link>
              ) : (
                "—"
              ),
            )}
            {field(
              t("directory.departments.manager"),
              department.manager ? `${department.manager.name} (${department.manager.employeeNo})` : t("directory.departments.noManager"),
            )}
            {department.wecomId !== null
              ? field(
                  t("directory.wecom.section"),
                  <span className="flex flex-wrap items-center gap-2" data-testid="department-wecom">
                    <span className="font-mono">{department.wecomId}</span>
                    {department.wecomRemovedAt ? (
                      <Badge tone="red">{t("directory.wecom.departmentRemoved", { date: chinaDay(department.wecomLastSeenAt ?? department.wecomRemovedAt) })}</Badge>
                    ) : department.wecomLastSeenAt ? (
                      <span className="text-xs text-slate-600">{t("directory.wecom.lastSeen", { date: chinaDay(department.wecomLastSeenAt) })}</span>
                    ) : null}
                  </span>,
                )
              : null}
            {field(t("directory.fields.employeeCount"), node?.employeeCount ?? 0)}
            {field(
              t("directory.fields.subtreeCount"),
              actor.permissions.has("directory.read:all") ? (
                <Link href={`/directory/employees?department=${department.id}&status=ACTIVE`} className="text-blue-800 hover:underline">
                  {node?.subtreeCount ?? 0}
                </Link>
              ) : (
                (node?.subtreeCount ?? 0)
              ),
            )}
          </dl>
          <h3 className="mt-4 text-sm font-semibold text-slate-800">{t("directory.departments.children")}</h3>
          {node?.children.length ? (
            <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
              {node.children.map((c) => (
                <li key={c.id}>
                  <Link href={`/directory/departments/${c.id}`} className="text-blue-800 underline hover:no-underline">
                    {c.name}
                  </Link>{" "}
                  <span className="font-mono text-xs text-slate-500">{c.code}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-2 text-sm text-slate-600">{t("directory.departments.noChildren")}</p>
          )}
        </Card>

        {canManage ? (
          <>
            <Card title={t("directory.departments.rename")}>
              <div data-testid="department-rename-form">
                <DepartmentRenameForm department={{ id: department.id, version: department.version, name: department.name }} />
              </div>
            </Card>
            <Card title={t("directory.departments.move")}>
              <div data-testid="department-move-form">
                <DepartmentMoveForm department={{ id: department.id, version: department.version, parentId: department.parentId }} parents={parents} />
              </div>
            </Card>
            <Card title={t("directory.departments.setManager")}>
              <div data-testid="department-manager-form">
                <DepartmentManagerForm department={{ id: department.id, version: department.version, managerNo: department.manager?.employeeNo ?? "" }} />
              </div>
            </Card>
            <Card title={t("directory.departments.create")} className="lg:col-span-2">
              <div data-testid="department-create-form">
                <DepartmentCreateForm parents={departmentSelectOptions(options)} defaultParentId={department.id} />
              </div>
            </Card>
          </>
        ) : null}
      </div>
    </>
  );
}
