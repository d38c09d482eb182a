import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { AccountStatusBadge } from "@/components/accounts/status-badge";
import { formatDate } from "@/components/groups/format";
import { buttonClass, LinkButton } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow, sortLabels } from "@/components/ui/data-list";
import { ManySelectField, SelectField, TextField } from "@/components/ui/field";
import { optionList } from "@/components/ui/select-options";
import { FilterBar } from "@/components/ui/filter-bar";
import { Pagination } from "@/components/ui/pagination";
import { SortTh, Th } from "@/components/ui/table";
import { departmentOptions, listAccounts } from "@/lib/accounts/queries";
import { ACCOUNT_STATUSES, ACCOUNT_TYPES, accountListSchema, FILTER_KEYS, type AccountListParams } from "@/lib/accounts/schemas";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";

const PATH = "/accounts";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("accounts.title") };
}

function urlState(p: AccountListParams): Record<string, string> {
  const out: Record<string, string> = {};
  if (p.q) out.q = p.q;
  for (const key of FILTER_KEYS) {
    const value = p[key];
    if (value) out[key] = value;
  }
  if (p.sort !== "createdAt") out.sort = p.sort;
  if (p.dir !== "desc") out.dir = p.dir;
  if (p.pageSize !== 25) out.pageSize = String(p.pageSize);
  if (p.page !== 1) out.page = String(p.page);
  return out;
}

