import { Link } from "@/components/ui/link";
import { StatusBadge } from "@/components/directory/status-badge";
import { WeComFlag } from "@/components/directory/wecom-flag";
import { buttonClass, LinkButton } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow, sortLabels } from "@/components/ui/data-list";
import { ManySelectField, SelectField, TextField } from "@/components/ui/field";
import { optionList } from "@/components/ui/select-options";
import { countActive, FilterBar } from "@/components/ui/filter-bar";
import { Pagination } from "@/components/ui/pagination";
import { SortTh, Th } from "@/components/ui/table";
import { ROLES } from "@/lib/auth/permissions";
import { departmentSelectOptions, isoDay } from "@/lib/directory/format";
import { departmentOptions, listEmployees } from "@/lib/directory/queries";
import { EMPLOYEE_STATUSES, employeeListSchema, WECOM_FILTERS, type EmployeeListParams } from "@/lib/directory/schemas";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";
import type { Metadata } from "next";

const PATH = "/directory/employees";

/** The list's state as URL parameters, defaults left out so links stay short. */
function urlState(p: EmployeeListParams): Record<string, string> {
  const out: Record<string, string> = {};
  if (p.q) out.q = p.q;
  if (p.department) out.department = p.department;
  if (p.role) out.role = p.role;
  if (p.status) out.status = p.status;
  if (p.wecom) out.wecom = p.wecom;
  if (p.sort !== "name") out.sort = p.sort;
  if (p.dir !== "asc") out.dir = p.dir;
  if (p.pageSize !== 25) out.pageSize = String(p.pageSize);
  if (p.page !== 1) out.page = String(p.page);
  return out;
}

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("directory.employees.title") };
}

