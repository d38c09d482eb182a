import { readFileSync } from "node:fs";
import { expect, test } from "./fixtures";
import { storageStateFor } from "./users";

// The compliance dashboard (SPEC §10). Demo data only read: 华东销售部's 月度-经理例会 group is
// overdue for review (lib/groups/demo-seed.ts), so the manager's "groups overdue for review" is
// red. The only change made here is the target of "open offboarding cases", which no other spec
// reads.

const readDownload = async (download: Promise<import("@playwright/test").Download>) => readFileSync((await (await download).path())!, "utf8");

test.describe("manager", () => {
  test.use({ storageState: storageStateFor("manager") });

  test("opens the dashboard of their department, follows a red figure to its list and exports it", async ({ page }) => {
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("合规看板 · 华东销售部");
    const figure = page.getByTestId("figure-groups.reviewOverdue");
    await expect(figure).toHaveAttribute("data-state", "red");
    await expect(figure).toContainText("未达标");
    await expect(figure.getByRole("img", { name: /逾期未复核的工作群近 12 周趋势/ })).toBeVisible();
    // Offboarding lists are HR's: the figure shows, the link does not.
    await expect(page.getByTestId("figure-offboarding.open")).toContainText("您无权查看该清单");

    await figure.getByRole("link", { name: /查看清单/ }).click();
    await expect(page).toHaveURL(/\/groups\?review=overdue&department=[a-z0-9]+$/);
    await expect(page.getByTestId("group-table")).toContainText("华东销售部-月度-经理例会");
    // Every group the list shows is overdue.
    for (const row of await page.getByTestId("group-row").all()) await expect(row).toContainText("已逾期");

    const download = page.waitForEvent("download");
    await page.getByTestId("group-export").click();
    const csv = await readDownload(download);
    expect(csv).toContain("华东销售部-月度-经理例会");
    expect(csv.split("\r\n").filter(Boolean).length).toBeGreaterThan(1);
  });

  test("follows an attainment figure to the report of their department over the same 28 days", async ({ page }) => {
    await page.goto("/dashboard");
    await page.getByTestId("figure-service.firstResponse").getByRole("link", { name: /查看清单/ }).click();
    await expect(page).toHaveURL(/\/service\/reports\?days=28&department=[a-z0-9]+$/);
    await expect(page.getByTestId("report-rolling-window")).toContainText("最近 28 天");
    await expect(page.getByRole("combobox", { name: "统计窗口" })).toHaveValue("28");
    await expect(page.getByRole("combobox", { name: /团队（部门）/ })).not.toHaveValue("");
  });
});

test.describe("privacy officer", () => {
  test.use({ storageState: storageStateFor("privacy") });

  test("follows a department's consent figure to the consent list filtered to that department", async ({ page }) => {
    await page.goto("/dashboard");
    const scope = page.getByTestId("dashboard-scope").getByLabel("范围");
    const east = await scope.locator("option", { hasText: "华东销售部" }).getAttribute("value");
    await page.goto(`/dashboard?department=${east}`);
    // The card's link navigates on the client: the page is not loaded again.
    await page.evaluate(() => ((window as unknown as { wgSameDocument: boolean }).wgSameDocument = true));
    await page.getByTestId("figure-privacy.consentsWithdrawn").getByRole("link", { name: /查看清单/ }).click();
    await expect(page).toHaveURL(new RegExp(`/privacy/consents\\?state=withdrawn&withdrawnDays=30&department=${east}$`));
    expect(await page.evaluate(() => (window as unknown as { wgSameDocument?: boolean }).wgSameDocument)).toBe(true);
    await expect(page.getByRole("combobox", { name: /^部门/ })).toHaveValue(east!);
    await expect(page.getByRole("combobox", { name: "撤回时间" })).toHaveValue("30");
    await expect(page.getByTestId("consent-total")).toBeVisible();

    await page.goto("/privacy/consents?department=nonexistentdept00000");
    await expect(page.getByTestId("consent-unknown-department")).toBeVisible();
    await expect(page.getByTestId("consent-table")).toContainText("没有符合条件的同意记录。");
  });
});

