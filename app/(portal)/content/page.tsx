import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDateTime } from "@/components/groups/format";
import { buttonClass, LinkButton } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow, sortLabels } from "@/components/ui/data-list";
import { SelectField, TextField } from "@/components/ui/field";
import { FilterBar } from "@/components/ui/filter-bar";
import { Pagination } from "@/components/ui/pagination";
import { SortTh, Th } from "@/components/ui/table";
import { listSubmissions } from "@/lib/content/queries";
import { CONTENT_KINDS, CONTENT_STATUSES, submissionListSchema, type SubmissionListParams } from "@/lib/content/schemas";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";
import { ContentStatusBadge } from "./_components/status-badge";
import { ContentTabs, contentTabList } from "./_components/tabs";

const PATH = "/content";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("content.title") };
}

function urlState(p: SubmissionListParams): Record<string, string> {
  const out: Record<string, string> = {};
  if (p.q) out.q = p.q;
  if (p.status) out.status = p.status;
  if (p.kind) out.kind = p.kind;
  if (p.mine) out.mine = p.mine;
  if (p.sort !== "updatedAt") out.sort = p.sort;
  if (p.dir !== "desc") out.dir = p.dir;
  if (p.pageSize !== 25) out.pageSize = String(p.pageSize);
  if (p.page !== 1) out.page = String(p.page);
  return out;
}

export default async function ContentPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("content.submit", "content.read:all", "content.configure");
  const { t, locale } = await getI18n();
  const raw = firstValues(await searchParams);
  const params = submissionListSchema.parse({ dir: "desc", ...raw });
  const result = await listSubmissions(actor, db(), params);
  const state = urlState({ ...params, page: result.page });
  const href = (changes: Record<string, string | number | undefined>) => hrefWith(PATH, state, changes);
  const sortHref = ({ sort, dir }: { sort: string; dir: "asc" | "desc" }) => href({ sort: sort === "updatedAt" ? undefined : sort, dir: dir === "desc" ? undefined : dir, page: undefined });
  const sortTh = (column: SubmissionListParams["sort"], label: string) => <SortTh label={label} column={column} sort={params.sort} dir={params.dir} href={sortHref} />;
  const sortable: Array<{ column: SubmissionListParams["sort"]; label: string }> = [
    { column: "title", label: t("content.fields.title") },
    { column: "status", label: t("content.fields.status") },
    { column: "plannedAt", label: t("content.fields.plannedAt") },
    { column: "updatedAt", label: t("content.fields.updatedAt") },
  ];
  const any = t("content.filters.any");
  return (
    <>
      <PageHeader
        title={t("content.title")}
        description={t("content.description")}
        actions={
          <>
            {actor.permissions.has("content.submit") ? (
              <LinkButton href={`${PATH}/new`} variant="primary" data-testid="content-new">
                {t("content.newSubmission")}
              </LinkButton>
            ) : null}
            <a href={hrefWith(`${PATH}/export`, {}, { q: state.q, status: state.status, kind: state.kind, mine: state.mine })} className={buttonClass("secondary")} data-testid="content-export" download>
              {t("content.exportCsv")}
            </a>
          </>
        }
      />
      <ContentTabs current={PATH} tabs={contentTabList(t, actor.permissions)} />
      <FilterBar
        key={new URLSearchParams(state).toString()}
        action={PATH}
        label={t("content.filters.title")}
        submitLabel={t("content.filters.apply")}
        resetHref={PATH}
        resetLabel={t("content.filters.reset")}
        hidden={{ sort: state.sort, dir: state.dir, pageSize: state.pageSize }}
        testId="content-filters"
        more={
          <>
            {actor.permissions.has("content.read:all") ? (
              <label className="flex min-h-10 items-start gap-2 text-sm text-slate-800">
                <input type="checkbox" name="mine" value="1" defaultChecked={params.mine === "1"} className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-400" />
                <span>{t("content.filters.mine")}</span>
              </label>
            ) : null}
          </>
        }
      >
        <TextField name="q" type="search" label={t("content.filters.search")} defaultValue={params.q} maxLength={100} />
        <SelectField name="status" label={t("content.fields.status")} placeholder={any} defaultValue={params.status ?? ""} options={CONTENT_STATUSES.map((v) => ({ value: v, label: t(`content.status.${v}`) }))} />
        <SelectField name="kind" label={t("content.fields.kind")} placeholder={any} defaultValue={params.kind ?? ""} options={CONTENT_KINDS.map((v) => ({ value: v, label: t(`content.kind.${v}`) }))} />
      </FilterBar>
      <p className="mb-2 text-sm text-slate-600" aria-live="polite">
        {t("content.count", { count: result.total })}
      </p>
      <DataList caption={t("content.caption")} sort={{ sort: params.sort, dir: params.dir, href: sortHref, columns: sortable, labels: sortLabels(t) }}>
        <ListHead>
            {sortTh("title", t("content.fields.title"))}
            <Th>{t("content.fields.kind")}</Th>
            {sortTh("status", t("content.fields.status"))}
            <Th>{t("content.fields.account")}</Th>
            <Th>{t("content.fields.author")}</Th>
            <Th>{t("content.fields.revision")}</Th>
            {sortTh("plannedAt", t("content.fields.plannedAt"))}
            {sortTh("updatedAt", t("content.fields.updatedAt"))}
        </ListHead>
        <ListBody data-testid="content-table">
          {result.rows.length === 0 ? (
            <ListEmpty colSpan={8}>{t("content.empty")}</ListEmpty>
          ) : (
            result.rows.map((s) => (
              <ListRow key={s.id} data-testid="content-row">
                <Cell kind="title" className="sm:min-w-40">
                  <Link href={`${PATH}/${s.id}`} className="font-medium text-blue-800 hover:underline">
                    {s.title}
                  </Link>
                </Cell>
                <Cell label={t("content.fields.kind")} className="whitespace-nowrap">{t(`content.kind.${s.kind}`)}</Cell>
                <Cell kind="status" className="whitespace-nowrap">
                  <ContentStatusBadge status={s.status} label={t(`content.status.${s.status}`)} />
                </Cell>
                <Cell label={t("content.fields.account")} className="whitespace-nowrap">{s.accountName}</Cell>
                <Cell label={t("content.fields.author")} className="whitespace-nowrap">{s.author?.name ?? t("content.none")}</Cell>
                <Cell label={t("content.fields.revision")} className="whitespace-nowrap tabular-nums">{s.currentRevision}</Cell>
                <Cell kind="deadline" label={t("content.fields.plannedAt")} className="whitespace-nowrap">{formatDateTime(s.plannedAt, locale)}</Cell>
                <Cell label={t("content.fields.updatedAt")} className="whitespace-nowrap">{formatDateTime(s.updatedAt, locale)}</Cell>
              </ListRow>
            ))
          )}
        </ListBody>
      </DataList>
      <Pagination page={result.page} pageSize={result.pageSize} total={result.total} href={(page) => href({ page: page === 1 ? undefined : page })} />
    </>
  );
}
