import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { provisionalBadgeMarkup, SlaBadge, slaBadgeMarkup } from "@/app/(portal)/service/_components/display";
import { ConsentStateBadge, consentStateBadgeMarkup } from "@/app/(portal)/privacy/_components/bits";
import { auditChangeMarkup } from "@/components/audit/audit-change";
import { rankingRowMarkup } from "@/components/dashboard/ranking-rows";
import { auditChangedFields } from "@/lib/audit/diff";
import { ClassificationBadge, classificationBadgeMarkup, ReviewBadge, reviewBadgeMarkup, StatusBadge, statusBadgeMarkup } from "@/components/groups/badges";
import { Badge } from "@/components/ui/card";
import { Cell, ListRow, type CellKind } from "@/components/ui/data-list";
import { badgeMarkup, cellMarkup, linkMarkup, rowMarkup, tag } from "@/components/ui/list-markup";
import { ProvisionalBadge } from "@/components/ui/provisional-badge";
import { en, zhCN } from "@/lib/i18n/messages";
import { createTranslator } from "@/lib/i18n/translate";
import { figureMessageKey } from "@/lib/dashboard/format";

// The list rows written as markup (components/ui/list-markup.ts) must be the DOM the React
// components wrote: the same tags, attributes and texts. React quotes attributes with " and this
// markup with ' (it travels inside a JSON string); with values that hold no quote, swapping the
// quotes must give React's markup byte for byte.
type BadgeProps = Parameters<typeof Badge>[0];
const react = (node: ReactNode) => renderToStaticMarkup(node as never);
const asReact = (markup: string) => markup.replace(/='([^']*)'/g, '="$1"');

