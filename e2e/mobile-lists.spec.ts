import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { storageStateFor, type RoleKey } from "./users";

// Every list page on a phone inside WeCom (issue 17): 375 × 812, touch, WeCom's user agent. The page
// never scrolls sideways, and each item's status or deadline (DataList's `status` and `deadline` cells) lies
// within the 375 px of the screen; filters sit behind one "筛选（n）" button that counts those set.
const WECOM_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh";
const WIDTH = 375;

test.use({ viewport: { width: WIDTH, height: 812 }, hasTouch: true, isMobile: true, userAgent: WECOM_UA });

/** The list pages, by the role that uses them; `rows`: the demo seed gives the page at least one item. */
const PAGES: Array<{ role: RoleKey; path: string; rows: boolean }> = [
  { role: "admin", path: "/groups", rows: true },
  { role: "admin", path: "/accounts", rows: true },
  { role: "admin", path: "/offboarding?view=closed", rows: false },
  { role: "admin", path: "/service", rows: true },
  { role: "admin", path: "/training/overview", rows: true },
  { role: "admin", path: "/training/manage", rows: true },
  { role: "privacy", path: "/privacy/consents", rows: true },
  { role: "privacy", path: "/privacy/requests", rows: false },
  { role: "privacy", path: "/privacy/incidents", rows: false },
  { role: "privacy", path: "/privacy/notices", rows: true },
  { role: "admin", path: "/content", rows: false },
  { role: "admin", path: "/content/publications", rows: false },
  { role: "admin", path: "/content/media", rows: false },
  { role: "admin", path: "/directory/employees", rows: true },
  { role: "admin", path: "/audit", rows: true },
  { role: "admin", path: "/settings/api-tokens", rows: false },
  { role: "admin", path: "/settings/calendars", rows: true },
  { role: "admin", path: "/settings/sla", rows: true },
  { role: "admin", path: "/settings/notifications", rows: false },
  { role: "admin", path: "/settings/naming-rule", rows: true },
  { role: "admin", path: "/settings/jobs", rows: false },
  { role: "admin", path: "/settings/wecom", rows: false },
  { role: "employee", path: "/training", rows: false },
  { role: "employee", path: "/offboarding/mine", rows: false },
];

async function expectNoSidewaysScroll(page: Page, path: string) {
  const width = await page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
  expect(width, `${path}: the page's width`).toBeLessThanOrEqual(WIDTH);
}

/** Each item (the first 8) shows its status or deadline, or itself when it has neither, inside the screen's width. */
async function expectKeysOnScreen(page: Page, path: string, mustHaveRows: boolean) {
  await expect(page.locator("[data-list]").first(), `${path}: a DataList`).toBeAttached();
  const items = page.locator("[data-list-item]");
  const count = await items.count();
  if (mustHaveRows) expect(count, `${path}: items`).toBeGreaterThan(0);
  for (let i = 0; i < Math.min(count, 8); i++) {
    const item = items.nth(i);
    const keys = item.locator('[data-cell="status"], [data-cell="deadline"]');
    const targets = (await keys.count()) > 0 ? await keys.all() : [item];
    for (const target of targets) {
      await expect(target).toBeVisible();
      const box = (await target.boundingBox())!;
      expect(box.x, `${path}: item ${i} starts on screen`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${path}: item ${i}'s status or deadline ends within ${WIDTH} px`).toBeLessThanOrEqual(WIDTH);
    }
  }
}

for (const { role, path, rows } of PAGES) {
  test.describe(`${role} on a phone`, () => {
    test.use({ storageState: storageStateFor(role) });

    test(`${path}: cards whose status and deadline fit the screen, no sideways scroll`, async ({ page }) => {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await expect(page.getByRole("heading", { level: 1 }), path).toBeVisible();
      await expectNoSidewaysScroll(page, path);
      await expectKeysOnScreen(page, path, rows);
    });
  });
}

test.describe("filters, sorting and paging by touch", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("the 筛选 button counts the filters set and opens them; sort and page links are 44 px targets", async ({ page }) => {
    await page.goto("/groups");
    const toggle = page.getByTestId("filter-toggle");
    await expect(toggle).toHaveText(/^筛选/);
    await expect(toggle).not.toHaveText(/（\d+）/);
    await expect(page.getByRole("search", { name: "筛选工作群" })).toBeHidden();
    await expect(toggle).toHaveAttribute("aria-expanded", "false");

    // One filter among the first three, one behind "展开": both counted, and "展开" starts open.
    await page.goto("/groups?status=ACTIVE&ownerless=1");
    await expect(toggle).toContainText("筛选（2）");
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(page.getByTestId("group-filters")).toBeVisible();
    await expect(page.getByTestId("group-filters").getByRole("combobox", { name: "状态", exact: true })).toHaveValue("ACTIVE");
    await expect(page.getByTestId("filter-more")).toHaveAttribute("open", "");
    await expect(page.getByTestId("filter-more").locator("summary")).toContainText("（1）");
    await expectNoSidewaysScroll(page, "/groups (filters open)");

    // The sort bar replaces the headers: each choice is at least 44 px tall and sorts through the URL.
    const sortBar = page.getByTestId("list-sort");
    await expect(sortBar).toBeVisible();
    const byName = sortBar.getByRole("link", { name: /群名称/ });
    expect((await byName.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await byName.click();
    await expect(page).toHaveURL(/sort=name/);
    await expect(page).toHaveURL(/dir=asc/);
    await expect(sortBar.getByRole("link", { name: /群名称/ })).toHaveAttribute("aria-current", "true");
    await expect(page.getByTestId("filter-toggle")).toContainText("筛选（2）");

    // Previous / next: 44 px whether a link or a disabled placeholder.
    for (const pager of await page.getByRole("navigation", { name: /第 \d+ \/ \d+ 页/ }).locator("a, span[aria-disabled]").all()) {
      const box = (await pager.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.x + box.width).toBeLessThanOrEqual(WIDTH);
    }
  });
});

test.describe("filters on a desktop", () => {
  test.use({ storageState: storageStateFor("admin"), viewport: { width: 1280, height: 900 }, hasTouch: false, isMobile: false });

  test("three fields are shown and the rest wait behind 展开", async ({ page }) => {
    await page.goto("/groups");
    const filters = page.getByTestId("group-filters");
    await expect(page.getByTestId("filter-toggle")).toBeHidden();
    await expect(filters.getByRole("searchbox", { name: "群名称", exact: true })).toBeVisible();
    await expect(filters.getByRole("combobox", { name: "状态", exact: true })).toBeVisible();
    const platform = filters.getByRole("combobox", { name: "平台", exact: true });
    await expect(platform).toBeHidden();
    await filters.getByTestId("filter-more").locator("summary").click();
    await expect(platform).toBeVisible();
    await platform.selectOption({ label: "企业微信" });
    await filters.getByRole("button", { name: "筛选", exact: true }).click();
    await expect(page).toHaveURL(/platform=WECOM/);
    await expect(page.getByTestId("filter-more")).toHaveAttribute("open", "");
  });
});
