import type { Metadata } from "next";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { rulesForSettings } from "@/lib/content/queries";
import { getI18n } from "@/lib/i18n/server";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { interceptView } from "@/lib/wecom/intercept";
import { InterceptPanel } from "./intercept-panel";
import { AddExemptionForm, AddTermForm, CreateRuleForm, RemoveExemptionButton, RemoveTermButton, RuleUpdateForm } from "./rule-forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("content.rules.title") };
}

export default async function ContentRulesPage() {
  const actor = await requirePagePermission("content.configure");
  const { t, locale } = await getI18n();
  const { rules, exemptions } = await rulesForSettings(db());
  // The WeCom section: ADMIN only (wecom.configure), as the publish action checks again.
  const intercept = actor.permissions.has("wecom.configure") ? await interceptView(db()) : null;
  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <PageHeader title={t("content.rules.title")} description={t("content.rules.description")} />
      {rules.map((r) => (
        <Card
          key={r.id}
          title={
            <span className="flex flex-wrap items-center gap-2">
              {locale === "en" ? r.nameEn : r.nameZh}
              <Badge tone="blue">{t(`content.ruleKind.${r.kind}`)}</Badge>
              {!r.active ? <Badge tone="slate">{t("content.rules.inactive")}</Badge> : null}
              <span className="text-xs font-normal text-slate-500">
                {r.code} · {r.article}
              </span>
            </span>
          }
        >
          <div className="space-y-4" data-testid={`rule-${r.code}`}>
            <section>
              <h3 className="mb-2 text-sm font-medium text-slate-800">{t("content.rules.terms", { count: r.terms.length })}</h3>
              <ul className="flex flex-wrap gap-2" data-testid="rule-terms">
                {r.terms.map((term) => (
                  <li key={term.id} className="inline-flex items-center rounded border border-slate-200 bg-slate-50 px-2 py-0.5 text-sm">
                    {term.term}
                    {term.standsAlone ? (
                      <span className="ml-1 text-xs text-blue-800" title={t("content.rules.standsAloneHint")}>
                        ({t("content.rules.standsAloneBadge")})
                      </span>
                    ) : null}
                    <RemoveTermButton termId={term.id} term={term.term} />
                  </li>
                ))}
              </ul>
            </section>
            <AddTermForm ruleId={r.id} ruleName={r.nameZh} />
            <details>
              <summary className="cursor-pointer text-sm text-blue-800">{t("content.rules.save")}…</summary>
              <div className="mt-3">
                <RuleUpdateForm rule={{ id: r.id, version: r.version, article: r.article, nameZh: r.nameZh, nameEn: r.nameEn, active: r.active }} />
              </div>
            </details>
          </div>
        </Card>
      ))}
      <Card title={t("content.rules.exemptions")}>
        <p className="mb-3 text-sm text-slate-600">{t("content.rules.exemptionsHint")}</p>
        <ul className="mb-4 divide-y divide-slate-100" data-testid="exemptions">
          {exemptions.map((e) => (
            <li key={e.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
              <span>
                <span className="font-medium">{e.phrase}</span> <span className="text-slate-500">— {e.reason}</span>
              </span>
              <RemoveExemptionButton exemptionId={e.id} phrase={e.phrase} />
            </li>
          ))}
        </ul>
        <AddExemptionForm />
      </Card>
      <Card title={t("content.rules.newRule")}>
        <CreateRuleForm />
      </Card>
      {intercept ? (
        <Card title={t("wecom.intercept.title")}>
          <InterceptPanel view={intercept} />
        </Card>
      ) : null}
    </div>
  );
}
