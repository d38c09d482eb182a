import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { LinkButton } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, type SearchParams } from "@/lib/url";
import { DeletePolicyForm, PolicyForm, type PolicyValues } from "./_components/policy-form";

const PATH = "/settings/sla";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("service.policies.title") };
}

const NEW_POLICY: PolicyValues = { name: "", nameEn: "", position: 100, channel: null, caseType: null, priority: null, firstResponseMinutes: 30, resolutionMinutes: 480, clock: "BUSINESS", calendarId: null, active: true };

export default async function SlaPoliciesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePagePermission("sla.configure");
  const { t, locale } = await getI18n();
  const { edit } = firstValues(await searchParams);
  const client = db();
  const [policies, calendars] = await Promise.all([
    client.slaPolicy.findMany({ orderBy: [{ position: "asc" }, { id: "asc" }] }),
    client.businessCalendar.findMany({ orderBy: { code: "asc" }, select: { id: true, name: true, nameEn: true, isDefault: true } }),
  ]);
  const calendarName = new Map(calendars.map((c) => [c.id, locale === "en" ? c.nameEn : c.name]));
  const editing = edit === "new" ? NEW_POLICY : policies.find((p) => p.id === edit);
  return (
    <>
      <PageHeader title={t("service.policies.title")} description={t("service.policies.description")} actions={<LinkButton href={`${PATH}?edit=new`} variant="primary" data-testid="policy-new">{t("service.policies.add")}</LinkButton>} />
      <div className="mb-6">
        <DataList caption={t("service.policies.caption")}>
          <ListHead>
              <Th>{t("service.policies.position")}</Th>
              <Th>{t("service.policies.name")}</Th>
              <Th>{t("service.policies.criteria")}</Th>
              <Th className="text-right">{t("service.policies.firstResponseMinutes")}</Th>
              <Th className="text-right">{t("service.policies.resolutionMinutes")}</Th>
              <Th>{t("service.fields.clock")}</Th>
              <Th>{t("service.policies.calendar")}</Th>
              <Th>{t("service.policies.state")}</Th>
              <Th />
        </ListHead>
          <ListBody data-testid="policy-table">
            {policies.length === 0 ? <ListEmpty colSpan={9}>—</ListEmpty> : null}
            {policies.map((p) => (
              <ListRow key={p.id} data-testid="policy-row">
                <Cell label={t("service.policies.position")} className="tabular-nums">{p.position}</Cell>
                <Cell kind="title" className="whitespace-nowrap">{locale === "en" ? p.nameEn : p.name}</Cell>
                <Cell label={t("service.policies.criteria")} className="sm:min-w-48">
                  {[p.channel ? t(`service.channel.${p.channel}`) : t("service.policies.anyChannel"), p.caseType ? t(`service.caseType.${p.caseType}`) : t("service.policies.anyType"), p.priority ? t(`service.priority.${p.priority}`) : t("service.policies.anyPriority")].join(" · ")}
                </Cell>
                <Cell label={t("service.policies.firstResponseMinutes")} className="text-right tabular-nums">{p.firstResponseMinutes}</Cell>
                <Cell label={t("service.policies.resolutionMinutes")} className="text-right tabular-nums">{p.resolutionMinutes}</Cell>
                <Cell label={t("service.fields.clock")} className="whitespace-nowrap">{t(`service.clock.${p.clock}`)}</Cell>
                <Cell label={t("service.policies.calendar")} className="whitespace-nowrap">{p.calendarId ? (calendarName.get(p.calendarId) ?? "—") : t("service.policies.defaultCalendar")}</Cell>
                <Cell kind="status">{p.active ? <Badge tone="green">{t("service.policies.active")}</Badge> : <Badge>{t("service.policies.inactive")}</Badge>}</Cell>
                <Cell kind="actions">
                  <Link className="text-blue-800 hover:underline" href={`${PATH}?edit=${p.id}`}>
                    {t("service.policies.edit")}
                  </Link>
                </Cell>
              </ListRow>
            ))}
          </ListBody>
        </DataList>
      </div>
      {editing ? (
        <Card title={"id" in editing && editing.id ? `${t("service.policies.edit")} · ${editing.name}` : t("service.policies.add")}>
          <div className="max-w-3xl space-y-6">
            <PolicyForm key={edit} policy={editing} calendars={calendars.map((c) => ({ value: c.id, label: locale === "en" ? c.nameEn : c.name }))} />
            {"id" in editing && editing.id && editing.version ? <DeletePolicyForm id={editing.id} version={editing.version} /> : null}
          </div>
        </Card>
      ) : null}
    </>
  );
}
