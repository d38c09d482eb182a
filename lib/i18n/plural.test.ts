import { describe, expect, it } from "vitest";
import { en, zhCN } from "./messages";
import { createTranslator } from "./translate";

describe("English plurals", () => {
  const t = createTranslator(en);
  const zh = createTranslator(zhCN);

  it("chooses the form by the number and writes the number for #", () => {
    expect(t("service.report.chartWeeklySummary", { count: 1, targets: "T", fr: "1%", res: "2%" })).toMatch(/^Weekly first response and resolution attainment over 1 week; T\./);
    expect(t("service.report.chartWeeklySummary", { count: 12, targets: "T", fr: "1%", res: "2%" })).toMatch(/over 12 weeks;/);
    expect(t("service.report.chartTeamsSummary", { count: 1, targets: "T", rows: "" })).toContain("of 1 team;");
    expect(t("service.report.chartTeamsSummary", { count: 3, targets: "T", rows: "" })).toContain("of 3 teams;");
  });

  it("leaves Chinese, which has one form, as written", () => {
    expect(zh("service.report.chartTeamsSummary", { count: 3, targets: "目标", rows: "" })).toBe("各团队首次响应与解决达成率，共 3 个团队；目标。");
  });
});

describe("plural forms with every English message", () => {
  it("never show the plural syntax, whatever the number looks like", () => {
    const t = createTranslator(en);
    expect(t("privacy.consents.count", { count: "1,234" })).toBe("1,234 consents");
    expect(t("privacy.consents.count", { count: 1 })).toBe("1 consent");
    expect(t("approvals.overdue.days", { days: 1 })).toBe("Overdue by 1 working day");
  });
});