test.describe("manager outside their subtree", () => {
  test.use({ storageState: storageStateFor("manager"), allowConsoleErrors: [/status of 403/] });

  test("narrows to a sub-department but never sees one outside their own", async ({ page, browser }) => {
    await page.goto("/dashboard");
    const scope = page.getByTestId("dashboard-scope").getByLabel("范围");
    await scope.selectOption({ label: "　上海销售一组" });
    await page.getByTestId("dashboard-scope").getByRole("button", { name: "查看" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("合规看板 · 上海销售一组");

    // The whole company's department list is the admin's; take 华南销售部's id from there.
    const admin = await (await browser.newContext({ storageState: storageStateFor("admin") })).newPage();
    await admin.goto("/dashboard");
    const south = await admin.getByTestId("dashboard-scope").getByLabel("范围").locator("option", { hasText: "华南销售部" }).getAttribute("value");
    expect(south).toMatch(/^[a-z0-9]+$/);
    const response = await page.goto(`/dashboard?department=${south}`);
    expect(response?.status()).toBe(403);
    const exported = await page.request.get(`/api/dashboard/export?department=${south}`);
    expect(exported.status()).toBe(403);
    expect((await exported.json()).error).toBe("您只能查看本部门及下级部门的看板。");
  });
});

test.describe("administrator", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("sees the whole company, exports the figures and prints a one-page report without navigation", async ({ page }) => {
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("合规看板 · 全公司");
    await expect(page.getByTestId("dashboard-score")).toHaveText(/^\d+\.\d$/);
    await expect(page.getByTestId("dashboard-ranking").getByRole("row")).not.toHaveCount(0);

    const download = page.waitForEvent("download");
    await page.getByTestId("dashboard-export-figures").click();
    const csv = await readDownload(download);
    const [header, ...rows] = csv.replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
    expect(header).toBe("指标,领域,数值,分子,分母,状态,目标,关注阈值");
    expect(rows.some((r) => r.startsWith("逾期未复核的工作群,工作群,"))).toBe(true);

    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeHidden();
    await expect(page.getByTestId("figure-groups.reviewOverdue")).toBeVisible();
    await page.emulateMedia({ media: "screen" });

    // A department in the ranking (its rows are one markup string) opens that department's
    // dashboard on the client: the page is not loaded again, so what this window holds survives.
    const first = page.getByTestId("dashboard-ranking").getByRole("row").first().getByRole("link");
    const name = (await first.textContent())!.trim();
    await page.evaluate(() => ((window as unknown as { wgSameDocument: boolean }).wgSameDocument = true));
    await first.click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`合规看板 · ${name}`);
    await expect(page).toHaveURL(/\/dashboard\?department=/);
    expect(await page.evaluate(() => (window as unknown as { wgSameDocument?: boolean }).wgSameDocument)).toBe(true);
  });

  test("sets a target: a watch threshold better than the target is refused, a good one saved and applied", async ({ page }) => {
    await page.goto("/settings/dashboard-targets");
    const green = page.getByLabel("进行中的离职交接 · 达标阈值");
    const amber = page.getByLabel("进行中的离职交接 · 关注阈值");
    await green.fill("40");
    await amber.fill("10");
    await page.getByRole("button", { name: "保存目标" }).click();
    await expect(page.getByText("达标阈值必须优于关注阈值（越低越好的指标：达标 ≤ 关注）。")).toBeVisible();

    await green.fill("30");
    await amber.fill("60");
    await page.getByRole("button", { name: "保存目标" }).click();
    await expect(page.getByText("已保存看板目标。")).toBeVisible();
    await page.goto("/dashboard");
    await expect(page.getByTestId("figure-offboarding.open")).toContainText("目标 ≤ 30，关注 ≤ 60");

    await page.getByRole("button", { name: "立即更新快照" }).click();
    await expect(page.getByText("已更新本周快照。")).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("dashboard-refresh")).toContainText("趋势快照更新于");
  });
});

test.describe("charts on a phone", () => {
  test.use({ storageState: storageStateFor("manager"), viewport: { width: 375, height: 812 } });

  test("a fresh install's dashboard has 12-week trends with a target line, and the service report's charts fit the screen", async ({ page }) => {
    await page.goto("/dashboard");
    // The first snapshot was taken at start-up (or refreshed since by the administrator's test);
    // the 11 weeks before come from the demo seed.
    await expect(page.getByTestId("dashboard-refresh")).toContainText("趋势快照更新于");
    const trend = page.getByTestId("trend-groups.reviewOverdue");
    const chart = trend.getByRole("img", { name: /逾期未复核的工作群近 12 周趋势：从 .+ 到当前 .+；目标 ≤ .+；当前未达标。/ });
    await expect(chart).toBeVisible();
    await expect(chart).toHaveAttribute("data-points", "12");
    // Drawn within the card at 375 px, with the numbers in a table for screen readers.
    const box = (await chart.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(375);
    expect(box.width).toBeGreaterThan(250);
    await expect(trend.locator("table caption")).toHaveText("逾期未复核的工作群近 12 周趋势");
    await expect(trend.locator("tbody tr")).toHaveCount(12);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);

    await page.goto("/service/reports?days=28");
    const teams = page.getByTestId("chart-teams");
    await expect(teams.getByRole("img", { name: /各团队首次响应与解决达成率，共 \d+ 个团队；首次响应目标 ≥ \d+%、解决目标 ≥ \d+%。/ })).toBeVisible();
    await expect(teams).toContainText("首次响应");
    await expect(teams).toContainText("解决目标 ≥");
    await expect(page.getByTestId("chart-weekly").getByRole("img", { name: /每周首次响应与解决达成率/ })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
});