export default async function EmployeesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("directory.read:all", "directory.read:department");
  const { t } = await getI18n();
  const params = employeeListSchema.parse(firstValues(await searchParams));
  const [result, departments] = await Promise.all([listEmployees(actor, params), departmentOptions(actor)]);
  const state = urlState({ ...params, page: result.page });
  const href = (changes: Record<string, string | number | undefined>) => hrefWith(PATH, state, changes);
  const filters = { q: params.q, department: params.department, role: params.role, status: params.status, wecom: params.wecom };
  const exportHref = hrefWith("/api/directory/employees/export", {}, filters);
  const sortHref = ({ sort, dir }: { sort: string; dir: "asc" | "desc" }) => href({ sort: sort === "name" ? undefined : sort, dir: dir === "asc" ? undefined : dir, page: undefined });
  const sortTh = (column: EmployeeListParams["sort"], label: string) => <SortTh label={label} column={column} sort={params.sort} dir={params.dir} href={sortHref} />;
  const sortable: Array<{ column: EmployeeListParams["sort"]; label: string }> = [
    { column: "employeeNo", label: t("directory.fields.employeeNo") },
    { column: "name", label: t("directory.fields.name") },
    { column: "email", label: t("directory.fields.email") },
    { column: "department", label: t("directory.fields.department") },
    { column: "status", label: t("directory.fields.status") },
    { column: "hireDate", label: t("directory.fields.hireDate") },
  ];

  return (
    <>
      <PageHeader
        title={t("directory.employees.title")}
        description={actor.permissions.has("directory.read:all") ? t("directory.employees.description") : t("directory.employees.scopeNote")}
        actions={
          <>
            {actor.permissions.has("directory.manage") ? (
              <LinkButton href={`${PATH}/new`} variant="primary" data-testid="employee-new">
                {t("directory.employees.new")}
              </LinkButton>
            ) : null}
            {/* A plain link: a route handler's CSV download, not a page to navigate to. */}
            <a href={exportHref} className={buttonClass("secondary")} data-testid="employee-export" download>
              {t("directory.employees.export")}
            </a>
          </>
        }
      />

      <FilterBar
        key={new URLSearchParams(state).toString()}
        action={PATH}
        label={t("directory.employees.filters")}
        submitLabel={t("directory.employees.apply")}
        resetHref={PATH}
        resetLabel={t("directory.employees.reset")}
        hidden={{ sort: state.sort, dir: state.dir }}
        testId="employee-filters"
        active={countActive(Object.values(filters))}
        moreActive={countActive([params.role, params.wecom])}
        more={
          <>
            <SelectField
              name="role"
              label={t("directory.employees.filterRole")}
              options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
              placeholder={t("common.all")}
              defaultValue={params.role ?? ""}
            />
            <SelectField
              name="wecom"
              label={t("directory.wecom.filter")}
              options={WECOM_FILTERS.map((f) => ({ value: f, label: t(f === "flagged" ? "directory.wecom.filterFlagged" : "directory.wecom.filterLeft") }))}
              placeholder={t("common.all")}
              defaultValue={params.wecom ?? ""}
            />
            <SelectField
              name="pageSize"
              label={t("directory.employees.pageSize")}
              options={["10", "25", "50", "100"].map((n) => ({ value: n, label: n }))}
              defaultValue={String(params.pageSize)}
            />
          </>
        }
      >
        <TextField name="q" type="search" label={t("directory.employees.searchLabel")} placeholder={t("directory.employees.searchPlaceholder")} defaultValue={params.q} />
        <ManySelectField
          name="department"
          label={t("directory.employees.filterDepartment")}
          options={optionList(departmentSelectOptions(departments))}
          placeholder={t("common.all")}
          defaultValue={params.department ?? ""}
        />
        <SelectField
          name="status"
          label={t("directory.employees.filterStatus")}
          options={EMPLOYEE_STATUSES.map((s) => ({ value: s, label: t(`directory.status.${s}`) }))}
          placeholder={t("common.all")}
          defaultValue={params.status ?? ""}
        />
      </FilterBar>

      <p className="mb-2 text-sm text-slate-600" data-testid="employee-total" aria-live="polite">
        {t("directory.employees.total", { total: result.total })}
      </p>

      <DataList caption={t("directory.employees.caption")} sort={{ sort: params.sort, dir: params.dir, href: sortHref, columns: sortable, labels: sortLabels(t) }}>
        <ListHead>
            {sortTh("employeeNo", t("directory.fields.employeeNo"))}
            {sortTh("name", t("directory.fields.name"))}
            {sortTh("email", t("directory.fields.email"))}
            {sortTh("department", t("directory.fields.department"))}
            <Th>{t("directory.fields.roles")}</Th>
            {sortTh("status", t("directory.fields.status"))}
            {sortTh("hireDate", t("directory.fields.hireDate"))}
        </ListHead>
        <ListBody data-testid="employee-table">
          {result.rows.length === 0 ? (
            <ListEmpty colSpan={7}>{t("directory.employees.noResults")}</ListEmpty>
          ) : (
            result.rows.map((e) => (
              <ListRow key={e.id} data-testid="employee-row">
                <Cell label={t("directory.fields.employeeNo")} className="whitespace-nowrap font-mono text-xs">{e.employeeNo}</Cell>
                <Cell kind="title" className="whitespace-nowrap">
                  <Link href={`${PATH}/${e.id}`} className="font-medium text-blue-800 hover:underline">
                    {e.name}
                  </Link>
                </Cell>
                <Cell label={t("directory.fields.email")} className="whitespace-nowrap">{e.email}</Cell>
                <Cell label={t("directory.fields.department")} className="whitespace-nowrap">{e.department.name}</Cell>
                <Cell label={t("directory.fields.roles")} className="whitespace-nowrap">{e.roles.map((r) => t(`roles.${r}`)).join(t("common.listSeparator"))}</Cell>
                <Cell kind="status">
                  <div className="flex flex-wrap items-center gap-1">
                    <StatusBadge status={e.status} label={t(`directory.status.${e.status}`)} />
                    <WeComFlag employee={e} t={t} />
                  </div>
                  {e.wecomUserid ? (
                    <div className="mt-0.5 font-mono text-xs text-slate-600">
                      <span className="sr-only">{t("directory.wecom.userid")}: </span>
                      {e.wecomUserid}
                    </div>
                  ) : null}
                </Cell>
                <Cell label={t("directory.fields.hireDate")} className="whitespace-nowrap">{isoDay(e.hireDate)}</Cell>
              </ListRow>
            ))
          )}
        </ListBody>
      </DataList>

      <Pagination
        page={result.page}
        pageSize={result.pageSize}
        total={result.total}
        href={(page) => href({ page: page === 1 ? undefined : page })}
      />
    </>
  );
}
