import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { storageStateFor, USERS } from "./users";

// The approval inbox and a request's page: usable on a phone, invisible to outsiders, and
// withdrawable by the person who asked. Each test files its own work-group request (uniquely
// named) as the employee, whose requests go to the manager of 华东销售部, then the administrator.

let serial = 0;

/** Requests a new work group as the page's signed-in person; returns its name and request's URL. */
async function fileRequest(page: Page, tag = ""): Promise<{ name: string; requestPath: string }> {
  serial += 1;
  const project = `E2E${tag}${Date.now().toString(36).slice(-6)}${serial}`;
  await page.goto("/groups/new");
  const form = page.getByRole("form", { name: "申请建群" });
  await form.getByRole("textbox", { name: "项目", exact: true }).fill(project);
  await form.getByRole("textbox", { name: "用途", exact: true }).fill("审批");
  await form.getByRole("textbox", { name: "用途说明" }).fill("端到端测试：审批列表与申请页面。");
  await form.getByRole("button", { name: "提交申请" }).click();
  await expect(page).toHaveURL(/\/groups\/[a-z0-9]+$/);
  const name = `上海销售一组-${project}-审批`;
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const requestPath = await page.getByRole("link", { name: "查看审批" }).getAttribute("href");
  expect(requestPath).toMatch(/^\/approvals\/[a-z0-9]+$/);
  return { name, requestPath: requestPath! };
}

