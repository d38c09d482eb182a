import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { forbidden } from "next/navigation";
import { formatDateTime, REQUEST_STATUS_TONE } from "@/components/approvals/format";
import { buttonClass } from "@/components/ui/button";
import { Badge, PageHeader } from "@/components/ui/card";
import { ManySelectField, SelectField } from "@/components/ui/field";
import { optionList } from "@/components/ui/select-options";
import { FilterBar } from "@/components/ui/filter-bar";
import { Pagination } from "@/components/ui/pagination";
import { ProvisionalBadge } from "@/components/ui/provisional-badge";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow, sortLabels } from "@/components/ui/data-list";
import { SortTh, Th } from "@/components/ui/table";
import { canListRequests, listRequests, REQUEST_LIST_FILTERS, REQUEST_LIST_PAGE_SIZE, REQUEST_STATUSES, requestListSchema } from "@/lib/approvals/request-list";
import { REQUEST_TYPES } from "@/lib/approvals/types";
import { DEFAULT_TIME_ZONE } from "@/lib/calendar";
import { loadHolidayCoverage } from "@/lib/calendar/coverage";
import { getI18n } from "@/lib/i18n/server";
import { requireActor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";

const PATH = "/approvals/requests";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("approvals.requests.title") };
}

export default async function ApprovalRequestsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireActor();
  if (!canListRequests(actor)) forbidden();
  const { t, locale } = await getI18n();
  const params = requestListSchema.parse(firstValues(await searchParams));
  const client = db();
  const now = new Date();
  const [result, departments, coverage] = await Promise.all([
    listRequests(actor, client, params, now),
    client.department.findMany({
      where: actor.permissions.has("approvals.read:all") ? {} : { path: { startsWith: actor.departmentPath } },
      select: { id: true, name: true, depth: true },
      orderBy: { path: "asc" },
      take: 2_000,
    }),
    loadHolidayCoverage(client),
  ]);
  const filters: Record<string, string> = {};
  for (const key of REQUEST_LIST_FILTERS) if (params[key]) filters[key] = params[key]!;
  const state: Record<string, string> = { ...filters };
  if (params.dir !== "desc") state.dir = params.dir;
  const any = t("approvals.requests.any");
  const time = (d: Date) => formatDateTime(locale, DEFAULT_TIME_ZONE, d);
  const top = departments[0]?.depth ?? 0;
  const sortHref = (p: { dir: "asc" | "desc" }) => hrefWith(PATH, filters, { dir: p.dir === "desc" ? undefined : p.dir });

  return (
    <>
      <PageHeader
        title={t("approvals.requests.title")}
        description={t("approvals.requests.description")}
        actions={<a href={hrefWith("/api/approvals/requests/export", filters, {})} className={buttonClass("secondary")} data-testid="request-export" download>{t("approvals.requests.export")}</a>}
      />
      <FilterBar action={PATH} label={t("approvals.requests.filters")} submitLabel={t("approvals.requests.apply")} resetHref={PATH} resetLabel={t("approvals.requests.reset")} hidden={{ dir: state.dir }} key={JSON.stringify(filters)} testId="request-filters">
        <SelectField name="status" label={t("approvals.requests.status")} defaultValue={params.status ?? ""} options={[{ value: "", label: any }, ...REQUEST_STATUSES.map((s) => ({ value: s, label: t(`approvals.requestStatus.${s}`) }))]} />
        <SelectField name="type" label={t("approvals.requests.type")} defaultValue={params.type ?? ""} options={[{ value: "", label: any }, ...REQUEST_TYPES.map((s) => ({ value: s, label: t(`approvals.types.${s}`) }))]} />
        <ManySelectField
          name="department"
          label={t("approvals.requests.department")}
          hint={t("approvals.requests.departmentHint")}
          defaultValue={params.department ?? ""}
          options={optionList([{ value: "", label: any }, ...departments.map((d) => ({ value: d.id, label: `${"　".repeat(Math.max(0, d.depth - top))}${d.name}` }))])}
        />
        <label className="flex min-h-10 items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" name="overdue" value="1" defaultChecked={params.overdue === "1"} className="h-4 w-4 rounded border-slate-400" />
          {t("approvals.requests.overdue")}
        </label>
      </FilterBar>
      <DataList
        caption={t("approvals.requests.caption")}
        sort={{ sort: params.sort, dir: params.dir, href: sortHref, columns: [{ column: "createdAt", label: t("approvals.requests.columns.submitted") }], labels: sortLabels(t) }}
      >
        <ListHead>
          <Th>{t("approvals.requests.columns.title")}</Th>
          <Th>{t("approvals.requests.columns.status")}</Th>
          <Th>{t("approvals.requests.columns.department")}</Th>
          <Th>{t("approvals.requests.columns.requester")}</Th>
          <SortTh label={t("approvals.requests.columns.submitted")} column="createdAt" sort={params.sort} dir={params.dir} href={sortHref} />
          <Th>{t("approvals.requests.columns.waitingOn")}</Th>
          <Th>{t("approvals.requests.columns.due")}</Th>
        </ListHead>
        <ListBody data-testid="request-list">
          {result.rows.length === 0 ? <ListEmpty colSpan={7}>{t("approvals.requests.empty")}</ListEmpty> : null}
          {result.rows.map((r) => (
            <ListRow key={r.id} data-testid="request-row">
              <Cell kind="title" className="sm:min-w-48">
                <Link href={`/approvals/${r.id}`} className="font-medium text-blue-800 hover:underline">{r.title}</Link>
                <span className="block text-xs text-slate-500">{t(`approvals.types.${r.type}`)}</span>
              </Cell>
              <Cell kind="status"><Badge tone={REQUEST_STATUS_TONE[r.status as keyof typeof REQUEST_STATUS_TONE] ?? "slate"}>{t(`approvals.requestStatus.${r.status}`)}</Badge></Cell>
              <Cell label={t("approvals.requests.columns.department")}>{r.departmentName ?? "—"}</Cell>
              <Cell label={t("approvals.requests.columns.requester")}>{r.requesterName ?? "—"}</Cell>
              <Cell label={t("approvals.requests.columns.submitted")} className="tabular-nums sm:whitespace-nowrap">{time(r.createdAt)}</Cell>
              <Cell label={t("approvals.requests.columns.waitingOn")}>{r.approverName ?? (r.approverRole ? t(`roles.${r.approverRole}`) : "—")}</Cell>
              <Cell kind="deadline" label={t("approvals.requests.columns.due")} className="tabular-nums sm:whitespace-nowrap">
                {r.dueAt ? time(r.dueAt) : "—"}
                <ProvisionalBadge year={coverage.provisionalYear(r.dueAt, r.calendarId)} t={t} />
                {r.dueAt && r.dueAt < now ? <span className="ml-2"><Badge tone="red">{t("approvals.requests.overdueBadge")}</Badge></span> : null}
              </Cell>
            </ListRow>
          ))}
        </ListBody>
      </DataList>
      <Pagination page={result.page} pageSize={REQUEST_LIST_PAGE_SIZE} total={result.total} href={(p) => hrefWith(PATH, state, { page: p === 1 ? undefined : p })} />
    </>
  );
}
