import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { storageStateFor, USERS } from "./users";

// The approval inbox and a request's page: usable on a phone, invisible to outsiders, and
// withdrawable by the person who asked. Each test files its own work-group request (uniquely
// named) as the employee, whose requests go to the manager of 华东销售部, then the administrator.

let serial = 0;

/** Requests a new work group as the page's signed-in person; returns its name and request's URL. */
async function fileRequest(page: Page): Promise<{ name: string; requestPath: string }> {
  serial += 1;
  const project = `E2E${Date.now().toString(36).slice(-6)}${serial}`;
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

    // Deciding works at that width too; the page after the decision fits as well.
    await decide.getByRole("radio", { name: "驳回" }).check();
    await decide.getByRole("textbox", { name: "审批意见" }).fill("请说明这个群与现有的部门群有什么不同，再重新提交。");
    await decide.getByRole("button", { name: "驳回" }).click();
    await expect(manager).toHaveURL(/\?done=rejected$/);
    await expect(manager.getByRole("status").filter({ hasText: "已驳回。" })).toBeVisible();
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
