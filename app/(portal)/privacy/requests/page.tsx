import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDateTime } from "@/components/groups/format";
import { Badge, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { ManySelectField, SelectField } from "@/components/ui/field";
import { optionList } from "@/components/ui/select-options";
import { FilterBar } from "@/components/ui/filter-bar";
import { Pagination } from "@/components/ui/pagination";
import { Th } from "@/components/ui/table";
import { ProvisionalBadge } from "@/components/ui/provisional-badge";
import { loadHolidayCoverage } from "@/lib/calendar/coverage";
import { getI18n } from "@/lib/i18n/server";
import { departmentOptions, listRequests } from "@/lib/privacy/queries";
import { REQUEST_STATUSES, REQUEST_TYPES, requestListSchema } from "@/lib/privacy/schemas";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";

const PATH = "/privacy/requests";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.requests.title") };
}

export default async function RequestsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePagePermission("privacy.manage", "privacy.read:all");
  const { t, locale } = await getI18n();
  const params = requestListSchema.parse(firstValues(await searchParams));
  const now = new Date();
  const [result, departments, coverage] = await Promise.all([listRequests(db(), params, now), departmentOptions(db()), loadHolidayCoverage(db())]);
  const state: Record<string, string> = {};
  if (params.status) state.status = params.status;
  if (params.type) state.type = params.type;
  if (params.overdue) state.overdue = params.overdue;
  if (params.department) state.department = params.department;
  const any = t("privacy.filters.any");
  return (
    <>
      <PageHeader title={t("privacy.requests.title")} description={t("privacy.requests.description")} />
      <FilterBar key={new URLSearchParams(state).toString()} action={PATH} label={t("privacy.filters.title")} submitLabel={t("privacy.filters.apply")} resetHref={PATH} resetLabel={t("privacy.filters.reset")}
        more={
          <>
            <label className="flex min-h-10 items-start gap-2 text-sm text-slate-800">
              <input type="checkbox" name="overdue" value="1" defaultChecked={params.overdue === "1"} className="mt-0.5 h-4 w-4" />
              <span>{t("privacy.requests.overdueOnly")}</span>
            </label>
          </>
        }
      >
        <SelectField name="status" label={t("privacy.request.status")} placeholder={any} defaultValue={params.status ?? ""} options={REQUEST_STATUSES.map((s) => ({ value: s, label: t(`privacy.requestStatus.${s}`) }))} />
        <SelectField name="type" label={t("privacy.request.type")} placeholder={any} defaultValue={params.type ?? ""} options={REQUEST_TYPES.map((s) => ({ value: s, label: t(`privacy.requestType.${s}`) }))} />
        <ManySelectField
          name="department"
          label={t("privacy.filters.department")}
          hint={t("privacy.requests.departmentHint")}
          placeholder={any}
          defaultValue={params.department ?? ""}
          options={optionList(departments.map((d) => ({ value: d.id, label: d.label })))}
        />
      </FilterBar>
      {params.department && !departments.some((d) => d.id === params.department) ? (
        <p className="mb-2 text-sm text-amber-800" role="status" data-testid="request-unknown-department">
          {t("privacy.filters.unknownDepartment")}
        </p>
      ) : null}
      <p className="mb-2 text-sm text-slate-600">{t("privacy.requests.hint")}</p>
      <DataList caption={t("privacy.requests.title")}>
        <ListHead>
            <Th>{t("privacy.request.subject")}</Th>
            <Th>{t("privacy.request.type")}</Th>
            <Th>{t("privacy.request.status")}</Th>
            <Th>{t("privacy.request.receivedAt")}</Th>
            <Th>{t("privacy.request.dueAt")}</Th>
            <Th>{t("privacy.request.assignee")}</Th>
        </ListHead>
        <ListBody data-testid="request-table">
          {result.rows.length === 0 ? <ListEmpty colSpan={6}>{t("privacy.requests.empty")}</ListEmpty> : null}
          {result.rows.map((r) => {
            const open = r.status === "RECEIVED" || r.status === "VERIFIED";
            return (
              <ListRow key={r.id}>
                <Cell kind="title">
                  <Link href={`${PATH}/${r.id}`} className="font-medium text-blue-800 hover:underline">
                    {r.subject.name}
                  </Link>
                </Cell>
                <Cell label={t("privacy.request.type")}>{t(`privacy.requestType.${r.type}`)}</Cell>
                <Cell kind="status" className="whitespace-nowrap">
                  {t(`privacy.requestStatus.${r.status}`)} {open && r.dueAt < now ? <Badge tone="red">{t("privacy.request.overdue")}</Badge> : null}
                </Cell>
                <Cell label={t("privacy.request.receivedAt")} className="whitespace-nowrap">{formatDateTime(r.receivedAt, locale)}</Cell>
                <Cell kind="deadline" label={t("privacy.request.dueAt")} className="whitespace-nowrap">
                  {formatDateTime(r.dueAt, locale)}
                  <ProvisionalBadge year={coverage.provisionalYear(r.dueAt)} t={t} />
                </Cell>
                <Cell label={t("privacy.request.assignee")}>{r.assignee?.name ?? "—"}</Cell>
              </ListRow>
            );
          })}
        </ListBody>
      </DataList>
      <Pagination page={result.page} pageSize={result.pageSize} total={result.total} href={(page) => hrefWith(PATH, state, { page: page === 1 ? undefined : page })} />
    </>
  );
}
