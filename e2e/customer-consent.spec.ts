import { readFileSync } from "node:fs";
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { storageStateFor } from "./users";

// Issue 19 as people click it, the customer on a 375 px phone with JavaScript off (the essential
// path is plain HTML forms): the employee makes a consent link; the customer opens it, reads the
// notice, ticks two of three purposes, confirms with the code the development SMS gateway wrote
// to its outbox (SMS_DEV_OUTBOX, set for the e2e server only), later withdraws one in the privacy
// center and asks for a copy; the privacy officer sees the consents as given by the customer, the
// withdrawal and the request. A revoked link and a made-up one show a clear page.

const OUTBOX = ".data/e2e/sms-outbox.jsonl";
const phone = `137${String(Date.now() % 1e8).padStart(8, "0")}`;
const name = `自助客户${Date.now().toString(36).slice(-4)}`;

function codesFor(to: string): string[] {
  let text = "";
  try {
    text = readFileSync(OUTBOX, "utf8");
  } catch {
    return [];
  }
  return text
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { to: string; code: string })
    .filter((m) => m.to === to)
    .map((m) => m.code);
}

/** The code the n-th message to this number carried (waits for it to arrive). */
async function nthCode(n: number): Promise<string> {
  await expect.poll(() => codesFor(phone).length, { message: `SMS #${n} to the customer` }).toBeGreaterThanOrEqual(n);
  return codesFor(phone)[n - 1];
}

async function customerPhone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, javaScriptEnabled: false, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  return context.newPage();
}

test.describe.configure({ mode: "serial" });

let linkPath = "";
let linkUrl = "";

test.describe("the collector", () => {
  test.use({ storageState: storageStateFor("employee") });

  test("makes a consent link with its QR code for three purposes", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto("/privacy/consent-links");
    const form = page.getByRole("form", { name: "生成链接" });
    const notice = await form.locator('select[name="noticeId"] option', { hasText: "客户服务个人信息处理规则" }).first().getAttribute("value");
    await form.getByRole("combobox", { name: "个人信息处理规则" }).selectOption(notice!);
    for (const p of ["提供咨询与售后服务（SERVICE）", "推送产品和活动信息（MARKETING）", "提供给物流合作方完成配送（PARTNER）"]) await form.getByRole("checkbox", { name: p }).check();
    await form.getByRole("textbox", { name: "备注（可选）" }).fill(`e2e ${name}`);
    await form.getByRole("button", { name: "生成链接" }).click();
    await expect(form.getByText("链接已生成。")).toBeVisible();
    const item = page.getByTestId("consent-link").filter({ hasText: `e2e ${name}` });
    await expect(item.getByRole("img", { name: "二维码" })).toBeVisible();
    linkUrl = (await item.getByTestId("consent-link-url").textContent())!.trim();
    linkPath = new URL(linkUrl).pathname;
    expect(linkPath).toMatch(/^\/c\/[a-f0-9]+\.[0-9a-z]+\.[A-Za-z0-9_-]+$/);
  });
});

