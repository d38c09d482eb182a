import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { AccountActions } from "@/components/accounts/account-actions";
import { RevealValue } from "@/components/accounts/reveal-value";
import { AccountStatusBadge } from "@/components/accounts/status-badge";
import { formatDate, formatDateTime } from "@/components/groups/format";
import { Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { TextField } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { Th } from "@/components/ui/table";
import { accountAbilities, getAccount, listContacts } from "@/lib/accounts/queries";
import { contactListSchema } from "@/lib/accounts/schemas";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("accounts.title") };
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="text-sm break-words text-slate-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

export default async function AccountPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("accounts.request", "accounts.read:department", "accounts.read:all");
  const { id } = await params;
  if (!/^[a-z0-9]{20,40}$/i.test(id)) notFound();
  const { t, locale } = await getI18n();
  const client = db();
  const account = await getAccount(actor, client, id);
  if (!account) notFound();
  const query = firstValues(await searchParams);
  const contactParams = contactListSchema.parse(query);
  const contacts = (await listContacts(actor, client, id, contactParams))!;
  const abilities = accountAbilities(actor, account);
  const path = `/accounts/${id}`;
  const state: Record<string, string> = {};
  if (contactParams.q) state.q = contactParams.q;
  if (contactParams.pageSize !== 25) state.pageSize = String(contactParams.pageSize);
  const none = t("accounts.none");
  const anyAction = abilities.suspend || abilities.resume || abilities.requestDissolution;

  return (
    <div className="mx-auto max-w-5xl min-w-0 space-y-4">
      <p className="text-sm">
        <Link href="/accounts" className="text-blue-800 hover:underline">
          ← {t("accounts.back")}
        </Link>
      </p>
      <PageHeader title={account.displayName} description={`${t(`accounts.type.${account.type}`)} · ${account.department?.name ?? none}`} actions={<AccountStatusBadge status={account.status} label={t(`accounts.status.${account.status}`)} />} />

      <div className="grid min-w-0 grid-cols-1 gap-4 lg:grid-cols-3">
        <div className="min-w-0 space-y-4 lg:col-span-2">
          <Card title={t("accounts.detail.identifiers")}>
            <dl className="divide-y divide-slate-100">
              <Row label={t("accounts.fields.platformId")}>
                <RevealValue accountId={account.id} field="platformId" mask={account.platformIdMask} canReveal={abilities.reveal} />
              </Row>
              <Row label={t("accounts.fields.phone")}>{account.phoneMask ? <RevealValue accountId={account.id} field="phone" mask={account.phoneMask} canReveal={abilities.revealPhone} /> : none}</Row>
              <Row label={t("accounts.fields.type")}>{t(`accounts.type.${account.type}`)}</Row>
              <Row label={t("accounts.fields.holder")}>{account.holder ? `${account.holder.name}（${account.holder.employeeNo}）` : none}</Row>
              <Row label={t("accounts.fields.custodianDepartment")}>{account.department?.name ?? none}</Row>
              <Row label={t("accounts.fields.requestedBy")}>{account.fromWeComSync ? t("accounts.detail.fromWeComSync") : (account.requestedBy?.name ?? none)}</Row>
              <Row label={t("accounts.fields.contacts")}>{account.contacts}</Row>
              <Row label={t("accounts.fields.createdAt")}>{formatDateTime(account.createdAt, locale)}</Row>
              {account.note ? <Row label={t("accounts.fields.note")}>{account.note}</Row> : null}
            </dl>
            {abilities.reveal ? <p className="mt-2 text-xs text-slate-500">{t("accounts.detail.revealHint")}</p> : null}
          </Card>

          <Card title={t("accounts.detail.contacts")}>
            <form action={path} method="get" className="mb-3 flex flex-wrap items-end gap-2" role="search">
              <div className="min-w-0 flex-1">
                <TextField name="q" type="search" label={t("accounts.detail.contactsSearch")} defaultValue={contactParams.q} maxLength={100} />
              </div>
              <button type="submit" className="min-h-10 rounded-md border border-slate-300 bg-white px-3 text-sm">
                {t("accounts.filters.apply")}
              </button>
            </form>
            <p className="mb-2 text-sm text-slate-600" aria-live="polite">
              {t("accounts.detail.contactsCount", { count: contacts.total })}
            </p>
            <DataList caption={t("accounts.detail.contactsCaption")}>
              <ListHead>
                  <Th>{t("accounts.detail.contactColumns.name")}</Th>
                  <Th>{t("accounts.detail.contactColumns.company")}</Th>
                  <Th>{t("accounts.detail.contactColumns.addedAt")}</Th>
                  <Th>{t("accounts.detail.contactColumns.status")}</Th>
                  <Th>{t("accounts.detail.contactColumns.remark")}</Th>
                  <Th>{t("accounts.detail.contactColumns.externalId")}</Th>
        </ListHead>
              <ListBody data-testid="contact-table">
                {contacts.rows.length === 0 ? (
                  <ListEmpty colSpan={6}>{t("accounts.detail.contactsEmpty")}</ListEmpty>
                ) : (
                  contacts.rows.map((c) => (
                    <ListRow key={c.id}>
                      <Cell kind="title" className="whitespace-nowrap">{c.name}</Cell>
                      <Cell label={t("accounts.detail.contactColumns.company")} className="sm:min-w-48">{c.company ?? none}</Cell>
                      <Cell label={t("accounts.detail.contactColumns.addedAt")} className="whitespace-nowrap">{formatDate(c.addedAt, locale)}</Cell>
                      <Cell kind="status" className="whitespace-nowrap">
                        {t(`accounts.detail.contactStatus.${c.status}`)}
                        {c.status === "REMOVED" && c.wecomLastSeenAt ? <span className="block text-xs text-slate-600">{t("accounts.detail.contactRemoved", { date: formatDateTime(c.wecomLastSeenAt, locale) })}</span> : null}
                      </Cell>
                      <Cell label={t("accounts.detail.contactColumns.remark")} className="sm:min-w-32 break-words">{c.remark || none}</Cell>
                      <Cell label={t("accounts.detail.contactColumns.externalId")} className="text-xs whitespace-nowrap">
                        <RevealValue accountId={account.id} field="contact" contactId={c.id} mask={c.externalIdMask} canReveal={abilities.reveal} />
                      </Cell>
                    </ListRow>
                  ))
                )}
              </ListBody>
            </DataList>
            <Pagination page={contacts.page} pageSize={contacts.pageSize} total={contacts.total} href={(page) => hrefWith(path, state, { page: page === 1 ? undefined : page })} />
          </Card>
        </div>

        <div className="min-w-0 space-y-4">
          {anyAction ? (
            <Card title={t("accounts.actions.title")}>
              <AccountActions account={{ id: account.id, version: account.version }} abilities={abilities} />
            </Card>
          ) : null}

          <Card title={t("accounts.detail.requests")}>
            {account.requests.length === 0 ? (
              <p className="text-sm text-slate-600">{t("accounts.detail.requestsEmpty")}</p>
            ) : (
              <ul className="space-y-2 text-sm">
                {account.requests.map((r) => (
                  <li key={r.id}>
                    <Link href={`/approvals/${r.id}`} className="text-blue-800 underline">
                      {t(`approvals.types.${r.type}`)}
                    </Link>{" "}
                    · {t(`approvals.requestStatus.${r.status}`)} · {formatDate(r.createdAt, locale)}
                  </li>
                ))}
              </ul>
            )}
          </Card>

          <Card title={t("accounts.detail.history")}>
            {account.history.length === 0 ? (
              <p className="text-sm text-slate-600">{t("accounts.detail.historyEmpty")}</p>
            ) : (
              <ol className="space-y-2 text-sm">
                {account.history.map((h) => (
                  <li key={h.id} className="border-l-2 border-slate-200 pl-3">
                    <div className="font-medium text-slate-900">{t(`accounts.history.${h.action}`)}</div>
                    <div className="text-xs text-slate-600">
                      {formatDateTime(h.createdAt, locale)} · {h.actorName ?? h.actorLabel}
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}
