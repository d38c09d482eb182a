import type { Metadata } from "next";
import { AuditFilterForm } from "@/components/audit/audit-filter-form";
import { AuditPager } from "@/components/audit/audit-pager";
import { AuditTable } from "@/components/audit/audit-table";
import { VerifyChain } from "@/components/audit/verify-chain";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { countActive, FilterCollapse } from "@/components/ui/filter-bar";
import { auditTrailView, type AuditCount, type AuditTrailPage } from "@/lib/audit/queries";
import { AUDIT_FILTER_KEYS, filterParams, parseAuditFilters } from "@/lib/audit/schemas";
import { fieldErrorsFrom } from "@/lib/forms";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, hrefWith, type SearchParams } from "@/lib/url";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("audit.title") };
}

/** Action names plus the prefixes they share ("employee."), for the action field's suggestions. */
function actionSuggestions(actions: string[]): string[] {
  const prefixes = new Set(actions.filter((a) => a.includes(".")).map((a) => `${a.slice(0, a.indexOf("."))}.`));
  return [...prefixes, ...actions].sort();
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission("audit.read");
  const { t, locale } = await getI18n();
  const raw = firstValues(await searchParams);
  const parsed = parseAuditFilters(raw);
  const client = db();

  // The selects' values, the page and its count (lib/audit/queries.ts: one statement, and a
  // filtered count beside it). Invalid filters: the selects only, no results.
  const view = await auditTrailView(client, actor, parsed.ok ? parsed.filters : {});
  const { entityTypes, actions } = view;
  let page: AuditTrailPage = { events: [], newerCursor: null, olderCursor: null };
  let count: AuditCount | null = null;
  let kept: Record<string, string> = {};
  if (parsed.ok) {
    kept = filterParams(parsed.filters);
    ({ page, count } = view);
  }
  const errors = parsed.ok ? {} : fieldErrorsFrom(parsed.error, t);
  const onNewest = !parsed.ok || (!parsed.filters.before && !parsed.filters.after);
  const number = new Intl.NumberFormat(locale);
  const exportHref = hrefWith("/api/audit/export", kept, {});

  return (
    <>
      <PageHeader title={t("audit.title")} description={t("audit.description")} />
      <div className="space-y-4">
        <div className="flex flex-wrap items-start gap-2">
          {parsed.ok ? (
            <a href={exportHref} className={buttonClass("secondary")} title={t("audit.exportHint")} data-testid="audit-export">
              {t("audit.exportCsv")}
            </a>
          ) : (
            <span className={buttonClass("secondary", "pointer-events-none opacity-50")} aria-disabled="true" title={t("audit.exportUnavailable")}>
              {t("audit.exportCsv")}
            </span>
          )}
          <VerifyChain />
        </div>
        <FilterCollapse active={countActive(AUDIT_FILTER_KEYS.map((k) => raw[k]))} defaultOpen={!parsed.ok}>
        <Card>
          <AuditFilterForm
            values={raw}
            errors={errors}
            entityTypes={entityTypes}
            actionOptions={actionSuggestions(actions)}
            locale={locale}
            labels={{
              title: t("audit.filters.title"),
              actor: t("audit.filters.actor"),
              actorHint: t("audit.filters.actorHint"),
              entityType: t("audit.filters.entityType"),
              anyEntityType: t("audit.filters.anyEntityType"),
              entityId: t("audit.filters.entityId"),
              action: t("audit.filters.action"),
              actionHint: t("audit.filters.actionHint"),
              from: t("audit.filters.from"),
              to: t("audit.filters.to"),
              dateHint: t("audit.filters.dateHint"),
              apply: t("audit.filters.apply"),
              reset: t("audit.filters.reset"),
              more: t("lists.more"),
              moreActive: (count) => t("lists.moreActive", { count }),
            }}
          />
        </Card>
        </FilterCollapse>
        {!parsed.ok ? <Alert tone="error">{t("audit.invalidFilters")}</Alert> : null}
        {parsed.ok && parsed.cursorIgnored ? <Alert tone="warning">{t("audit.cursorIgnored")}</Alert> : null}
        {parsed.ok ? (
          <p className="text-sm text-slate-600" data-testid="audit-count">
            {count === null
              ? t("audit.countUnknown")
              : count.capped
                ? t("audit.countCapped", { count: number.format(count.count) })
                : t("audit.count", { count: number.format(count.count) })}
          </p>
        ) : null}
        <AuditTable
          events={page.events}
          locale={locale}
          hrefFor={(changes) => hrefWith("/audit", kept, changes)}
          labels={{
            caption: t("audit.tableCaption"),
            time: t("audit.columns.time"),
            actor: t("audit.columns.actor"),
            action: t("audit.columns.action"),
            entity: t("audit.columns.entity"),
            ip: t("audit.columns.ip"),
            change: t("audit.columns.change"),
            empty: t("audit.empty"),
            filterByActor: t("audit.filterByActor"),
            filterByEntity: t("audit.filterByEntity"),
            diff: {
              summary: t("audit.diff.summary"),
              noChange: t("audit.diff.noChange"),
              nothing: t("audit.diff.nothing"),
              value: t("audit.diff.value"),
            },
          }}
        />
        <AuditPager
          newerHref={page.newerCursor ? hrefWith("/audit", kept, { after: page.newerCursor }) : null}
          olderHref={page.olderCursor ? hrefWith("/audit", kept, { before: page.olderCursor }) : null}
          newestHref={onNewest ? null : hrefWith("/audit", kept, {})}
          labels={{ pages: t("audit.pages"), newest: t("audit.newest"), newer: t("audit.newer"), older: t("audit.older") }}
        />
      </div>
    </>
  );
}