test.describe("the customer", () => {
  test("reads the notice, ticks two of three purposes and confirms with the code; later withdraws one and asks for a copy", async ({ browser }) => {
    const page = await customerPhone(browser);
    await page.goto(linkPath);
    await expect(page.getByRole("heading", { level: 1, name: "客户服务个人信息处理规则" })).toBeVisible();
    await expect(page.getByText("上海未来贸易有限公司")).toBeVisible();
    await expect(page.getByText("365 天，期满后删除或匿名化")).toBeVisible();
    const form = page.getByRole("form", { name: "您的选择" });
    const boxes = form.getByRole("checkbox", { name: /^我同意：/ });
    await expect(boxes).toHaveCount(3);
    for (const box of await boxes.all()) await expect(box).not.toBeChecked();
    await form.getByRole("checkbox", { name: "我同意：提供咨询与售后服务" }).check();
    await form.getByRole("checkbox", { name: "我同意：推送产品和活动信息" }).check();
    await form.getByRole("textbox", { name: "您的姓名" }).fill(name);
    await form.getByRole("textbox", { name: "手机号" }).fill(phone);
    await form.getByRole("button", { name: "获取验证码" }).click();

    await expect(page.getByRole("heading", { level: 1, name: "输入验证码" })).toBeVisible();
    await page.getByRole("textbox", { name: "6 位验证码" }).fill(await nthCode(1));
    await page.getByRole("button", { name: "确认提交" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "已记录您的选择" })).toBeVisible();

    // Later: the privacy center, verified by a new code.
    await page.getByRole("link", { name: "前往隐私中心" }).click();
    await page.getByRole("textbox", { name: "手机号" }).fill(phone);
    await page.getByRole("button", { name: "获取验证码" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "输入验证码" })).toBeVisible();
    await page.getByRole("textbox", { name: "6 位验证码" }).fill(await nthCode(2));
    await page.getByRole("button", { name: "进入隐私中心" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "隐私中心" })).toBeVisible();
    const consents = page.getByTestId("center-consent");
    await expect(consents).toHaveCount(2);
    await expect(consents.filter({ hasText: "有效" })).toHaveCount(2);
    await expect(consents.first()).toContainText("客户本人提交");

    await page.getByRole("form", { name: "撤回 推送产品和活动信息" }).getByRole("button", { name: "撤回" }).click();
    await expect(page.getByText("已撤回。自此刻起，我们不再依据该同意处理您的个人信息。")).toBeVisible();
    await expect(consents.filter({ hasText: "推送产品和活动信息" })).toContainText("已撤回");
    await expect(consents.filter({ hasText: "提供咨询与售后服务" })).toContainText("有效");

    const request = page.getByRole("form", { name: "提出请求" });
    await request.getByRole("combobox", { name: "请求类型" }).selectOption({ label: "复制" });
    await request.getByRole("textbox", { name: "说明（可选）" }).fill("请提供我的个人信息副本");
    await request.getByRole("button", { name: "提交请求" }).click();
    await expect(page.getByText(/请求已提交，我们将在 .+ 前答复。/)).toBeVisible();
    await expect(page.getByTestId("center-request")).toContainText("复制 · 已受理");

    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.context().close();
  });
});

test.describe("the privacy officer", () => {
  test.use({ storageState: storageStateFor("privacy") });

  test("sees the consents given by the customer, the withdrawal and the request", async ({ page }) => {
    await page.goto(`/privacy/consents?identifier=${phone}`);
    const rows = page.getByTestId("consent-table").getByRole("row");
    await expect(rows).toHaveCount(2);
    await expect(page.getByTestId("consent-table").getByTestId("consent-source").filter({ hasText: "客户本人提交" })).toHaveCount(2);
    // Purposes read as the notice words them (推送产品和活动信息 is MARKETING, 提供咨询与售后服务 SERVICE).
    await expect(rows.filter({ hasText: "推送产品和活动信息" })).toContainText("已撤回");
    await expect(rows.filter({ hasText: "提供咨询与售后服务" })).toContainText("有效");

    await rows.first().getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    const items = page.getByTestId("consent-item");
    await expect(items).toHaveCount(2);
    await expect(items.filter({ has: page.getByTestId("withdrawn-at") })).toHaveCount(1);
    await expect(page.getByRole("table", { name: "个人信息请求" })).toContainText("复制");

    await page.goto("/privacy/requests");
    await expect(page.getByRole("row").filter({ hasText: name })).toContainText("复制");
  });
});

test.describe("a link that no longer opens", () => {
  test.use({ storageState: storageStateFor("employee") });

  test("shows a clear page when revoked or made up", async ({ page, browser }) => {
    await page.goto("/privacy/consent-links");
    const item = page.getByTestId("consent-link").filter({ hasText: `e2e ${name}` });
    await item.getByRole("button", { name: "撤销" }).click();
    await expect(item.getByText("已撤销")).toBeVisible();
    const customer = await customerPhone(browser);
    await customer.goto(linkPath);
    await expect(customer.getByRole("heading", { level: 1, name: "链接已撤销" })).toBeVisible();
    await expect(customer.getByRole("form", { name: "您的选择" })).toHaveCount(0);
    await customer.goto("/c/not-a-real-link");
    await expect(customer.getByRole("heading", { level: 1, name: "链接无效" })).toBeVisible();
    await customer.context().close();
  });
});
