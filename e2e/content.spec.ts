import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";
import { storageStateFor } from "./users";

// Content compliance (SPEC §11). Mutations only by the people reserved for this spec: staff11,
// staff21 and staff31 of 上海销售一组 (their first reviewer is manager@, the second admin@). Others
// sign in as manager@ too, so assertions are only about this spec's own, uniquely titled content.

const unique = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-6)}`;

async function newContent(page: Page, title: string, body: string) {
  await page.goto("/content/new");
  const form = page.getByRole("form", { name: "提交内容审核" });
  await form.getByRole("textbox", { name: "标题" }).fill(title);
  await form.getByRole("textbox", { name: "或填写账号名称" }).fill("华东销售服务号");
  await form.getByRole("textbox", { name: "正文" }).fill(body);
  return form;
}

test("a post with 全网第一 is flagged, rewritten, approved by the manager and the reviewer, and recorded as published", async ({ page, browser }) => {
  test.slow(); // three times the usual limit (playwright.config.ts), not a fixed one a busy machine outruns
  const title = unique("双十一朋友圈E2E");
  await signIn(page, "staff11@wegovern.demo");
  await expect(page).toHaveURL(/\/$/);

  // Flagged while typing and when saved.
  const form = await newContent(page, title, "双十一爆款来袭！\n我们的电饭煲销量全网第一，快来抢购～");
  await expect(form.getByTestId("live-finding")).toContainText("全网第一");
  await form.getByRole("button", { name: "保存草稿" }).click();
  await expect(page).toHaveURL(/\/content\/[a-z0-9]{20,}$/);
  const contentPath = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("finding")).toHaveCount(1);
  await expect(page.getByTestId("finding")).toContainText("全网第一");
  await expect(page.getByTestId("finding")).toContainText("《广告法》第九条第三项");
  await expect(page.getByTestId("finding-mark")).toHaveText("全网第一");

  // The author rewrites it: revision 2, with what changed, and submits it.
  await page.getByTestId("content-edit").click();
  const edit = page.getByRole("form", { name: "修改内容（生成新版本）" });
  await edit.getByRole("textbox", { name: "正文" }).fill("双十一爆款来袭！\n我们的电饭煲深受顾客喜爱，快来抢购～");
  await expect(edit.getByTestId("live-findings")).toContainText("未发现问题");
  await edit.getByRole("textbox", { name: "本次修改说明" }).fill("删除绝对化用语");
  await edit.getByRole("button", { name: "保存并提交审核" }).click();
  await expect(page).toHaveURL(new RegExp(`${contentPath}$`));
  await expect(page.getByTestId("content-status")).toHaveAttribute("data-status", "IN_REVIEW");
  await expect(page.getByTestId("no-findings")).toBeVisible();
  await expect(page.getByTestId("revision")).toHaveCount(2);
  await expect(page.getByTestId("revision-diff")).toContainText("全网第一");
  await expect(page.getByTestId("revision-diff")).toContainText("深受顾客喜爱");

  // The manager finds it in the approvals inbox and approves on the content page.
  const managerContext = await browser.newContext({ storageState: storageStateFor("manager") });
  const manager = await managerContext.newPage();
  await manager.goto("/approvals");
  const item = manager.getByTestId("approval-item").filter({ hasText: title });
  await expect(item).toBeVisible();
  await item.getByRole("link", { name: title, exact: true }).click();
  await manager.getByRole("link", { name: "查看申请对象" }).click();
  await expect(manager).toHaveURL(new RegExp(`${contentPath}$`));
  const managerReview = manager.getByRole("form", { name: "审核" });
  await managerReview.getByRole("textbox", { name: "意见" }).fill("同意发布");
  await managerReview.getByRole("button", { name: "通过" }).click();
  await expect(manager.getByRole("form", { name: "审核" })).toHaveCount(0);
  await expect(manager.getByTestId("content-status")).toHaveAttribute("data-status", "IN_REVIEW");
  await managerContext.close();

  // The compliance reviewer (ADMIN) approves: published, with its record.
  const adminContext = await browser.newContext({ storageState: storageStateFor("admin") });
  const admin = await adminContext.newPage();
  await admin.goto(contentPath);
  await admin.getByRole("form", { name: "审核" }).getByRole("button", { name: "通过" }).click();
  await expect(admin.getByTestId("content-status")).toHaveAttribute("data-status", "PUBLISHED");
  await expect(admin.getByTestId("content-published")).toBeVisible();
  await admin.goto(`/content/publications?q=${encodeURIComponent(title)}`);
  const record = admin.getByTestId("publication-row").filter({ hasText: title });
  await expect(record).toContainText("王海涛 → 周建国");
  await adminContext.close();

  await page.reload();
  await expect(page.getByTestId("content-status")).toHaveAttribute("data-status", "PUBLISHED");
});

test("HTML in the body is shown as text, never run; an expired licence is refused for a new publication", async ({ page }) => {
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  await signIn(page, "staff21@wegovern.demo");
  await expect(page).toHaveURL(/\/$/);

  // A media asset whose licence ended yesterday.
  const asset = unique("过期图片E2E");
  await page.goto("/content/media/new");
  const mediaForm = page.getByRole("form", { name: "登记素材" });
  await mediaForm.getByRole("textbox", { name: "名称" }).fill(asset);
  await mediaForm.getByRole("textbox", { name: "来源" }).fill("图库合同 E2E");
  await mediaForm.getByLabel("授权到期日").fill("2025-12-31");
  await mediaForm.getByRole("button", { name: "登记素材" }).click();
  await expect(page).toHaveURL(/\/content\/media\/[a-z0-9]{20,}$/);
  await expect(page.getByRole("heading", { level: 1, name: asset })).toBeVisible();
  await page.goto(`/content/media?licence=expired&q=${encodeURIComponent(asset)}`);
  await expect(page.getByTestId("media-row").filter({ hasText: asset })).toContainText("已过期");

  const title = unique("脚本注入E2E");
  const markup = '<script>alert("x")</script><img src=x onerror="alert(1)">';
  const form = await newContent(page, title, `${markup}\n欢迎选购`);
  await form.getByRole("checkbox", { name: new RegExp(asset) }).check();
  await expect(form.getByTestId("live-finding").filter({ hasText: asset })).toContainText("素材授权在发布日前到期");
  await form.getByRole("button", { name: "保存草稿" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "授权已过期" })).toContainText(asset);
  await expect(page).toHaveURL(/\/content\/new$/);

  await form.getByRole("checkbox", { name: new RegExp(asset) }).uncheck();
  await form.getByRole("button", { name: "保存草稿" }).click();
  await expect(page).toHaveURL(/\/content\/[a-z0-9]{20,}$/);
  await expect(page.getByTestId("content-body")).toContainText(markup);
  expect(await page.getByTestId("content-body").locator("script, img").count()).toBe(0);
  expect(dialogs).toBe(0);
});

test("the content page and the form fit a 375 px phone", async ({ page }) => {
  await signIn(page, "staff31@wegovern.demo");
  await expect(page).toHaveURL(/\/$/);
  await page.setViewportSize({ width: 375, height: 800 });
  const title = unique("手机E2E");
  const form = await newContent(page, title, "这款面霜是夏天最水润的一款。");
  await expect(form.getByTestId("live-finding")).toContainText("最");
  await form.getByRole("button", { name: "保存草稿" }).click();
  await expect(page).toHaveURL(/\/content\/[a-z0-9]{20,}$/);
  await expect(page.getByTestId("finding")).toHaveCount(1);
  for (const path of [null, "/content", "/content/media", "/content/new"]) {
    if (path) await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, path ?? "content page").toBeLessThanOrEqual(375);
  }
});
