import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDay } from "@/components/groups/format";
import { buttonClass, LinkButton } from "@/components/ui/button";
import { Badge, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow, sortLabels } from "@/components/ui/data-list";
import { SelectField, TextField } from "@/components/ui/field";
import { FilterBar } from "@/components/ui/filter-bar";
import { Pagination } from "@/components/ui/pagination";
import { SortTh, Th } from "@/components/ui/table";
import { dayKey, MEDIA_KINDS } from "@/lib/content/media-check";
import { listMedia } from "@/lib/content/queries";
import { mediaListSchema, type MediaListParams } from "@/lib/content/schemas";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";
import { ContentTabs, contentTabList } from "../_components/tabs";

const PATH = "/content/media";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("content.media.title") };
}

function urlState(p: MediaListParams): Record<string, string> {
  const out: Record<string, string> = {};
  if (p.q) out.q = p.q;
  if (p.kind) out.kind = p.kind;
  if (p.licence) out.licence = p.licence;
  if (p.sort !== "name") out.sort = p.sort;
  if (p.dir !== "asc") out.dir = p.dir;
  if (p.pageSize !== 25) out.pageSize = String(p.pageSize);
  if (p.page !== 1) out.page = String(p.page);
  return out;
}

export default async function MediaPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("content.submit", "content.read:all", "media.manage");
  const { t, locale } = await getI18n();
  const params = mediaListSchema.parse(firstValues(await searchParams));
  const now = new Date();
  const result = await listMedia(db(), params, now);
  const state = urlState({ ...params, page: result.page });
  const href = (changes: Record<string, string | number | undefined>) => hrefWith(PATH, state, changes);
  const sortHref = ({ sort, dir }: { sort: string; dir: "asc" | "desc" }) => href({ sort: sort === "name" ? undefined : sort, dir: dir === "asc" ? undefined : dir, page: undefined });
  const sortTh = (column: MediaListParams["sort"], label: string) => <SortTh label={label} column={column} sort={params.sort} dir={params.dir} href={sortHref} />;
  const sortable: Array<{ column: MediaListParams["sort"]; label: string }> = [
    { column: "name", label: t("content.media.fields.name") },
    { column: "kind", label: t("content.media.fields.kind") },
    { column: "licenceExpiresOn", label: t("content.media.fields.licenceExpiresOn") },
  ];
  const today = dayKey(now);
  const soon = dayKey(new Date(now.getTime() + 30 * 86_400_000));
  const any = t("content.filters.any");
  return (
    <>
      <PageHeader
        title={t("content.title")}
        description={t("content.media.description")}
        actions={
          <>
            {actor.permissions.has("content.submit") ? (
              <LinkButton href={`${PATH}/new`} variant="primary" data-testid="media-new">
                {t("content.media.register")}
              </LinkButton>
            ) : null}
            <a href={hrefWith(`${PATH}/export`, {}, { q: state.q, kind: state.kind, licence: state.licence })} className={buttonClass("secondary")} data-testid="media-export" download>
              {t("content.exportCsv")}
            </a>
          </>
        }
      />
      <ContentTabs current={PATH} tabs={contentTabList(t, actor.permissions)} />
      <FilterBar key={new URLSearchParams(state).toString()} action={PATH} label={t("content.filters.title")} submitLabel={t("content.filters.apply")} resetHref={PATH} resetLabel={t("content.filters.reset")} hidden={{ sort: state.sort, dir: state.dir, pageSize: state.pageSize }} testId="media-filters">
        <TextField name="q" type="search" label={t("content.media.fields.name")} defaultValue={params.q} maxLength={100} />
        <SelectField name="kind" label={t("content.media.fields.kind")} placeholder={any} defaultValue={params.kind ?? ""} options={MEDIA_KINDS.map((v) => ({ value: v, label: t(`content.mediaKind.${v}`) }))} />
        <SelectField
          name="licence"
          label={t("content.media.licenceFilter")}
          placeholder={any}
          defaultValue={params.licence ?? ""}
          options={(["missing", "expiring", "expired"] as const).map((v) => ({ value: v, label: t(`content.media.licenceFilters.${v}`) }))}
        />
      </FilterBar>
      <p className="mb-2 text-sm text-slate-600" aria-live="polite">
        {t("content.media.count", { count: result.total })}
      </p>
      <DataList caption={t("content.media.caption")} sort={{ sort: params.sort, dir: params.dir, href: sortHref, columns: sortable, labels: sortLabels(t) }}>
        <ListHead>
            {sortTh("name", t("content.media.fields.name"))}
            {sortTh("kind", t("content.media.fields.kind"))}
            <Th>{t("content.media.fields.licenceType")}</Th>
            <Th>{t("content.media.fields.licensee")}</Th>
            {sortTh("licenceExpiresOn", t("content.media.fields.licenceExpiresOn"))}
            <Th>{t("content.media.fields.licence")}</Th>
        </ListHead>
        <ListBody data-testid="media-table">
          {result.rows.length === 0 ? (
            <ListEmpty colSpan={6}>{t("content.media.empty")}</ListEmpty>
          ) : (
            result.rows.map((m) => {
              const date = m.licenceExpiresOn?.toISOString().slice(0, 10);
              const state =
                m.licenceType === "NONE"
                  ? { tone: "red" as const, text: t("content.licence.missing") }
                  : !date
                    ? { tone: "green" as const, text: t("content.licence.perpetual") }
                    : date < today
                      ? { tone: "red" as const, text: t("content.licence.expired", { date }) }
                      : date <= soon
                        ? { tone: "amber" as const, text: t("content.media.licenceFilters.expiring") }
                        : { tone: "green" as const, text: t("content.licence.valid", { date }) };
              return (
                <ListRow key={m.id} data-testid="media-row">
                  <Cell kind="title" className="sm:min-w-40">
                    <Link href={`${PATH}/${m.id}`} className="font-medium text-blue-800 hover:underline">
                      {m.name}
                    </Link>
                    <p className="text-xs text-slate-500">{t("content.media.usedIn", { count: m._count.usages })}</p>
                  </Cell>
                  <Cell label={t("content.media.fields.kind")} className="whitespace-nowrap">{t(`content.mediaKind.${m.kind}`)}</Cell>
                  <Cell label={t("content.media.fields.licenceType")} className="whitespace-nowrap">{t(`content.licenceType.${m.licenceType}`)}</Cell>
                  <Cell label={t("content.media.fields.licensee")}>{m.licensee ?? t("content.none")}</Cell>
                  <Cell kind="deadline" label={t("content.media.fields.licenceExpiresOn")} className="whitespace-nowrap">{m.licenceExpiresOn ? formatDay(m.licenceExpiresOn, locale) : t("content.none")}</Cell>
                  <Cell kind="status" className="whitespace-nowrap">
                    <Badge tone={state.tone}>{state.text}</Badge>
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
