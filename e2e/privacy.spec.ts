import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { storageStateFor } from "./users";

// Issue 5's flows as people click them: the privacy officer publishes a notice (refused first
// without a retention period); an employee registers a customer and records the customer's
// consent; the customer withdraws; the check answers no; a deletion request is handled on time;
// ADMIN issues a token that GET /api/v1/consents/check accepts, then revokes it. Every customer
// and notice is new and unique to this spec (other specs run on the same database).

let serial = 0;
const unique = () => `${Date.now().toString(36).slice(-5)}${++serial}`;
/** A mainland mobile number no other test uses. */
const uniquePhone = () => `139${String(Date.now() % 1e7).padStart(7, "0")}${serial++ % 10}`;

async function registerSubject(page: Page, name: string, phone: string) {
  await page.goto("/privacy/subjects/new");
  const form = page.getByRole("form", { name: "登记主体" });
  await form.getByRole("textbox", { name: "姓名" }).fill(name);
  await form.getByRole("textbox", { name: "手机号" }).fill(phone);
  await form.getByRole("button", { name: "登记" }).click();
  await expect(page).toHaveURL(/\/privacy\/subjects\/[a-z0-9]+$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

test.describe("privacy notices", () => {
  test.use({ storageState: storageStateFor("privacy") });

  test("the privacy officer publishes a notice; without a retention period it is refused first", async ({ page }) => {
    const key = `e2e-${unique()}`;
    await page.goto("/privacy/notices/new");
    const form = page.getByRole("form", { name: "新建隐私政策" });
    await form.getByRole("textbox", { name: "政策代码" }).fill(key);
    await form.getByRole("textbox", { name: "标题" }).fill(`会员服务隐私政策 ${key}`);
    await form.getByRole("textbox", { name: "个人信息处理者名称" }).fill("上海未来贸易有限公司");
    await form.getByRole("textbox", { name: "处理者联系方式" }).fill("privacy@wegovern.demo");
    await form.getByRole("textbox", { name: "处理目的" }).fill("SERVICE: 会员服务\nMARKETING: 活动通知");
    await form.getByRole("textbox", { name: "处理方式" }).fill("收集、存储、使用");
    await form.getByRole("textbox", { name: "个人信息类别" }).fill("CONTACT: 联系方式");
    await form.getByRole("textbox", { name: "行使权利的方式和程序" }).fill("发送邮件至 privacy@wegovern.demo");
    await form.getByRole("button", { name: "保存草稿" }).click();
    await expect(page).toHaveURL(/\/privacy\/notices\/[a-z0-9]+$/);
    await expect(page.getByTestId("notice-status")).toHaveText("草稿");

    await page.getByRole("form", { name: "发布" }).getByRole("button", { name: "发布" }).click();
    await expect(page.getByText("发布前须填写保存期限（第十七条、第十九条）。")).toBeVisible();
    await expect(page.getByTestId("notice-status")).toHaveText("草稿");

    const edit = page.getByRole("form", { name: "修改草稿" });
    await edit.getByRole("spinbutton", { name: "保存期限（天）" }).fill("730");
    await edit.getByRole("button", { name: "保存" }).click();
    await expect(edit.getByText("已保存。")).toBeVisible();
    await page.getByRole("form", { name: "发布" }).getByRole("button", { name: "发布" }).click();
    await expect(page.getByTestId("notice-status")).toHaveText("已发布");
    await expect(page.getByRole("form", { name: "停用" })).toBeVisible();
  });
});

test.describe("consents", () => {
  test.use({ storageState: storageStateFor("employee") });

  test("an employee records a customer's consent; the customer withdraws; the check answers no", async ({ page }) => {
    const name = `端到端客户${unique()}`;
    const phone = uniquePhone();

    // Bad input first: a malformed phone, and a phone that belongs to a demo customer.
    await page.goto("/privacy/subjects/new");
    const form = page.getByRole("form", { name: "登记主体" });
    await form.getByRole("textbox", { name: "姓名" }).fill(name);
    await form.getByRole("textbox", { name: "手机号" }).fill("1380013");
    await form.getByRole("button", { name: "登记" }).click();
    await expect(form.getByText("请填写 11 位中国大陆手机号（可带 +86）")).toBeVisible();
    await form.getByRole("textbox", { name: "手机号" }).fill("13761234501");
    await form.getByRole("button", { name: "登记" }).click();
    await expect(form.getByText(/该手机号已属于另一个个人信息主体「王建华」/)).toBeVisible();
    await expect(page).toHaveURL(/\/privacy\/subjects\/new$/);

    await registerSubject(page, name, phone);
    await page.setViewportSize({ width: 375, height: 800 });
    const record = page.getByRole("form", { name: "登记同意" });
    await record.getByRole("combobox", { name: "隐私政策版本" }).selectOption({ label: "客户服务个人信息处理规则 v1" });
    await record.getByRole("checkbox", { name: "提供咨询与售后服务（SERVICE）" }).check();
    await record.getByRole("checkbox", { name: "姓名与联系方式" }).check();
    await record.getByRole("combobox", { name: "渠道" }).selectOption({ label: "企业微信" });
    await record.getByRole("textbox", { name: "方式" }).fill("企业微信内勾选同意");
    await record.getByRole("button", { name: "登记同意" }).click();
    await expect(record.getByText("已登记同意。")).toBeVisible();
    const item = page.getByTestId("consent-item");
    await expect(item).toHaveCount(1);
    await expect(item.getByText("有效", { exact: true })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.goto(`/privacy/check?identifier=${phone}&purpose=SERVICE`);
    await expect(page.getByTestId("check-answer")).toHaveText("是 · 存在有效同意");

    await page.goBack();
    const withdraw = page.getByRole("form", { name: "撤回同意" });
    await withdraw.getByRole("combobox", { name: "撤回渠道" }).selectOption({ label: "电话" });
    await withdraw.getByRole("button", { name: "撤回同意" }).click();
    await page.getByRole("dialog", { name: "撤回此同意？" }).getByRole("button", { name: "确认撤回" }).click();
    await expect(item.getByText("已撤回", { exact: true })).toBeVisible();
    await expect(item.getByTestId("withdrawn-at")).toContainText("电话");
    await expect(page.getByRole("form", { name: "撤回同意" })).toHaveCount(0);

    await page.goto(`/privacy/check?identifier=${phone}&purpose=SERVICE`);
    await expect(page.getByTestId("check-answer")).toHaveText("否 · 同意已撤回");
  });
});

test.describe("the consent register's download", () => {
  test.use({ storageState: storageStateFor("privacy") });

  test("the privacy officer downloads the register filtered to one customer: CSV written by the export's worker thread, masks only", async ({ page }) => {
    await page.goto("/privacy/consents?subject=王建华");
    await expect(page.getByTestId("consent-table")).toContainText("王建华");
    const download = page.waitForEvent("download");
    await page.getByTestId("consent-export").click();
    const csv = readFileSync((await (await download).path())!, "utf8");
    expect(csv.startsWith("\uFEFFconsent_id,subject_id,subject_name,")).toBe(true);
    const lines = csv.split("\r\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toContain(",王建华,");
    // The stored mask, never the number.
    expect(csv).toContain("137****4501");
    expect(csv).not.toContain("13761234501");
  });
});

test.describe("data-subject requests", () => {
  test.use({ storageState: storageStateFor("privacy") });

  test("a deletion request is verified and handled on time; overdue requests are on the home page", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("link", { name: /件个人信息请求已超过办理期限/ })).toBeVisible();

    const name = `删除测试${unique()}`;
    await registerSubject(page, name, uniquePhone());
    await page.getByTestId("request-new").click();
    const form = page.getByRole("form", { name: "登记请求" });
    await form.getByRole("combobox", { name: "类型" }).selectOption({ label: "删除" });
    await form.getByRole("button", { name: "登记" }).click();
    await expect(page).toHaveURL(/\/privacy\/requests\/[a-z0-9]+$/);
    await expect(page.getByTestId("request-status")).toHaveText("已受理");
    await expect(page.getByTestId("request-inventory")).toContainText("手机号");

    const verify = page.getByRole("form", { name: "核验身份" });
    await verify.getByRole("textbox", { name: "身份核验方式" }).fill("核对手机号验证码");
    await verify.getByRole("button", { name: "核验身份" }).click();
    await expect(page.getByTestId("request-status")).toHaveText("已核验身份");

    const complete = page.getByRole("form", { name: "办结" });
    await expect(complete.getByRole("checkbox", { name: /手机号/ })).toBeChecked();
    await complete.getByRole("textbox", { name: "办理结果" }).fill("已删除手机号并匿名化姓名，同意记录依法保留");
    await complete.getByRole("button", { name: "办结" }).click();
    await expect(page.getByTestId("request-status")).toHaveText("已办结");
    await expect(page.getByTestId("request-on-time")).toHaveText("按期办结");
    await expect(page.getByTestId("erasure-record")).toContainText("手机号");
    await expect(page.getByTestId("erasure-record")).toContainText("同意记录");
  });
});

test.describe("API tokens", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("ADMIN issues a token shown once; the check API answers with it, and 401 once it is revoked", async ({ page }) => {
    const tokenName = `E2E 核验 ${unique()}`;
    await page.goto("/settings/api-tokens");
    const form = page.getByRole("form", { name: "签发令牌" });
    await form.getByRole("textbox", { name: "名称" }).fill(tokenName);
    await form.getByRole("button", { name: "签发" }).click();
    const token = (await page.getByTestId("issued-token").textContent())!.trim();
    expect(token).toMatch(/^wgp_/);

    const check = () => page.request.get("/api/v1/consents/check?phone=13761234501&purpose=SERVICE", { headers: { Authorization: `Bearer ${token}` } });
    const ok = await check();
    expect(ok.status()).toBe(200);
    expect(await ok.json()).toMatchObject({ valid: true, reason: "VALID" });

    await page.reload();
    await page.getByRole("form", { name: `吊销令牌 ${tokenName}` }).getByRole("button", { name: "吊销" }).click();
    await page.getByRole("dialog", { name: `吊销令牌“${tokenName}”？` }).getByRole("button", { name: "确认吊销" }).click();
    await expect(page.getByTestId("toast").filter({ hasText: `令牌“${tokenName}”已吊销。` })).toBeVisible();
    await expect(page.getByTestId("token-row").filter({ hasText: tokenName })).toContainText("已吊销");
    const refused = await check();
    expect(refused.status()).toBe(401);
    expect(await refused.json()).toMatchObject({ status: 401, code: "unauthenticated" });
  });
});
