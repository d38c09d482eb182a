import { crawl } from "./crawl";
import { expect, test } from "./fixtures";
import { A11Y_ROLES, PHONE, phoneProblems } from "./phone";
import { storageStateFor, USERS, type RoleKey } from "./users";

// The portal on a phone inside WeCom (issue 17): 375 × 812, touch, WeCom's user agent. For every
// page each role reaches from its navigation (and the pages those link to): no sideways scrolling
// of the page, the page's heading within the first 200 px, a <title> of its own, and the tab bar.
// The roles axe audits are checked at 375 px by its crawl (e2e/a11y.spec.ts), on the same pages
// and deeper; this sweep takes every other role, so no role's page is opened twice for it.

test.describe("navigation on a phone", () => {
  test.use({ ...PHONE, storageState: storageStateFor("employee") });

  test("by touch: a tab, then 更多 and a section in the drawer", async ({ page }) => {
    await page.goto("/");
    const tabs = page.getByRole("navigation", { name: "常用功能" });
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeHidden();
    await expect(tabs.getByRole("link")).toHaveText(["首页", "审批", "培训", "工作群"]);
    await tabs.getByRole("link", { name: "审批" }).tap();
    await expect(page).toHaveURL(/\/approvals$/);
    await expect(page).toHaveTitle(/ · WeGovern$/);
    await expect(tabs.getByRole("link", { name: "审批" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("mobile-top-bar")).toHaveText("审批");

    await tabs.getByRole("button", { name: "更多" }).tap();
    const drawer = page.getByRole("dialog", { name: "全部功能" });
    await expect(drawer).toBeVisible();
    await expect(drawer.getByText(USERS.employee.name)).toBeVisible();
    await expect(drawer.getByRole("button", { name: "退出登录" })).toBeVisible();
    await drawer.getByRole("link", { name: "通知设置" }).tap();
    await expect(page).toHaveURL(/\/notifications\/settings$/);
    await expect(drawer).toBeHidden();
    await expect(page.locator("main h1")).toBeVisible();
    await expect(tabs.getByRole("button", { name: "更多" })).toHaveAttribute("aria-expanded", "false");
  });

  test("by keyboard: Tab reaches the tab bar, Enter opens the drawer, Escape closes it", async ({ page }) => {
    await page.goto("/");
    const more = page.getByRole("navigation", { name: "常用功能" }).getByRole("button", { name: "更多" });
    let reached = false;
    for (let i = 0; i < 150 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await more.evaluate((el) => el === document.activeElement);
    }
    expect(reached, "更多 is reached with Tab").toBe(true);
    await page.keyboard.press("Enter");
    const drawer = page.getByRole("dialog", { name: "全部功能" });
    await expect(drawer).toBeVisible();
    await expect(more).toHaveAttribute("aria-expanded", "true");
    // Focus moved into the drawer; Escape closes it and gives focus back.
    await expect(drawer.locator(":focus")).toHaveCount(1);
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(more).toBeFocused();

    await page.keyboard.press("Enter");
    await expect(drawer).toBeVisible();
    const target = drawer.getByRole("link", { name: "个人信息" });
    for (let i = 0; i < 20; i++) {
      if (await target.evaluate((el) => el === document.activeElement)) break;
      await page.keyboard.press("Tab");
    }
    await expect(target).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/privacy$/);
    await expect(drawer).toBeHidden();
    await expect(page.getByTestId("mobile-top-bar")).toHaveText("个人信息");
  });
});

test.describe("the top bar's way back", () => {
  test.use({ ...PHONE, storageState: storageStateFor("admin") });

  test("a page below a section leads back up to it", async ({ page }) => {
    await page.goto("/settings/calendars");
    const back = page.getByTestId("mobile-top-bar").getByRole("link", { name: "返回设置" });
    await back.tap();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByTestId("mobile-top-bar").getByRole("link")).toHaveCount(0);
  });
});

