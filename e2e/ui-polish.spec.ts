import type { Page, Route } from "@playwright/test";
import { expect, test } from "./fixtures";
import { storageStateFor } from "./users";

// Issue 17's loose ends (docs/ui.md, docs/ui-lists.md): the last tables that were lists are cards on
// a phone; the audit trail's filters fold behind 展开 like every list's; every page has its own
// title; the loading bar shows during a slow navigation and goes away; an approval's decision bar
// stands on the tab bar instead of over it; and the pages checked at 375 px in Chinese with their
// errors showing say things in Chinese, where the person is. Each test reads the demo seed only.
const WECOM_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh";
const PHONE = { viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true, userAgent: WECOM_UA } as const;

async function expectCardsOnScreen(page: Page, path: string) {
  const width = await page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
  expect(width, `${path}: the page's width`).toBeLessThanOrEqual(375);
  const items = page.locator("[data-list-item]");
  expect(await items.count(), `${path}: cards`).toBeGreaterThan(0);
  for (const item of (await items.all()).slice(0, 6)) {
    const box = (await item.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${path}: a card ends within 375 px`).toBeLessThanOrEqual(375);
  }
}

test.describe("the former tables on a phone", () => {
  test.use({ storageState: storageStateFor("admin"), ...PHONE });

  for (const path of ["/settings/jobs", "/dashboard", "/approvals/requests"]) {
    test(`${path}: its lists are cards, no sideways scroll`, async ({ page }) => {
      expect((await page.goto(path))?.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectCardsOnScreen(page, path);
    });
  }

  test("a calendar's holidays and adjusted working days are cards", async ({ page }) => {
    await page.goto("/settings/calendars");
    await page.locator('main a[href^="/settings/calendars/"]:not([href$="/new"])').first().click();
    await expect(page).toHaveURL(/\/settings\/calendars\/[a-z0-9]+$/);
    await expect(page.getByRole("region", { name: /年节假日$/ }).first()).toBeVisible();
    await expectCardsOnScreen(page, "a calendar");
    // The queue counts: each card names its states (the label is generated content).
    await page.goto("/settings/jobs");
    const first = page.getByTestId("jobs-queues").locator("[data-list-item]").first();
    expect(await first.locator("td[data-label]").evaluateAll((cells) => cells.map((c) => c.getAttribute("data-label")))).toEqual(["待执行", "等待重试", "执行中", "已完成", "已取消", "失败"]);
  });
});

test.describe("the audit trail's filters", () => {
  test.use({ storageState: storageStateFor("admin"), viewport: { width: 1280, height: 900 } });

  test("three fields are shown, the object and the dates wait behind 展开 (open when set or refused)", async ({ page }) => {
    await page.goto("/audit");
    const filters = page.getByTestId("audit-filters");
    await expect(filters.getByRole("searchbox", { name: "操作人" })).toBeVisible();
    await expect(filters.getByRole("combobox", { name: "对象类型" })).toBeVisible();
    const from = filters.getByLabel("开始日期");
    await expect(from).toBeHidden();
    const more = filters.getByTestId("filter-more");
    await expect(more.locator("summary")).toHaveText("展开更多条件");
    await more.locator("summary").click();
    await expect(from).toBeVisible();

    await page.goto("/audit?from=2026-01-01");
    await expect(page.getByTestId("filter-more")).toHaveAttribute("open", "");
    await expect(page.getByTestId("filter-more").locator("summary")).toHaveText("展开更多条件（1）");

    await page.goto("/audit?to=not-a-date");
    await expect(page.getByTestId("filter-more")).toHaveAttribute("open", "");
    await expect(page.getByLabel("结束日期（含当天）")).toHaveAttribute("aria-invalid", "true");
  });
});

test.describe("page titles", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("each page is titled by itself, a record's by its name and section", async ({ page }) => {
    for (const [path, title] of [
      ["/", "首页 · WeGovern"],
      ["/settings", "设置 · WeGovern"],
      ["/settings/calendars", "工作日历 · WeGovern"],
      ["/settings/calendars/new", "新建工作日历 · WeGovern"],
      ["/directory/employees/new", "新建员工 · 员工 · WeGovern"],
      ["/directory/departments", "部门 · WeGovern"],
    ] as const) {
      await page.goto(path);
      await expect(page, path).toHaveTitle(title);
    }
    await page.goto("/directory/employees");
    await page.getByTestId("employee-table").getByRole("link").first().click();
    await expect(page).toHaveURL(/\/directory\/employees\/[a-z0-9]+$/);
    const name = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();
    await expect(page).toHaveTitle(`${name} · 员工 · WeGovern`);

    await page.goto("/settings/calendars");
    await page.locator('main a[href^="/settings/calendars/"]:not([href$="/new"])').first().click();
    await expect(page).toHaveTitle(/^.+ · 工作日历 · WeGovern$/);
    await page.goto(`${new URL(page.url()).pathname}/years`);
    await expect(page).toHaveTitle(/^添加或替换年度数据 · .+ · WeGovern$/);
  });
});

test.describe("the loading bar", () => {
  test.use({ storageState: storageStateFor("admin"), viewport: { width: 1280, height: 900 } });

  test("shows while a slow page is on its way and goes away when it arrives", async ({ page }) => {
    await page.goto("/");
    const bar = page.getByTestId("nav-progress");
    await expect(bar).toHaveAttribute("data-active", "false");

    // Hold the next page's server answer (the RSC request a client navigation makes) until the bar
    // has been seen: the navigation is as slow as the test wants, without timing anything.
    const held: Route[] = [];
    let release = false;
    await page.route(
      (url) => url.pathname === "/groups",
      async (route) => {
        if (release || route.request().headers()["rsc"] !== "1") return route.continue();
        held.push(route);
      },
    );
    await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "工作群" }).click();
    await expect(bar).toHaveAttribute("data-active", "true");
    await expect(page.getByRole("status").filter({ hasText: "页面加载中…" })).toBeAttached();
    await expect(page).toHaveURL(/\/$/);

    release = true;
    await expect.poll(() => held.length).toBeGreaterThan(0);
    for (const route of held.splice(0)) await route.continue();
    await expect(page).toHaveURL(/\/groups$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作群");
    await expect(bar).toHaveAttribute("data-active", "false");
    await expect(page.getByRole("status").filter({ hasText: "页面加载中…" })).toHaveCount(0);
  });
});

test.describe("an approval on a phone", () => {
  test.use({ storageState: storageStateFor("manager"), ...PHONE });

  test("the decision bar stands on the tab bar, and the page's last line clears both", async ({ page }) => {
    await page.goto("/approvals");
    await page.getByTestId("approval-item").first().getByRole("link").first().click();
    await expect(page).toHaveURL(/\/approvals\/[a-z0-9]+$/);
    const bar = page.getByTestId("decision-bar");
    const tabs = page.getByTestId("tab-bar");
    await expect(bar).toBeInViewport();
    await expect(tabs).toBeInViewport();
    const barBox = (await bar.boundingBox())!;
    const tabBox = (await tabs.boundingBox())!;
    expect(Math.abs(barBox.y + barBox.height - tabBox.y), "the bar's bottom is the tab bar's top").toBeLessThanOrEqual(1);
    // Every tab can still be tapped: the bar covers none of them.
    await expect(tabs.getByRole("link", { name: "审批" })).toBeInViewport({ ratio: 1 });

    await page.evaluate(() => window.scrollTo(0, document.scrollingElement!.scrollHeight));
    const clearance = await page.evaluate(() => {
      const main = document.querySelector("main")!;
      const contentBottom = main.getBoundingClientRect().bottom - parseFloat(getComputedStyle(main).paddingBottom);
      return document.querySelector("[data-testid=decision-bar]")!.getBoundingClientRect().top - contentBottom;
    });
    expect(clearance, "the last line ends above the decision bar").toBeGreaterThanOrEqual(0);
  });
});

test.describe("Chinese at 375 px with the errors showing", () => {
  test.use({ storageState: storageStateFor("admin"), ...PHONE });

  test("the HR import names the line and the column in words", async ({ page }) => {
    await page.goto("/settings/api/import");
    await page.getByTestId("import-file").setInputFiles({ name: "hr.csv", mimeType: "text/csv", buffer: Buffer.from("工号,姓名,邮箱,部门编码,入职日期\nE1,,bad,HQ,2026-01-05\n") });
    await page.getByRole("button", { name: "预览" }).click();
    const problems = page.getByTestId("import-preview").getByRole("listitem");
    await expect(problems.first()).toBeVisible();
    await expect(problems.filter({ hasText: "第 2 行 · 姓名：" })).toHaveCount(1);
    await expect(problems.filter({ hasText: "第 2 行 · 邮箱：" })).toHaveCount(1);
    await expect(page.getByTestId("import-preview")).not.toContainText("/employees");

    await page.getByTestId("import-file").setInputFiles({ name: "hr2.csv", mimeType: "text/csv", buffer: Buffer.from("id,name\n1,2\n") });
    await page.getByRole("button", { name: "预览" }).click();
    await expect(page.getByTestId("import-preview").getByRole("listitem").first()).toHaveText("表头：缺少列：工号 / employee_no。");
    await expect(page.getByTestId("import-preview")).not.toContainText("/header");
  });

  test("the API reference is in Chinese, the public pages are titled in one language", async ({ page }) => {
    await page.goto("/settings/api");
    await expect(page.getByRole("heading", { level: 2, name: "员工与部门" })).toBeVisible();
    await expect(page.getByText("按工号批量新建或更新员工", { exact: false })).toBeVisible();
    await page.goto("/privacy-center");
    await expect(page).toHaveTitle("隐私中心 · WeGovern");
    await page.goto("/privacy-center?lang=en");
    await expect(page).toHaveTitle("Privacy center · WeGovern");
    await page.goto("/c/not-a-link");
    await expect(page.getByTestId("link-problem")).toBeVisible();
    await expect(page).toHaveTitle("个人信息处理规则 · WeGovern");
  });
});
