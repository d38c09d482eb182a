import { expect, test } from "./fixtures";
import { storageStateFor } from "./users";

// Issue 16's notification settings as people use them: an employee on a 375 px phone chooses
// e-mail for training reminders and turns quiet hours off; the choice is kept. ADMIN reads the
// delivery log and sees the group robots section (docs/notifications.md).

test.describe("notification settings", () => {
  test.use({ storageState: storageStateFor("employee"), viewport: { width: 375, height: 812 } });

  test("an employee sets their channels and quiet hours at 375 px, and the choice is kept", async ({ page }) => {
    await page.goto("/notifications/settings");
    await expect(page.getByRole("heading", { level: 1, name: "通知设置" })).toBeVisible();
    const form = page.getByRole("form", { name: "通知设置" });
    const training = form.getByRole("group", { name: "培训与制度确认" });
    await training.getByRole("checkbox", { name: "电子邮件" }).check();
    await form.getByRole("checkbox", { name: "下班后非紧急不打扰" }).uncheck();
    await form.getByRole("button", { name: "保存设置" }).click();
    await expect(page.getByText("通知设置已保存。")).toBeVisible();
    await page.reload();
    await expect(page.getByRole("group", { name: "培训与制度确认" }).getByRole("checkbox", { name: "电子邮件" })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: "下班后非紧急不打扰" })).not.toBeChecked();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    // Restore the defaults for other runs against the same database.
    await page.getByRole("checkbox", { name: "下班后非紧急不打扰" }).check();
    await page.getByRole("group", { name: "培训与制度确认" }).getByRole("checkbox", { name: "电子邮件" }).uncheck();
    await page.getByRole("button", { name: "保存设置" }).click();
    await expect(page.getByText("通知设置已保存。")).toBeVisible();
  });
});

test.describe("an employee on the delivery log", () => {
  test.use({ storageState: storageStateFor("employee"), allowConsoleErrors: [/status of 403/] });

  test("is refused", async ({ page }) => {
    const res = await page.goto("/settings/notifications");
    expect(res?.status()).toBe(403);
    await expect(page.getByTestId("delivery-log")).toHaveCount(0);
  });
});

test.describe("delivery log", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("ADMIN reads the delivery log and the group robots", async ({ page }) => {
    await page.goto("/settings/notifications");
    await expect(page.getByRole("heading", { level: 1, name: "通知发送记录" })).toBeVisible();
    await expect(page.getByRole("table", { name: "通知发送记录" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "群机器人" })).toBeVisible();
    await page.getByRole("link", { name: "失败" }).click();
    await expect(page).toHaveURL(/status=FAILED/);
  });
});
