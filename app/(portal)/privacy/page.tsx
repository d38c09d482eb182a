import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { LinkButton } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { TextField } from "@/components/ui/field";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { currentNotices, searchSubjects } from "@/lib/privacy/queries";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, type SearchParams } from "@/lib/url";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.title") };
}

// The privacy home: find a data subject (by name or exact identifier) or register one, the current
// notice for each purpose, and — for the privacy officer and auditors — the registers.
export default async function PrivacyPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("consents.record", "privacy.manage", "privacy.read:all");
  const { t } = await getI18n();
  const q = (firstValues(await searchParams).q ?? "").slice(0, 128);
  const client = db();
  const [notices, subjects] = await Promise.all([currentNotices(client), q ? searchSubjects(client, q) : Promise.resolve(null)]);
  const manage = actor.permissions.has("privacy.manage");
  const readAll = actor.permissions.has("privacy.read:all");
  return (
    <div className="min-w-0 space-y-4">
      <PageHeader
        title={t("privacy.title")}
        description={t("privacy.description")}
        actions={
          <>
            {actor.permissions.has("consents.record") || manage ? (
              <LinkButton href="/privacy/subjects/new" variant="primary" data-testid="subject-new">
                {t("privacy.subject.new")}
              </LinkButton>
            ) : null}
            <LinkButton href="/privacy/check">{t("privacy.check.title")}</LinkButton>
            {actor.permissions.has("consents.record") ? <LinkButton href="/privacy/consent-links">{t("consentPage.links.title")}</LinkButton> : null}
          </>
        }
      />
      <Card title={t("privacy.subject.search")}>
        <form action="/privacy" method="get" role="search" className="flex flex-wrap items-end gap-2">
          <div className="min-w-0 flex-1">
            <TextField name="q" type="search" label={t("privacy.subject.searchLabel")} hint={t("privacy.subject.searchHint")} defaultValue={q} maxLength={128} autoComplete="off" />
          </div>
          <button type="submit" className="min-h-10 rounded-md border border-slate-300 bg-white px-3 text-sm">
            {t("privacy.subject.searchSubmit")}
          </button>
        </form>
        {subjects ? (
          <div className="mt-3">
            <DataList caption={t("privacy.subject.results")}>
              <ListHead>
                  <Th>{t("privacy.subject.name")}</Th>
                  <Th>{t("privacy.subject.phone")}</Th>
                  <Th>{t("privacy.subject.wecomId")}</Th>
        </ListHead>
              <ListBody data-testid="subject-results">
                {subjects.length === 0 ? (
                  <ListEmpty colSpan={3}>{t("privacy.subject.none")}</ListEmpty>
                ) : (
                  subjects.map((s) => (
                    <ListRow key={s.id}>
                      <Cell kind="title">
                        <Link href={`/privacy/subjects/${s.id}`} className="font-medium text-blue-800 hover:underline">
                          {s.name}
                        </Link>
                      </Cell>
                      <Cell label={t("privacy.subject.phone")} className="font-mono">{s.phoneMask ?? "—"}</Cell>
                      <Cell label={t("privacy.subject.wecomId")} className="font-mono">{s.wecomIdMask ?? "—"}</Cell>
                    </ListRow>
                  ))
                )}
              </ListBody>
            </DataList>
          </div>
        ) : null}
      </Card>

      {manage || readAll ? (
        <Card title={t("privacy.registers")}>
          <ul className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-3">
            {[
              ["/privacy/consents", "privacy.consents.title"],
              ["/privacy/notices", "privacy.notices.title"],
              ["/privacy/requests", "privacy.requests.title"],
              ["/privacy/incidents", "privacy.incidents.title"],
              ["/privacy/wecom-archive", "privacy.wecomArchive.title"],
              ...(manage ? [["/privacy/import", "privacy.import.title"]] : []),
            ].map(([href, key]) => (
              <li key={href}>
                <Link href={href} className="block rounded-md border border-slate-200 p-3 text-sm font-medium text-blue-800 hover:bg-slate-50">
                  {t(key)}
                </Link>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      <Card title={t("privacy.notices.current")}>
        {notices.length === 0 ? (
          <p className="text-sm text-slate-600">{t("privacy.notices.noneCurrent")}</p>
        ) : (
          <ul className="space-y-3" data-testid="current-notices">
            {notices.map((n) => (
              <li key={n.id} className="text-sm">
                <Link href={`/privacy/notices/${n.id}`} className="font-medium text-blue-800 hover:underline">
                  {n.title} v{n.noticeVersion}
                </Link>
                <span className="text-slate-600"> · {n.purposes.map((p) => `${p.description}（${p.code}）`).join(t("common.listSeparator"))}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
