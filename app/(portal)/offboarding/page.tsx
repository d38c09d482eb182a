import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDateTime, formatDay } from "@/components/groups/format";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { LinkButton } from "@/components/ui/button";
import { Pagination } from "@/components/ui/pagination";
import { Th } from "@/components/ui/table";
import { getI18n } from "@/lib/i18n/server";
import { listCases } from "@/lib/offboarding/queries";
import { caseListSchema } from "@/lib/offboarding/schemas";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";

const PATH = "/offboarding";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("offboarding.title") };
}

export default async function OffboardingPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("offboarding.read");
  const { t, locale } = await getI18n();
  const params = caseListSchema.parse(firstValues(await searchParams));
  const client = db();
  const [result, department] = await Promise.all([
    listCases(actor, client, { view: params.view, page: params.page, pageSize: params.pageSize, q: params.q, department: params.department }),
    params.department ? client.department.findUnique({ where: { id: params.department }, select: { name: true } }) : null,
  ]);
  const state: Record<string, string> = {};
  if (params.view !== "open") state.view = params.view;
  if (params.q) state.q = params.q;
  if (params.department) state.department = params.department;
  const href = (changes: Record<string, string | number | undefined>) => hrefWith(PATH, state, changes);

  return (
    <>
      <PageHeader
        title={t("offboarding.title")}
        description={t("offboarding.description")}
        actions={
          actor.permissions.has("offboarding.manage") ? (
            <LinkButton href={`${PATH}/new`} variant="primary" data-testid="offboarding-new">
              {t("offboarding.newCase")}
            </LinkButton>
          ) : null
        }
      />
      <div className="mb-4 grid gap-3 sm:grid-cols-3" data-testid="offboarding-summary">
        <Card title={t("offboarding.summary.open")}>
          <p className="text-2xl font-semibold tabular-nums">{result.summary.open}</p>
        </Card>
        <Card title={t("offboarding.summary.pastDue")}>
          <p className="text-2xl font-semibold tabular-nums text-amber-700">{result.summary.pastDue}</p>
        </Card>
        <Card title={t("offboarding.summary.atRisk")}>
          <p className="text-2xl font-semibold tabular-nums text-red-700">{result.summary.contactsAtRisk}</p>
        </Card>
      </div>
      <nav className="mb-3 flex flex-wrap gap-2 text-sm" aria-label={t("offboarding.casesCaption")}>
        {(["open", "pastDue", "closed"] as const).map((v) => (
          <Link
            key={v}
            href={hrefWith(PATH, params.department ? { department: params.department } : {}, { view: v === "open" ? undefined : v })}
            aria-current={params.view === v ? "page" : undefined}
            className={`inline-flex min-h-11 items-center rounded-full border px-3 py-1 sm:min-h-0 ${params.view === v ? "border-blue-700 bg-blue-50 text-blue-900" : "border-slate-300 text-slate-700"}`}
          >
            {t(`offboarding.views.${v}`)}
          </Link>
        ))}
      </nav>
      {params.department ? (
        <p className="mb-3 text-sm text-slate-700" data-testid="offboarding-department-filter">
          {t("offboarding.departmentFilter", { name: department?.name ?? "—" })}{" "}
          <Link className="text-blue-800 hover:underline" href={hrefWith(PATH, state, { department: undefined, page: undefined })}>{t("offboarding.clearDepartment")}</Link>
        </p>
      ) : null}
      <DataList caption={t("offboarding.casesCaption")}>
        <ListHead>
            <Th>{t("offboarding.fields.employee")}</Th>
            <Th>{t("offboarding.fields.lastWorkingDay")}</Th>
            <Th>{t("offboarding.fields.status")}</Th>
            <Th>{t("offboarding.fields.openItems")}</Th>
            <Th>{t("offboarding.fields.contactsAtRisk")}</Th>
            <Th>{t("offboarding.fields.departedAt")}</Th>
        </ListHead>
        <ListBody data-testid="offboarding-cases">
          {result.rows.length === 0 ? (
            <ListEmpty colSpan={6}>{t("offboarding.empty")}</ListEmpty>
          ) : (
            result.rows.map((c) => (
              <ListRow key={c.id} data-testid="offboarding-case-row">
                <Cell kind="title" className="sm:min-w-40">
                  <Link href={`${PATH}/${c.id}`} className="font-medium text-blue-800 hover:underline">
                    {c.employee?.name ?? "—"}
                  </Link>
                  <span className="block text-xs text-slate-500">{c.employee?.employeeNo}</span>
                </Cell>
                <Cell kind="deadline" label={t("offboarding.fields.lastWorkingDay")} className="whitespace-nowrap">
                  {formatDay(c.lastWorkingDay, locale)}
                  {c.pastDue ? (
                    <span className="ml-2">
                      <Badge tone="amber">{t("offboarding.pastDue")}</Badge>
                    </span>
                  ) : null}
                </Cell>
                <Cell kind="status" className="whitespace-nowrap">{t(`offboarding.caseStatus.${c.status}`)}</Cell>
                <Cell label={t("offboarding.fields.openItems")} className="tabular-nums">{c.openItems}</Cell>
                <Cell label={t("offboarding.fields.contactsAtRisk")} className="tabular-nums">{c.contactsAtRisk}</Cell>
                <Cell label={t("offboarding.fields.departedAt")} className="whitespace-nowrap">{formatDateTime(c.departedAt, locale)}</Cell>
              </ListRow>
            ))
          )}
        </ListBody>
      </DataList>
      <Pagination page={result.page} pageSize={result.pageSize} total={result.total} href={(page) => href({ page: page === 1 ? undefined : page })} />
    </>
  );
}