test.describe("not found and refused, inside the shell", () => {
  test.use({ storageState: storageStateFor("manager"), allowConsoleErrors: [/status of 40[34]/] });

  test("a missing record: 404, the shell around it, and a way back to its list", async ({ page }) => {
    const response = await page.goto("/groups/cl0000000000000000000000");
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId("not-found")).toBeVisible();
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
    await expect(page).toHaveTitle(/ · WeGovern$/);
    await page.getByTestId("not-found").getByRole("link", { name: "返回工作群" }).click();
    await expect(page).toHaveURL(/\/groups$/);
  });

  test("an address the portal does not have, on a phone: the shell's 404", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    expect((await page.goto("/no-such-page"))?.status()).toBe(404);
    await expect(page.getByTestId("not-found")).toBeVisible();
    await expect(page.getByTestId("tab-bar")).toBeVisible();
    await expect(page).toHaveTitle(/ · WeGovern$/);
    await expect(page.locator("main")).toHaveCount(1);
  });

  test("an address the portal does not have, signed out: a plain 404 without the shell", async ({ browser }) => {
    // app/[...missing]: the shell only for a signed-in person; app/not-found.tsx renders none.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    try {
      expect((await page.goto("/no-such-page/deeper"))?.status()).toBe(404);
      await expect(page.getByTestId("not-found")).toBeVisible();
      await expect(page).toHaveTitle(/ · WeGovern$/);
      await expect(page.locator("main")).toHaveCount(1);
      await expect(page.getByRole("navigation", { name: "主导航" })).toHaveCount(0);
    } finally {
      await context.close();
    }
  });

  test("a refused page: 403 inside the shell, one <main>", async ({ page }) => {
    expect((await page.goto("/audit"))?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toBeVisible();
    await expect(page.locator("main")).toHaveCount(1);
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
  });
});

test.describe("every detail page, for an id that does not exist", () => {
  test.use({ storageState: storageStateFor("admin"), allowConsoleErrors: [/status of 40[34]/] });

  // Every [id] page of app/(portal), asked by an administrator: a 404 inside the shell with a
  // heading, never an empty body (403, also inside the shell, where the section is not theirs).
  const MISSING = "cl0000000000000000000000";
  const DETAIL_PAGES = [
    "/accounts/{id}", "/accounts/import/{id}", "/approvals/{id}", "/content/{id}", "/content/{id}/edit", "/content/media/{id}",
    "/directory/departments/{id}", "/directory/employees/{id}", "/groups/{id}", "/offboarding/{id}", "/privacy/import/{id}",
    "/privacy/incidents/{id}", "/privacy/notices/{id}", "/privacy/requests/{id}", "/privacy/subjects/{id}", "/service/{id}",
    "/service/import/{id}", "/settings/calendars/{id}", "/settings/calendars/{id}/years", "/training/courses/{id}",
    "/training/manage/courses/{id}", "/training/overview/{id}", "/training/policies/{id}",
  ];
  test("answers 404 with the portal's not-found page, in the shell", async ({ page }) => {
    test.setTimeout(600_000); // 23 pages on a busy machine
    const wrong: string[] = [];
    for (const pattern of DETAIL_PAGES) {
      const path = pattern.replace("{id}", MISSING);
      const status = (await page.goto(path))?.status();
      if (status !== 404 && status !== 403) wrong.push(`${path}: ${status}`);
      await expect(page.locator("main h1"), path).toBeVisible();
      await expect(page.getByRole("navigation", { name: "主导航" }), path).toBeVisible();
    }
    expect(wrong).toEqual([]);
  });
});

test.describe("every page at 375 px", () => {
  test.use(PHONE);
  for (const role of (Object.keys(USERS) as RoleKey[]).filter((r) => !A11Y_ROLES.includes(r))) {
    test.describe(role, () => {
      test.use({ storageState: storageStateFor(role) });
      test(`every page their navigation offers opens; no sideways scroll, the heading within 200 px, a title`, async ({ page }) => {
        test.setTimeout(900_000); // 20–60 pages on a busy machine
        const problems: string[] = [];
        const { visited, broken } = await crawl(
          page,
          async (path) => {
            await expect(page.locator("main h1").first(), path).toBeVisible();
            await expect(page.getByTestId("tab-bar"), path).toBeVisible();
            problems.push(...(await phoneProblems(page, path)));
          },
          { depth: 1 },
        );
        expect(broken, "navigation entries that did not open").toEqual([]);
        expect(visited.length).toBeGreaterThan(5);
        expect(problems).toEqual([]);
      });
    });
  }
});