export default async function AccountsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("accounts.request", "accounts.read:department", "accounts.read:all");
  const { t, locale } = await getI18n();
  const params = accountListSchema.parse(firstValues(await searchParams));
  const client = db();
  const [result, departments] = await Promise.all([listAccounts(actor, client, params), departmentOptions(client)]);
  const state = urlState({ ...params, page: result.page });
  const href = (changes: Record<string, string | number | undefined>) => hrefWith(PATH, state, changes);
  const filters: Record<string, string> = {};
  for (const key of ["q", ...FILTER_KEYS] as const) if (state[key]) filters[key] = state[key];
  const exportHref = hrefWith("/api/accounts/export", {}, filters);
  const sortHref = ({ sort, dir }: { sort: string; dir: "asc" | "desc" }) => href({ sort: sort === "createdAt" ? undefined : sort, dir: dir === "desc" ? undefined : dir, page: undefined });
  const sortTh = (column: AccountListParams["sort"], label: string) => <SortTh label={label} column={column} sort={params.sort} dir={params.dir} href={sortHref} />;
  const sortable: Array<{ column: AccountListParams["sort"]; label: string }> = [
    { column: "displayName", label: t("accounts.fields.displayName") },
    { column: "type", label: t("accounts.fields.type") },
    { column: "status", label: t("accounts.fields.status") },
    { column: "contacts", label: t("accounts.fields.contacts") },
    { column: "createdAt", label: t("accounts.fields.createdAt") },
  ];
  const any = t("accounts.filters.any");

  return (
    <>
      <PageHeader
        title={t("accounts.title")}
        description={t("accounts.description")}
        actions={
          <>
            {actor.permissions.has("accounts.request") ? (
              <LinkButton href={`${PATH}/new`} variant="primary" data-testid="account-new">
                {t("accounts.newAccount")}
              </LinkButton>
            ) : null}
            {actor.permissions.has("accounts.manage") ? (
              <LinkButton href={`${PATH}/new?mode=register`} data-testid="account-register">
                {t("accounts.registerAccount")}
              </LinkButton>
            ) : null}
            {actor.permissions.has("accounts.manage") ? (
              <LinkButton href={`${PATH}/import`} data-testid="account-import">
                {t("contactImport.title")}
              </LinkButton>
            ) : null}
            <a href={exportHref} className={buttonClass("secondary")} title={t("accounts.exportHint")} data-testid="account-export" download>
              {t("accounts.exportCsv")}
            </a>
          </>
        }
      />

      <FilterBar
        key={new URLSearchParams(state).toString()}
        action={PATH}
        label={t("accounts.filters.title")}
        submitLabel={t("accounts.filters.apply")}
        resetHref={PATH}
        resetLabel={t("accounts.filters.reset")}
        hidden={{ sort: state.sort, dir: state.dir, pageSize: state.pageSize }}
        testId="account-filters"
        more={
          <>
            <ManySelectField
              name="department"
              label={t("accounts.fields.custodianDepartment")}
              hint={t("accounts.filters.departmentHint")}
              placeholder={any}
              defaultValue={params.department ?? ""}
              options={optionList(departments.map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}` })))}
            />
            <TextField name="holder" type="search" label={t("accounts.fields.holder")} hint={t("accounts.filters.holderHint")} defaultValue={params.holder ?? ""} maxLength={100} />
            <TextField name="platformId" type="search" label={t("accounts.fields.platformId")} hint={t("accounts.filters.platformIdHint")} defaultValue={params.platformId ?? ""} maxLength={128} autoComplete="off" />
            <TextField name="phone" type="search" label={t("accounts.fields.phone")} hint={t("accounts.filters.phoneHint")} defaultValue={params.phone ?? ""} maxLength={20} autoComplete="off" />
            <label className="flex min-h-10 items-start gap-2 text-sm text-slate-800">
              <input type="checkbox" name="mine" value="1" defaultChecked={params.mine === "1"} className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-400" />
              <span>{t("accounts.filters.mine")}</span>
            </label>
            <label className="flex min-h-10 items-start gap-2 text-sm text-slate-800">
              <input type="checkbox" name="holderDeparted" value="1" defaultChecked={params.holderDeparted === "1"} className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-400" />
              <span>{t("accounts.filters.holderDeparted")}</span>
            </label>
          </>
        }
      >
        <TextField name="q" type="search" label={t("accounts.filters.search")} defaultValue={params.q} maxLength={100} />
        <SelectField name="type" label={t("accounts.fields.type")} placeholder={any} defaultValue={params.type ?? ""} options={ACCOUNT_TYPES.map((v) => ({ value: v, label: t(`accounts.type.${v}`) }))} />
        <SelectField name="status" label={t("accounts.fields.status")} placeholder={any} defaultValue={params.status ?? ""} options={ACCOUNT_STATUSES.map((v) => ({ value: v, label: t(`accounts.status.${v}`) }))} />
      </FilterBar>

      <p className="mb-2 text-sm text-slate-600" data-testid="account-total" aria-live="polite">
        {t("accounts.count", { count: result.total })}
      </p>

      <DataList caption={t("accounts.registryCaption")} sort={{ sort: params.sort, dir: params.dir, href: sortHref, columns: sortable, labels: sortLabels(t) }}>
        <ListHead>
            {sortTh("displayName", t("accounts.fields.displayName"))}
            {sortTh("type", t("accounts.fields.type"))}
            {sortTh("status", t("accounts.fields.status"))}
            <Th>{t("accounts.fields.platformId")}</Th>
            <Th>{t("accounts.fields.phone")}</Th>
            <Th>{t("accounts.fields.holder")}</Th>
            <Th>{t("accounts.fields.custodianDepartment")}</Th>
            {sortTh("contacts", t("accounts.fields.contacts"))}
            {sortTh("createdAt", t("accounts.fields.createdAt"))}
        </ListHead>
        <ListBody data-testid="account-table">
          {result.rows.length === 0 ? (
            <ListEmpty colSpan={9}>{t("accounts.empty")}</ListEmpty>
          ) : (
            result.rows.map((a) => (
              <ListRow key={a.id} data-testid="account-row">
                <Cell kind="title" className="sm:min-w-40">
                  <Link href={`${PATH}/${a.id}`} className="font-medium text-blue-800 hover:underline">
                    {a.displayName}
                  </Link>
                </Cell>
                <Cell label={t("accounts.fields.type")} className="whitespace-nowrap">{t(`accounts.type.${a.type}`)}</Cell>
                <Cell kind="status" className="whitespace-nowrap">
                  <AccountStatusBadge status={a.status} label={t(`accounts.status.${a.status}`)} />
                </Cell>
                <Cell label={t("accounts.fields.platformId")} className="whitespace-nowrap font-mono">{a.platformIdMask}</Cell>
                <Cell label={t("accounts.fields.phone")} className="whitespace-nowrap font-mono">{a.phoneMask ?? t("accounts.none")}</Cell>
                <Cell label={t("accounts.fields.holder")} className="whitespace-nowrap">{a.holder?.name ?? t("accounts.none")}</Cell>
                <Cell label={t("accounts.fields.custodianDepartment")} className="whitespace-nowrap">{a.department?.name ?? t("accounts.none")}</Cell>
                <Cell label={t("accounts.fields.contacts")} className="whitespace-nowrap tabular-nums">{a.contacts}</Cell>
                <Cell label={t("accounts.fields.createdAt")} className="whitespace-nowrap">{formatDate(a.createdAt, locale)}</Cell>
              </ListRow>
            ))
          )}
        </ListBody>
      </DataList>

      <Pagination page={result.page} pageSize={result.pageSize} total={result.total} href={(page) => href({ page: page === 1 ? undefined : page })} />
    </>
  );
}