describe("list rows as markup", () => {
  it("writes a cell as Cell does, for every kind, with and without a label and classes", () => {
    const kinds: CellKind[] = ["status", "deadline", "title", "field", "actions"];
    for (const kind of kinds) {
      for (const label of [undefined, "到期时间"]) {
        for (const className of [undefined, "whitespace-nowrap tabular-nums"]) {
          const expected = react(createElement("table", null, createElement("tbody", null, createElement("tr", null, createElement(Cell, { kind, label, className }, "值")))));
          const actual = `<table><tbody><tr>${asReact(cellMarkup(kind, label, className, "值"))}</tr></tbody></table>`;
          expect(actual, `${kind} ${label} ${className}`).toBe(expected);
        }
      }
    }
  });

  it("writes a row as ListRow does, with its attributes", () => {
    const expected = react(createElement("table", null, createElement("tbody", null, createElement(ListRow, { "data-testid": "service-row", "data-case-id": "c1" } as never, createElement(Cell, { kind: "title" }, "x")))));
    expect(`<table><tbody>${asReact(rowMarkup({ "data-testid": "service-row", "data-case-id": "c1" }, cellMarkup("title", undefined, undefined, "x")))}</tbody></table>`).toBe(expected);
  });

  it("writes the badges as their components do", () => {
    const zh = createTranslator(zhCN);
    const enT = createTranslator(en);
    expect(asReact(badgeMarkup("amber", "机密"))).toBe(react(createElement(Badge, { tone: "amber" } as BadgeProps, "机密")));
    expect(asReact(badgeMarkup("red", "x", { testId: "t", state: "S" }))).toBe(react(createElement(Badge, { tone: "red", testId: "t", state: "S" } as BadgeProps, "x")));
    for (const state of ["ON_TRACK", "AT_RISK", "BREACHED", "MET"] as const) {
      expect(asReact(slaBadgeMarkup(state, zh))).toBe(react(createElement(SlaBadge, { state, t: zh })));
    }
    for (const t of [zh, enT]) {
      expect(asReact(provisionalBadgeMarkup(2027, t))).toBe(react(createElement(ProvisionalBadge, { year: 2027, t })));
      expect(provisionalBadgeMarkup(null, t)).toBe(react(createElement(ProvisionalBadge, { year: null, t })));
    }
    for (const state of ["valid", "expiring", "withdrawn", "expired"] as const) {
      expect(asReact(consentStateBadgeMarkup(state, "有效"))).toBe(react(createElement(ConsentStateBadge, { state, label: "有效" })));
    }
    for (const status of ["PENDING_APPROVAL", "ACTIVE", "REJECTED", "WITHDRAWN", "DISSOLUTION_PENDING", "DISSOLVED"] as const) {
      expect(asReact(statusBadgeMarkup(status, "s"))).toBe(react(createElement(StatusBadge, { status, label: "s" })));
    }
    for (const classification of ["PUBLIC", "INTERNAL", "CONFIDENTIAL", "SECRET"] as const) {
      expect(asReact(classificationBadgeMarkup(classification, "c"))).toBe(react(createElement(ClassificationBadge, { classification, label: "c" })));
    }
    for (const state of ["ok", "dueSoon", "overdue"] as const) {
      expect(asReact(reviewBadgeMarkup(state, "r"))).toBe(react(createElement(ReviewBadge, { state, label: "r" })));
    }
  });

  it("writes the dashboard ranking's row as ListRow, three Cells and the department's link did, in both languages", () => {
    const department = { id: "d1", path: "/d0/d1/", name: "华东销售部", parentId: "d0", depth: 1 };
    const rows = [
      { department, score: 87.25, states: { "approvals.overdue": "red", "groups.unreviewed": "amber", "consent.expiring": "red" } },
      { department: { ...department, name: "Sales & <Marketing>" }, score: null, states: { "approvals.overdue": "green" } },
    ] as const;
    for (const t of [createTranslator(zhCN), createTranslator(en)]) {
      for (const row of rows) {
        const red = Object.entries(row.states).filter(([, s]) => s === "red").map(([key]) => t(`dashboard.figures.${figureMessageKey(key)}.label`));
        // What the page rendered before: ListRow, Cell, and Link (next/link writes an <a> with these attributes).
        const expected = react(
          createElement("table", null, createElement("tbody", null,
            createElement(ListRow, null,
              createElement(Cell, { kind: "title" }, createElement("a", { className: "text-blue-800 hover:underline", href: "/dashboard?department=d1", "aria-label": t("common.labelled", { label: t("dashboard.ranking.open"), value: row.department.name }) }, row.department.name)),
              createElement(Cell, { label: t("dashboard.ranking.score"), className: "tabular-nums" }, row.score === null ? "—" : row.score.toFixed(1)),
              createElement(Cell, { label: t("dashboard.ranking.red"), className: "text-xs text-slate-700" }, red.length ? red.join(t("common.listSeparator")) : "—"),
            ))),
        );
        const markup = rankingRowMarkup(row as never, "/dashboard?department=d1", t);
        // The attributes' order aside (the markup writes href last), the same element.
        const normalise = (html: string) => html.replace(/<a ([^>]*)>/g, (_, a: string) => `<a ${(a.match(/[\w-]+="[^"]*"/g) ?? []).sort().join(" ")}>`);
        expect(normalise(`<table><tbody>${asReact(markup)}</tbody></table>`)).toBe(normalise(expected));
        if (red.length) expect(markup).toContain(red.join(t("common.listSeparator")));
      }
    }
  });

  it("escapes every text and attribute value: nothing in a value opens a tag or closes an attribute", () => {
    const hostile = `<img src=x onerror=alert(1)>'"&`;
    const markup = rowMarkup({ "data-case-id": hostile }, cellMarkup("field", hostile, hostile, linkMarkup(`/x?q=${hostile}`, hostile) + tag("div", { title: hostile }, "")) + badgeMarkup("red", hostile));
    expect(markup).not.toContain("<img");
    expect(markup).not.toMatch(/'[^=]*onerror/);
    expect(markup).toContain("&lt;img src=x onerror=alert(1)&gt;&#39;&quot;&amp;");
    // Each attribute value stays one value: only the quotes the markup itself wrote are unescaped.
    expect(markup.match(/'/g)?.length).toBe(2 * 8);
  });

  it("writes an audit event's folded change: its summary, the first three fields by name, escaped", () => {
    const labels = { summary: "{count} 个字段", noChange: "无变化", nothing: "—", value: "值" };
    const markup = auditChangeMarkup({ changed: auditChangedFields({ a: 1, b: 2, c: 3, "<d>": 4 }, { a: 2, b: 3, c: 4, "<d>": 5 }), labels, chinese: true });
    expect(markup).toBe(
      "<details class='group max-w-md min-w-64' data-testid='audit-change'><summary class='cursor-pointer text-blue-800 hover:underline focus-visible:outline-2 focus-visible:outline-blue-600'>4 个字段<span class='ml-1 text-slate-500'>（&lt;d&gt;、a、b、…）</span></summary></details>",
    );
    expect(auditChangeMarkup({ changed: auditChangedFields({ a: 1 }, { a: 1 }), labels })).toBe("<span class='text-slate-500'>无变化</span>");
    expect(auditChangeMarkup({ changed: auditChangedFields(null, null), labels })).toBe("<span class='text-slate-400'>—</span>");
  });
});
