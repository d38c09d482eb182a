"use client";
import { useRouter } from "next/navigation";
import { formatDateTime } from "@/components/groups/format";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/card";
import { Cell, DataList, ListBody, ListEmpty, ListHead, ListRow } from "@/components/ui/data-list";
import { CheckboxGroup, SelectField } from "@/components/ui/field";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { Th } from "@/components/ui/table";
import { useI18n } from "@/lib/i18n/client";
import { publishInterceptRulesAction } from "@/lib/wecom/intercept-actions";
import type { InterceptView } from "@/lib/wecom/intercept";

// The content-rules page's WeCom section (ADMIN): the words as WeCom sensitive-word intercept
// rules for chosen departments (lib/wecom/intercept.ts), the rules in WeCom, and the recent
// publications with WeCom's answer per rule.
export function InterceptPanel({ view }: { view: InterceptView }) {
  const { t, locale } = useI18n();
  const router = useRouter();
  const current = view.rules[0]?.departmentWecomIds ?? [];
  const chosen = view.departments.filter((d) => current.includes(d.wecomId)).map((d) => d.id);
  const tone = (s: string) => (s === "DONE" ? "green" : s === "FAILED" ? "red" : s === "PARTIAL" ? "amber" : "blue");
  return (
    <div className="space-y-4" data-testid="wecom-intercept">
      <p className="text-sm text-slate-600">{t("wecom.intercept.description")}</p>
      <p className="text-sm font-medium text-slate-800">{t("wecom.intercept.words", { words: view.words, rules: view.rulesNeeded })}</p>
      {view.refused.length > 0 ? (
        <Alert tone="warning">
          {t("wecom.intercept.refusedTitle")} {view.refused.map((r) => r.word).join(t("common.listSeparator"))}
        </Alert>
      ) : null}
      {view.departments.length === 0 ? (
        <Alert tone="info">{t("wecom.intercept.noDepartments")}</Alert>
      ) : (
        <ActionForm action={publishInterceptRulesAction} onSuccess={() => router.refresh()} successMessage={t("wecom.intercept.published")} ariaLabel={t("wecom.intercept.title")}>
          <CheckboxGroup
            name="departmentIds"
            label={t("wecom.intercept.departments")}
            options={view.departments.map((d) => ({ value: d.id, label: `${"　".repeat(Math.min(d.depth, 4))}${d.name}` }))}
            defaultValues={chosen}
          />
          <p className="text-xs text-slate-500">{t("wecom.intercept.departmentsHint")}</p>
          <SelectField
            name="interceptType"
            label={t("wecom.intercept.type")}
            defaultValue={String(view.rules[0]?.interceptType ?? 1)}
            options={[
              { value: "1", label: t("wecom.intercept.type1") },
              { value: "2", label: t("wecom.intercept.type2") },
            ]}
          />
          <SubmitButton>{t("wecom.intercept.publish")}</SubmitButton>
        </ActionForm>
      )}
      <section className="overflow-x-auto">
        <h3 className="mb-2 text-sm font-medium text-slate-800">{t("wecom.intercept.rulesTitle")}</h3>
        <DataList caption={t("wecom.intercept.rulesTitle")}>
          <ListHead>
              <Th>{t("wecom.intercept.slot")}</Th>
              <Th>{t("wecom.intercept.ruleName")}</Th>
              <Th>{t("wecom.intercept.ruleId")}</Th>
              <Th>{t("wecom.intercept.wordCount")}</Th>
              <Th>{t("wecom.intercept.type")}</Th>
              <Th>{t("wecom.intercept.updatedAt")}</Th>
        </ListHead>
          <ListBody>
            {view.rules.length === 0 ? <ListEmpty colSpan={6}>{t("wecom.intercept.noRules")}</ListEmpty> : null}
            {view.rules.map((r) => (
              <ListRow key={r.slot}>
                <Cell label={t("wecom.intercept.slot")}>{r.slot}</Cell>
                <Cell kind="title">{r.ruleName}</Cell>
                <Cell label={t("wecom.intercept.ruleId")} className="break-all font-mono text-xs">{r.ruleId}</Cell>
                <Cell label={t("wecom.intercept.wordCount")}>{r.wordCount}</Cell>
                <Cell label={t("wecom.intercept.type")}>{t(r.interceptType === 1 ? "wecom.intercept.type1" : "wecom.intercept.type2")}</Cell>
                <Cell label={t("wecom.intercept.updatedAt")}>{formatDateTime(new Date(r.updatedAt), locale)}</Cell>
              </ListRow>
            ))}
          </ListBody>
        </DataList>
      </section>
      <section>
        <h3 className="mb-2 text-sm font-medium text-slate-800">{t("wecom.intercept.pushesTitle")}</h3>
        {view.pushes.length === 0 ? <p className="text-sm text-slate-500">{t("wecom.intercept.noPushes")}</p> : null}
        <ul className="space-y-3" data-testid="intercept-pushes">
          {view.pushes.map((p) => (
            <li key={p.id} className="rounded border border-slate-200 p-3 text-sm">
              <p className="flex flex-wrap items-center gap-2">
                <Badge tone={tone(p.status)}>{t(`wecom.intercept.status.${p.status}`)}</Badge>
                <span>{formatDateTime(new Date(p.createdAt), locale)}</span>
                <span className="text-slate-500">{t(p.interceptType === 1 ? "wecom.intercept.type1" : "wecom.intercept.type2")}</span>
              </p>
              <ul className="mt-2 space-y-1">
                {p.results.map((r) => (
                  <li key={`${r.slot}-${r.action}`} className="break-words">
                    {r.ruleName} · {t(`wecom.intercept.action.${r.action}`)}
                    {r.ruleId ? <span className="ml-1 font-mono text-xs text-slate-500">{r.ruleId}</span> : null}
                    {r.action === "failed" ? <span className="ml-1 text-red-700">（errcode {r.errcode ?? "—"}）{locale === "en" ? r.en : r.zh}</span> : null}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
