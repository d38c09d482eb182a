import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { storageStateFor, USERS, type RoleKey } from "./users";

// What each role's navigation offers (lib/shell/navigation.ts), as a person sees it. That every
// entry opens is checked by the crawls that open each role's pages anyway (e2e/a11y.spec.ts for the
// roles axe audits, e2e/mobile-shell.spec.ts for the others).
const EXPECTED: Record<RoleKey, { nav: string[]; roles: string[] }> = {
  admin: { nav: ["首页", "合规看板", "审批", "工作群", "账号资产", "个人信息", "客户服务", "培训", "内容合规", "离职交接", "员工", "部门", "审计日志", "通知设置", "设置"], roles: ["系统管理员", "员工"] },
  hr: { nav: ["首页", "审批", "工作群", "账号资产", "个人信息", "客户服务", "培训", "内容合规", "离职交接", "员工", "部门", "通知设置"], roles: ["人事", "员工"] },
  manager: { nav: ["首页", "合规看板", "审批", "工作群", "账号资产", "个人信息", "客户服务", "培训", "内容合规", "员工", "通知设置"], roles: ["部门经理", "员工"] },
  privacy: { nav: ["首页", "合规看板", "审批", "工作群", "账号资产", "个人信息", "客户服务", "培训", "内容合规", "通知设置"], roles: ["个人信息保护负责人", "员工"] },
  auditor: { nav: ["首页", "合规看板", "审批", "工作群", "账号资产", "个人信息", "客户服务", "培训", "内容合规", "离职交接", "员工", "部门", "审计日志", "通知设置", "设置"], roles: ["审计员", "员工"] },
  employee: { nav: ["首页", "审批", "工作群", "账号资产", "个人信息", "客户服务", "培训", "内容合规", "通知设置"], roles: ["员工"] },
};

for (const role of Object.keys(EXPECTED) as RoleKey[]) {
  test.describe(`${role}`, () => {
    test.use({ storageState: storageStateFor(role) });

    test(`sees their name, roles and navigation`, async ({ page }) => {
      await page.goto("/");
      const nav = page.getByRole("navigation", { name: "主导航" });
      await expect(nav.getByRole("link")).toHaveText(EXPECTED[role].nav);
      const user = page.getByTestId("current-user");
      await expect(user).toContainText(USERS[role].name);
      for (const r of EXPECTED[role].roles) await expect(user).toContainText(r);
      await expect(page.getByRole("heading", { name: "待我处理" })).toBeVisible();
    });
  });
}

// Portal links are not prefetched when they scroll into view (components/ui/link.tsx; docs/performance.md,
// "The floor, third session"): each prefetch was two requests to the server per link per view (the
// route's tree and its metadata; no portal route has a loading.tsx, so nothing more came with them)
// — 24 requests on every view of /settings, 24–28 for a list's row links. The links still navigate.
/** Lets the page's prefetches, if it made any, go out before they are counted: until the network is
 * quiet, or 10 s at most. A prefetch leaves as its link is rendered; a connection the test does not
 * own (a CI run once kept the network busy past the test's 60 s with every request of the page
 * answered) must not decide the test. */
async function settle(page: Page) {
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
}

test.describe("pages without prefetches", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("a view of /settings asks the server for nothing more, and a card still opens its page", async ({ page }) => {
    const prefetches: string[] = [];
    page.on("request", (r) => {
      if (r.headers()["next-router-prefetch"]) prefetches.push(r.url());
    });
    await page.goto("/settings");
    const card = page.getByRole("main").getByRole("link", { name: "工作日历" });
    await expect(card).toBeVisible();
    await settle(page);
    expect(prefetches).toEqual([]);
    await card.click();
    await expect(page).toHaveURL(/\/settings\/calendars$/);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });

  test("a list's row links are not prefetched either, and a row still opens its group", async ({ page }) => {
    const prefetches: string[] = [];
    page.on("request", (r) => {
      if (r.headers()["next-router-prefetch"]) prefetches.push(r.url());
    });
    await page.goto("/groups");
    const first = page.getByRole("main").locator('a[href^="/groups/"]:not([href="/groups/new"])').first();
    await expect(first).toBeVisible();
    await settle(page);
    expect(prefetches).toEqual([]);
    // Hover still prefetches the one link about to be clicked; the click navigates.
    const href = await first.getAttribute("href");
    await first.click();
    await expect(page).toHaveURL(new RegExp(`${href}$`));
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });
});