/** Fails when the page is wider than the viewport (it would scroll sideways). */
async function expectNoHorizontalScroll(page: Page, width: number) {
  const sizes = await page.evaluate(() => ({ document: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
  expect(sizes.document, `scrollWidth of ${page.url()}`).toBeLessThanOrEqual(width);
  expect(sizes.body, `body scrollWidth of ${page.url()}`).toBeLessThanOrEqual(width);
}

test.describe("on a 375 px phone", () => {
  test.use({ storageState: storageStateFor("employee") });

  test("the inbox and a request page fit the screen, and the approver can decide there", async ({ page, browser }) => {
    const { name, requestPath } = await fileRequest(page);

    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto("/approvals?tab=mine");
    await expect(page.getByTestId("approval-item").filter({ hasText: name })).toContainText(`等待：${USERS.manager.name}`);
    await expectNoHorizontalScroll(page, 375);
    await page.goto(requestPath);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByRole("button", { name: "撤回申请" })).toBeVisible();
    await expectNoHorizontalScroll(page, 375);

    const context = await browser.newContext({ storageState: storageStateFor("manager"), viewport: { width: 375, height: 800 } });
    const manager = await context.newPage();
    await manager.goto("/approvals");
    const item = manager.getByTestId("approval-item").filter({ hasText: name });
    await expect(item).toBeVisible();
    await expectNoHorizontalScroll(manager, 375);
    await item.getByRole("link", { name, exact: true }).click();
    await expect(manager.getByRole("heading", { level: 1, name })).toBeVisible();
    const decide = manager.getByRole("form", { name: "审批此步骤" });
    await expect(decide).toBeVisible();
    await expect(manager.getByTestId("approval-timeline")).toBeVisible();
    await expectNoHorizontalScroll(manager, 375);

    // Deciding works at that width too (confirmed in a dialog); the page after the decision fits as well.
    await decide.getByRole("textbox", { name: "审批意见" }).fill("请说明这个群与现有的部门群有什么不同，再重新提交。");
    await decide.getByRole("button", { name: "驳回" }).click();
    await manager.getByRole("dialog", { name: "驳回此申请？" }).getByRole("button", { name: "确认驳回" }).click();
    await expect(manager.getByTestId("toast").filter({ hasText: `已驳回“${name}”。` })).toBeVisible();
    await expect(manager).not.toHaveURL(new RegExp(`${requestPath}$`));
    await expectNoHorizontalScroll(manager, 375);
    await manager.goto(requestPath);
    await expect(manager.getByTestId("request-facts")).toContainText("状态：已驳回");
    await expectNoHorizontalScroll(manager, 375);
    await context.close();
  });
});

test.describe("someone who neither asked nor decides", () => {
  test.use({ storageState: storageStateFor("hr"), allowConsoleErrors: [/status of 404/] });

  test("gets the not-found page for the request", async ({ page, browser }) => {
    const context = await browser.newContext({ storageState: storageStateFor("employee") });
    const { name, requestPath } = await fileRequest(await context.newPage());
    await context.close();

    const response = await page.goto(requestPath);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
    await expect(page.getByText(name)).toHaveCount(0);
    await expect(page.getByRole("form", { name: "审批此步骤" })).toHaveCount(0);

    // Nor does it reach them through the inbox.
    await page.goto("/approvals");
    await expect(page.getByRole("link", { name })).toHaveCount(0);
  });
});

test.describe("the requester", () => {
  test.use({ storageState: storageStateFor("employee") });

  test("can withdraw a pending request; it leaves the approver's inbox and the group is withdrawn", async ({ page, browser }) => {
    const { name, requestPath } = await fileRequest(page);
    await page.goto(requestPath);
    await expect(page.getByTestId("request-facts")).toContainText("状态：审批中");
    // The requester cannot decide their own request.
    await expect(page.getByRole("form", { name: "审批此步骤" })).toHaveCount(0);

    await page.getByRole("form", { name: "撤回申请" }).getByRole("button", { name: "撤回申请" }).click();
    const ask = page.getByRole("dialog", { name: "撤回此申请？" });
    await expect(ask).toContainText(name);
    await ask.getByRole("button", { name: "确认撤回" }).click();
    await expect(page).toHaveURL(`${requestPath}?done=withdrawn`);
    await expect(page.getByRole("status").filter({ hasText: "申请已撤回。" })).toBeVisible();
    await expect(page.getByTestId("request-facts")).toContainText("状态：已撤回");
    await expect(page.getByRole("button", { name: "撤回申请" })).toHaveCount(0);
    await expect(page.getByTestId("timeline-step").first()).toHaveAttribute("data-status", "CANCELLED");

    // The group it asked for is withdrawn too.
    await page.getByRole("link", { name: "查看申请对象" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByText("已撤回", { exact: true })).toBeVisible();
    await expect(page.getByTestId("group-requests")).toContainText("建群 · 已撤回");

    // The manager no longer has it waiting, and cannot decide it from its page.
    const context = await browser.newContext({ storageState: storageStateFor("manager") });
    const manager = await context.newPage();
    await manager.goto("/approvals");
    await expect(manager.getByRole("heading", { level: 1, name: "我的审批" })).toBeVisible();
    await expect(manager.getByRole("link", { name })).toHaveCount(0);
    await manager.goto(requestPath);
    await expect(manager.getByTestId("request-facts")).toContainText("状态：已撤回");
    await expect(manager.getByRole("form", { name: "审批此步骤" })).toHaveCount(0);
    await context.close();
  });
});

// Issue 17: deciding from a phone inside WeCom (375×812, touch, WeCom's user agent), as the
// approval apps people know do it: the content first, 同意 / 驳回 in a bar under the thumb, a
// comment to reject, a confirmation before rejecting, then on to the next waiting request.
const WECOM_PHONE = {
  viewport: { width: 375, height: 812 },
  hasTouch: true,
  isMobile: true,
  userAgent:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/Light",
};

test.describe("deciding on a phone inside WeCom", () => {
  test.use({ storageState: storageStateFor("employee") });

  test("approve from the sticky bar, reject only with a comment and after confirming, then the next waiting request", async ({ page, browser }) => {
    const first = await fileRequest(page);
    const second = await fileRequest(page);

    const context = await browser.newContext({ storageState: storageStateFor("manager"), ...WECOM_PHONE });
    const manager = await context.newPage();

    // The inbox searches on the server: the title finds exactly this request.
    await manager.goto("/approvals");
    const search = manager.getByRole("search", { name: "搜索申请" });
    await search.getByRole("searchbox", { name: "搜索申请" }).fill(first.name);
    await search.getByRole("button", { name: "搜索" }).tap();
    await expect(manager).toHaveURL(/\/approvals\?q=/);
    await expect(manager.getByTestId("search-summary")).toContainText("：1 条");
    await expect(manager.getByTestId("approval-item")).toHaveCount(1);
    await manager.getByTestId("approval-item").getByRole("link", { name: first.name, exact: true }).tap();
    await expect(manager.getByRole("heading", { level: 1, name: first.name })).toBeVisible();

    // The content comes first; the decision bar is fixed to the bottom of the screen.
    const summaryBox = await manager.getByTestId("payload-summary").boundingBox();
    const factsBox = await manager.getByTestId("request-facts").boundingBox();
    expect(summaryBox!.y).toBeLessThan(factsBox!.y);
    const bar = manager.getByTestId("decision-bar");
    await expect(bar).toBeInViewport();
    // Fixed to the bottom of the visible area, the screen's full width.
    expect(await bar.evaluate((el) => getComputedStyle(el).position)).toBe("fixed");
    const visible = await manager.evaluate(() => ({ height: window.innerHeight, width: document.documentElement.clientWidth }));
    const barBox = await bar.boundingBox();
    // Standing on the shell's tab bar (neither covers the other) and wholly on screen.
    const tabBox = await manager.getByTestId("tab-bar").boundingBox();
    expect(Math.abs(barBox!.y + barBox!.height - tabBox!.y)).toBeLessThanOrEqual(1);
    expect(barBox!.y + barBox!.height).toBeLessThanOrEqual(visible.height);
    expect(barBox!.width).toBeGreaterThanOrEqual(visible.width - 1);
    await expectNoHorizontalScroll(manager, 375);
    // 16 px text in the comment box: iOS does not zoom in when it takes focus.
    const comment = manager.getByRole("textbox", { name: "审批意见" });
    expect(await comment.evaluate((el) => getComputedStyle(el).fontSize)).toBe("16px");

    // 驳回 without a comment: refused before anything is sent; focus goes to the errors, on screen.
    await bar.getByRole("button", { name: "驳回" }).tap();
    const summary = manager.getByRole("form", { name: "审批此步骤" }).getByTestId("form-error-summary");
    await expect(summary).toBeFocused();
    await expect(summary).toBeInViewport();
    await expect(summary.getByRole("alert")).toHaveText("请修正标出的字段。");
    await expect(comment).toHaveAttribute("aria-invalid", "true");
    await expect(manager.getByRole("dialog")).toHaveCount(0);

    // With a comment it asks first, naming what will happen; cancelling changes nothing.
    await comment.fill("用途与现有部门群重复。");
    await bar.getByRole("button", { name: "驳回" }).tap();
    const ask = manager.getByRole("dialog", { name: "驳回此申请？" });
    await expect(ask).toContainText(`驳回“${first.name}”后申请即结束`);
    await expect(ask.getByRole("button", { name: "取消" })).toBeFocused();
    await ask.getByRole("button", { name: "取消" }).tap();
    await expect(ask).toHaveCount(0);
    await expect(bar.getByRole("button", { name: "驳回" })).toBeFocused();
    await expect(manager.getByTestId("request-facts")).toContainText("状态：审批中");

    // Confirmed: rejected, said in a toast, and the next waiting request opens.
    await bar.getByRole("button", { name: "驳回" }).tap();
    await ask.getByRole("button", { name: "确认驳回" }).tap();
    await expect(manager.getByTestId("toast").filter({ hasText: `已驳回“${first.name}”。` })).toBeVisible();
    // The toast is raised before the navigation: wait for the page to change (retrying assertions).
    await expect(manager).not.toHaveURL(new RegExp(`${first.requestPath}$`));
    await expect(manager).toHaveURL(/\/approvals(\/[a-z0-9]+)?$/);
    await expect(manager.getByRole("form", { name: "审批此步骤" })).toBeVisible();

    // The second request: approved from the sticky bar, with no comment needed.
    await manager.goto(second.requestPath);
    await expect(manager.getByRole("heading", { level: 1, name: second.name })).toBeVisible();
    await manager.getByTestId("decision-bar").getByRole("button", { name: "同意" }).tap();
    await expect(manager.getByTestId("toast").filter({ hasText: `已同意“${second.name}”。` })).toBeVisible();
    await expect(manager).not.toHaveURL(new RegExp(`${second.requestPath}$`));

    // Both decisions are on the requests' pages.
    await manager.goto(first.requestPath);
    await expect(manager.getByTestId("request-facts")).toContainText("状态：已驳回");
    await expect(manager.getByTestId("timeline-step").first()).toContainText("用途与现有部门群重复。");
    await manager.goto(second.requestPath);
    await expect(manager.getByTestId("timeline-step").first()).toHaveAttribute("data-status", "APPROVED");
    await expect(manager.getByTestId("decision-bar")).toHaveCount(0);
    await context.close();
  });

  test("approves several low-risk requests at once, each reported", async ({ page, browser }) => {
    const a = await fileRequest(page, "B");
    const b = await fileRequest(page, "B");
    const context = await browser.newContext({ storageState: storageStateFor("manager"), ...WECOM_PHONE });
    const manager = await context.newPage();
    // Narrowed by a search, so both are on the first page however many others wait.
    await manager.goto("/approvals?q=E2EB");
    const batch = manager.getByTestId("batch-approve");
    await expect(batch).toBeVisible();
    for (const r of [a, b]) await manager.getByRole("checkbox", { name: `选择“${r.name}”以批量同意` }).tap();
    await batch.getByRole("button", { name: "批量同意所选" }).tap();
    const ask = manager.getByRole("dialog", { name: "批量同意 2 项申请？" });
    await ask.getByRole("button", { name: "同意 2 项" }).tap();
    const results = manager.getByTestId("batch-results");
    await expect(results.locator("li[data-ok=true]")).toHaveCount(2);
    await expect(results).toContainText(`${a.name}：已同意`);
    await expect(results).toContainText(`${b.name}：已同意`);
    await expect(manager.getByTestId("toast").filter({ hasText: "批量同意结果：2 项成功，0 项未处理。" })).toBeVisible();
    for (const r of [a, b]) {
      await manager.goto(r.requestPath);
      await expect(manager.getByTestId("timeline-step").first()).toHaveAttribute("data-status", "APPROVED");
    }
    await context.close();
  });
});
