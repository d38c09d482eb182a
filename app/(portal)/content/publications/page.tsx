import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDateTime } from "@/components/groups/format";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow, sortLabels } from "@/components/ui/data-list";
import { SelectField, TextField } from "@/components/ui/field";
import { FilterBar } from "@/components/ui/filter-bar";
import { Pagination } from "@/components/ui/pagination";
import { SortTh, Th } from "@/components/ui/table";
import { listPublications } from "@/lib/content/queries";
import { CONTENT_KINDS, publicationListSchema, type PublicationListParams } from "@/lib/content/schemas";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";
import { ContentTabs, contentTabList } from "../_components/tabs";

const PATH = "/content/publications";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("content.publications.title") };
}

type Approver = { name: string; role: string | null; decidedAt: string | null };
type Accepted = { term: string; reason: string | null; acceptedBy: string };

export default async function PublicationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("content.read:all");
  const { t, locale } = await getI18n();
  const params = publicationListSchema.parse({ dir: "desc", ...firstValues(await searchParams) });
  const result = await listPublications(db(), params);
  const state: Record<string, string> = {};
  if (params.q) state.q = params.q;
  if (params.kind) state.kind = params.kind;
  if (params.sort !== "approvedAt") state.sort = params.sort;
  if (params.dir !== "desc") state.dir = params.dir;
  if (params.pageSize !== 25) state.pageSize = String(params.pageSize);
  const href = (changes: Record<string, string | number | undefined>) => hrefWith(PATH, state, changes);
  const sortHref = ({ sort, dir }: { sort: string; dir: "asc" | "desc" }) => href({ sort: sort === "approvedAt" ? undefined : sort, dir: dir === "desc" ? undefined : dir, page: undefined });
  const sortTh = (column: PublicationListParams["sort"], label: string) => <SortTh label={label} column={column} sort={params.sort} dir={params.dir} href={sortHref} />;
  const sortable: Array<{ column: PublicationListParams["sort"]; label: string }> = [
    { column: "title", label: t("content.fields.title") },
    { column: "plannedAt", label: t("content.fields.plannedAt") },
    { column: "approvedAt", label: t("content.fields.approvedAt") },
  ];
  const exportHref = hrefWith(`${PATH}/export`, {}, { q: params.q || undefined, kind: params.kind });
  return (
    <>
      <PageHeader
        title={t("content.publications.title")}
        description={t("content.publications.description")}
        actions={
          <a href={exportHref} className={buttonClass("secondary")} title={t("content.publications.exportHint")} data-testid="publications-export" download>
            {t("content.publications.export")}
          </a>
        }
      />
      <ContentTabs current={PATH} tabs={contentTabList(t, actor.permissions)} />
      <FilterBar key={new URLSearchParams(state).toString()} action={PATH} label={t("content.filters.title")} submitLabel={t("content.filters.apply")} resetHref={PATH} resetLabel={t("content.filters.reset")} hidden={{ sort: state.sort, dir: state.dir, pageSize: state.pageSize }} testId="publication-filters">
        <TextField name="q" type="search" label={t("content.filters.search")} defaultValue={params.q} maxLength={100} />
        <SelectField name="kind" label={t("content.fields.kind")} placeholder={t("content.filters.any")} defaultValue={params.kind ?? ""} options={CONTENT_KINDS.map((v) => ({ value: v, label: t(`content.kind.${v}`) }))} />
      </FilterBar>
      <p className="mb-2 text-sm text-slate-600" aria-live="polite">
        {t("content.publications.count", { count: result.total })}
      </p>
      <DataList caption={t("content.publications.caption")} sort={{ sort: params.sort, dir: params.dir, href: sortHref, columns: sortable, labels: sortLabels(t) }}>
        <ListHead>
            {sortTh("title", t("content.fields.title"))}
            <Th>{t("content.fields.kind")}</Th>
            <Th>{t("content.fields.account")}</Th>
            <Th>{t("content.fields.author")}</Th>
            {sortTh("plannedAt", t("content.fields.plannedAt"))}
            {sortTh("approvedAt", t("content.fields.approvedAt"))}
            <Th>{t("content.fields.approvers")}</Th>
            <Th>{t("content.fields.acceptedFindings")}</Th>
        </ListHead>
        <ListBody data-testid="publication-table">
          {result.rows.length === 0 ? (
            <ListEmpty colSpan={8}>{t("content.publications.empty")}</ListEmpty>
          ) : (
            result.rows.map((p) => {
              const approvers = p.approvers as Approver[];
              const accepted = p.acceptedFindings as Accepted[];
              return (
                <ListRow key={p.id} data-testid="publication-row">
                  <Cell kind="title" className="sm:min-w-40">
                    <Link href={`/content/${p.submissionId}`} className="font-medium text-blue-800 hover:underline">
                      {p.title}
                    </Link>
                    <p className="text-xs text-slate-500">{t("content.detail.revisionN", { n: p.revisionNumber })}</p>
                  </Cell>
                  <Cell label={t("content.fields.kind")} className="whitespace-nowrap">{t(`content.kind.${p.kind}`)}</Cell>
                  <Cell label={t("content.fields.account")}>{p.accountName}</Cell>
                  <Cell label={t("content.fields.author")} className="whitespace-nowrap">{p.authorName}</Cell>
                  <Cell kind="deadline" label={t("content.fields.plannedAt")} className="whitespace-nowrap">{formatDateTime(p.plannedAt, locale)}</Cell>
                  <Cell label={t("content.fields.approvedAt")} className="whitespace-nowrap">{formatDateTime(p.approvedAt, locale)}</Cell>
                  <Cell label={t("content.fields.approvers")}>{approvers.map((a) => a.name).join(" → ")}</Cell>
                  <Cell label={t("content.fields.acceptedFindings")}>
                    {accepted.length === 0 ? (
                      t("content.none")
                    ) : (
                      <ul className="list-inside list-disc">
                        {accepted.map((f, i) => (
                          <li key={i}>
                            “{f.term}”：{f.reason}（{f.acceptedBy}）
                          </li>
                        ))}
                      </ul>
                    )}
                  </Cell>
                </ListRow>
              );
            })
          )}
        </ListBody>
      </DataList>
      <Pagination page={result.page} pageSize={result.pageSize} total={result.total} href={(page) => href({ page: page === 1 ? undefined : page })} />
    </>
  );
}
